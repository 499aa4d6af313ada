package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestWinogradMatchesDirect checks ConvWinograd against the direct implicit
// GEMM, forward and flipped (input gradient), overwriting and accumulating,
// over sizes that leave partial tiles, partial register tiles, several depth
// blocks and every padding, on both paths.
func TestWinogradMatchesDirect(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, s := range [][5]int{ // cin, cout, H, W, pad
			{64, 64, 16, 16, 1},
			{70, 75, 15, 13, 1},
			{16, 20, 12, 20, 0},
			{24, 13, 11, 9, 2},
			{300, 40, 8, 10, 1},
			{3, 5, 4, 3, 1},
		} {
			cin, cout, h, w, pad := s[0], s[1], s[2], s[3], s[4]
			g := conv3x3(cin, h, w, pad)
			n := g.OutH * g.OutW
			wt := randSlice(r, cout*cin*9)
			img := randSlice(r, cin*h*w)
			ldc := n + 3
			for _, beta := range []float32{0, 1, 0.5} {
				name := fmt.Sprintf("%dx%d %dx%d pad %d beta %g", cin, cout, h, w, pad, beta)
				want := randSlice(r, cout*ldc)
				got := append([]float32(nil), want...)
				if beta == 0 { // C is not read: NaNs in its live part must not survive
					for i := range got {
						if i%ldc < n {
							got[i] = float32(math.NaN())
						}
					}
				}
				ConvGemm(false, cout, 1, wt, cin*9, g, img, beta, want, ldc)
				ConvWinograd(wt, cout, cin, false, g, img, beta, got, ldc)
				compareWino(t, name+" forward", got, want, cout, n, ldc)

				// The input gradient: a convolution of a cout-channel image
				// with the flipped, transposed kernel.
				gb := g
				gb.C = cout
				gy := randSlice(r, cout*h*w)
				want = randSlice(r, cin*ldc)
				got = append([]float32(nil), want...)
				ConvGemmFlipped(wt, cout, cin, gb, gy, beta, want, ldc)
				ConvWinograd(wt, cout, cin, true, gb, gy, beta, got, ldc)
				compareWino(t, name+" flipped", got, want, cin, n, ldc)
			}
		}
	})
}

// compareWino fails unless got and want agree on the m×n live part to
// rounding (relative to the largest output) and the gaps between rows are
// untouched.
func compareWino(t *testing.T, name string, got, want []float32, m, n, ldc int) {
	t.Helper()
	var scale float64
	for _, v := range want {
		scale = max(scale, math.Abs(float64(v)))
	}
	for i := 0; i < m; i++ {
		for j := 0; j < ldc; j++ {
			g, w := got[i*ldc+j], want[i*ldc+j]
			if j >= n {
				if g != w {
					t.Fatalf("%s: wrote past row %d at column %d", name, i, j)
				}
				continue
			}
			if d := math.Abs(float64(g - w)); !(d <= 2e-6*scale) {
				t.Fatalf("%s: [%d][%d] = %v, want %v (scale %.3g)", name, i, j, g, w, scale)
			}
		}
	}
}

// TestWinogradOK checks which geometries take the Winograd path.
func TestWinogradOK(t *testing.T) {
	defer SetWinograd(SetWinograd(true)) // whatever I2I_NOWINOGRAD says
	base := ConvGeom{C: 256, H: 32, W: 32, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilH: 1, DilW: 1, OutH: 32, OutW: 32}
	if !WinogradOK(&base, 256) {
		t.Fatal("3×3 256-channel same convolution refused")
	}
	for name, f := range map[string]func(g *ConvGeom){
		"stride 2":  func(g *ConvGeom) { g.StrideH, g.OutH = 2, 16 },
		"dilation":  func(g *ConvGeom) { g.DilW, g.OutW = 2, 30 },
		"5×5":       func(g *ConvGeom) { g.KH, g.KW, g.PadH, g.PadW = 5, 5, 2, 2 },
		"pad 3":     func(g *ConvGeom) { g.PadH, g.OutH = 3, 36 },
		"8 in":      func(g *ConvGeom) { g.C = 8 },
		"64 in":     func(g *ConvGeom) { g.C = 64 },
		"few tiles": func(g *ConvGeom) { g.H, g.W, g.OutH, g.OutW = 8, 8, 8, 8 },
	} {
		g := base
		f(&g)
		if WinogradOK(&g, 256) {
			t.Errorf("%s accepted", name)
		}
	}
	if WinogradOK(&base, 8) {
		t.Error("8 output channels accepted")
	}
	if g := (ConvGeom{C: 128, H: 16, W: 16, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilH: 1, DilW: 1, OutH: 16, OutW: 16}); !WinogradOK(&g, 128) || WinogradGradOK(&g, 128) {
		t.Error("128 channels on 16²: want the forward path and not the weight gradient")
	}
	old := SetWinograd(false)
	defer SetWinograd(old)
	if WinogradOK(&base, 256) {
		t.Error("accepted while turned off")
	}
}

// TestWinogradGradMatchesDirect checks ConvWinogradGrad against the direct
// weight gradient (ConvGemmT), overwriting and accumulating, on the paths
// whose micro-kernel reads A in place.
func TestWinogradGradMatchesDirect(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		if currentTile().kernRows == nil {
			t.Skip("no in-place A kernel on this path")
		}
		r := rand.New(rand.NewPCG(9, 10))
		for _, s := range [][5]int{ // cin, cout, H, W, pad
			{64, 64, 16, 16, 1},
			{70, 75, 15, 13, 1},
			{16, 20, 12, 20, 0},
			{24, 13, 11, 9, 2},
			{40, 300, 8, 10, 1},
			{3, 5, 4, 3, 1},
			{8, 8, 40, 40, 1},
		} {
			cin, cout, h, w, pad := s[0], s[1], s[2], s[3], s[4]
			g := conv3x3(cin, h, w, pad)
			n := g.OutH * g.OutW
			img := randSlice(r, cin*h*w)
			gy := randSlice(r, cout*n)
			for _, beta := range []float32{0, 1, 0.5} {
				name := fmt.Sprintf("%dx%d %dx%d pad %d beta %g", cin, cout, h, w, pad, beta)
				want := randSlice(r, cout*cin*9)
				got := append([]float32(nil), want...)
				if beta == 0 {
					for i := range got {
						got[i] = float32(math.NaN())
					}
				}
				ConvGemmT(false, cout, 1, gy, n, g, img, beta, want, cin*9)
				ConvWinogradGrad(gy, cout, g, img, beta, got)
				compareWino(t, name+" weight gradient", got, want, cout, cin*9, cin*9)
			}
		}
	})
}

// conv3x3 is the geometry of a 3×3, unit-stride convolution of a c×h×w
// image padded by pad.
func conv3x3(c, h, w, pad int) ConvGeom {
	return ConvGeom{C: c, H: h, W: w, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: pad, PadW: pad,
		DilH: 1, DilW: 1, OutH: h + 2*pad - 2, OutW: w + 2*pad - 2}
}
