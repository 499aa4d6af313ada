package tensor

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// UpsampleConv2d gives the values and gradients of nearest ×2 upsampling
// followed by the convolution, for 5×5 and 7×7 kernels, a batch of two and
// odd sizes.
func TestUpsampleConvMatchesSequence(t *testing.T) {
	for _, k := range []int{5, 7} {
		rng := rand.New(rand.NewPCG(uint64(k), 9))
		o := ConvOpts{Padding: [2]int{k / 2, k / 2}}
		x := Randn(rng, 2, 3, 5, 7).SetRequiresGrad(true)
		w := Randn(rng, 4, 3, k, k).SetRequiresGrad(true)
		b := Randn(rng, 4).SetRequiresGrad(true)
		gy := Randn(rng, 2, 4, 10, 14)
		gz := Randn(rng, 2, 3, 5, 7)
		// x also feeds x·x, so that one of the two backward steps adds to a
		// gradient the other wrote first (in either order of the outputs).
		for _, zFirst := range []bool{false, true} {
			run := func(fused bool) [][]float32 {
				x.ZeroGrad()
				w.ZeroGrad()
				b.ZeroGrad()
				var y *Tensor
				if fused {
					y = UpsampleConv2d(x, w, b, o)
				} else {
					y = Conv2d(UpsampleNearest(x, 10, 14), w, b, o)
				}
				out := slices.Clone(y.Data)
				z := Mul(x, x)
				if zFirst {
					BackwardWith([]*Tensor{z, y}, []*Tensor{gz, gy})
				} else {
					BackwardWith([]*Tensor{y, z}, []*Tensor{gy, gz})
				}
				return [][]float32{out, slices.Clone(x.Grad), slices.Clone(w.Grad), slices.Clone(b.Grad)}
			}
			want, got := run(false), run(true)
			for a, name := range []string{"output", "input gradient", "kernel gradient", "bias gradient"} {
				if len(got[a]) != len(want[a]) {
					t.Fatalf("k %d: %s has %d values, want %d", k, name, len(got[a]), len(want[a]))
				}
				for i := range want[a] {
					if d := math.Abs(float64(got[a][i] - want[a][i])); d > 1e-4*(1+math.Abs(float64(want[a][i]))) {
						t.Fatalf("k %d: %s [%d] = %v, want %v", k, name, i, got[a][i], want[a][i])
					}
				}
			}
		}
	}
}

func TestUpsampleConvOK(t *testing.T) {
	w5, w3 := New(2, 2, 5, 5), New(2, 2, 3, 3)
	if !UpsampleConvOK(w5, ConvOpts{Padding: [2]int{2, 2}}) {
		t.Fatal("5×5 'same' convolution not accepted")
	}
	for _, c := range []struct {
		w *Tensor
		o ConvOpts
	}{{w3, ConvOpts{Padding: [2]int{1, 1}}}, {w5, ConvOpts{Padding: [2]int{1, 1}}},
		{w5, ConvOpts{Padding: [2]int{2, 2}, Stride: [2]int{2, 2}}}, {w5, ConvOpts{Padding: [2]int{2, 2}, Dilation: [2]int{2, 2}}}} {
		if UpsampleConvOK(c.w, c.o) {
			t.Fatalf("kernel %v with %+v accepted", c.w.Shape(), c.o)
		}
	}
}
