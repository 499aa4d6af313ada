package tensor

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"i2i/kernel"
)

// Conv2d and UpsampleConv2d give the same values and gradients with the
// Winograd path on as with it off, to rounding, for shapes that take it
// (checked, so that the test cannot pass by not using it; the weight
// gradient takes it where the micro-kernel reads A in place, as on AVX-512
// and in pure Go).
func TestConvWinogradMatchesDirect(t *testing.T) {
	defer kernel.SetWinograd(kernel.SetWinograd(true)) // whatever I2I_NOWINOGRAD says
	rng := rand.New(rand.NewPCG(11, 12))
	cases := []struct {
		name  string
		x, w  []int
		geo   kernel.ConvGeom // a geometry the Winograd path must accept
		rows  int
		apply func(x, w, b *Tensor) *Tensor
	}{
		{"conv 3×3", []int{2, 128, 32, 34}, []int{136, 128, 3, 3},
			kernel.ConvGeom{C: 128, H: 32, W: 34, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilH: 1, DilW: 1, OutH: 32, OutW: 34}, 136,
			func(x, w, b *Tensor) *Tensor { return Conv2d(x, w, b, ConvOpts{Padding: [2]int{1, 1}}) }},
		{"upsample + conv 5×5", []int{1, 128, 32, 31}, []int{32, 128, 5, 5},
			kernel.ConvGeom{C: 128, H: 32, W: 31, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilH: 1, DilW: 1, OutH: 32, OutW: 31}, 128,
			func(x, w, b *Tensor) *Tensor { return UpsampleConv2d(x, w, b, ConvOpts{Padding: [2]int{2, 2}}) }},
	}
	for _, c := range cases {
		if !kernel.WinogradOK(&c.geo, c.rows) {
			t.Fatalf("%s: the Winograd path refuses the geometry", c.name)
		}
		if !kernel.WinogradGradOK(&c.geo, c.rows) {
			t.Logf("%s: the weight gradient is direct on this path", c.name)
		}
		x := Randn(rng, c.x...).SetRequiresGrad(true)
		w := Randn(rng, c.w...).SetRequiresGrad(true)
		b := Randn(rng, c.w[0]).SetRequiresGrad(true)
		var gy *Tensor
		run := func(wino bool) [][]float32 {
			defer kernel.SetWinograd(kernel.SetWinograd(wino))
			x.ZeroGrad()
			w.ZeroGrad()
			b.ZeroGrad()
			y := c.apply(x, w, b)
			if gy == nil {
				gy = Randn(rng, y.Shape()...)
			}
			out := slices.Clone(y.Data)
			BackwardWith([]*Tensor{y}, []*Tensor{gy})
			return [][]float32{out, slices.Clone(x.Grad), slices.Clone(w.Grad)}
		}
		want, got := run(false), run(true)
		for a, name := range []string{"output", "input gradient", "kernel gradient"} {
			var scale float64
			for _, v := range want[a] {
				scale = max(scale, math.Abs(float64(v)))
			}
			for i := range want[a] {
				if d := math.Abs(float64(got[a][i] - want[a][i])); !(d <= 2e-6*scale) {
					t.Fatalf("%s: %s [%d] = %v, want %v (scale %.3g)", c.name, name, i, got[a][i], want[a][i], scale)
				}
			}
		}
	}
}
