package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refGEMM is a float64 reference for alpha·op(A)·op(B) + beta·C.
func refGEMM(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) []float32 {
	out := make([]float32, len(c))
	copy(out, c)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			prev := float64(beta) * float64(c[i*ldc+j])
			if beta == 0 {
				prev = 0
			}
			out[i*ldc+j] = float32(float64(alpha)*s + prev)
		}
	}
	return out
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// bothPaths runs f with every micro-kernel this CPU can run: AVX-512,
// AVX2 and the portable fallback.
func bothPaths(t *testing.T, f func(t *testing.T)) {
	for _, k := range []struct {
		name        string
		asm, avx512 bool
	}{{"avx512", true, true}, {"avx2", true, false}, {"go", false, false}} {
		if k.asm && !AsmSupported() || k.avx512 && !hasAVX512 {
			continue
		}
		t.Run(k.name, func(t *testing.T) {
			old, old512 := SetAsm(k.asm), hasAVX512
			hasAVX512 = k.avx512
			defer func() { SetAsm(old); hasAVX512 = old512 }()
			if got := currentTile().mr; k.avx512 && got != 12 || !k.avx512 && got != 6 {
				t.Fatalf("tile has %d rows", got)
			}
			f(t)
		})
	}
}

func TestSgemmMatchesReference(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		shapes := [][3]int{{1, 1, 1}, {5, 7, 3}, {6, 16, 8}, {13, 35, 300}, {97, 50, 513}, {7, 4099, 9}, {200, 17, 40}}
		for _, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				lda, ldb, ldc := k+1, n+2, n+3
				if tr[0] {
					lda = m + 1
				}
				if tr[1] {
					ldb = k + 2
				}
				rowsA, rowsB := m, k
				if tr[0] {
					rowsA = k
				}
				if tr[1] {
					rowsB = n
				}
				a := randSlice(r, rowsA*lda)
				b := randSlice(r, rowsB*ldb)
				c := randSlice(r, m*ldc)
				for _, beta := range []float32{0, 1, 0.5} {
					want := refGEMM(tr[0], tr[1], m, n, k, 0.7, a, lda, b, ldb, beta, c, ldc)
					got := append([]float32(nil), c...)
					Sgemm(tr[0], tr[1], m, n, k, 0.7, a, lda, b, ldb, beta, got, ldc)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							w, g := want[i*ldc+j], got[i*ldc+j]
							if math.Abs(float64(w-g)) > 1e-4*math.Sqrt(float64(k))*(1+math.Abs(float64(w))) {
								t.Fatalf("m%d n%d k%d trans%v beta%v: C[%d,%d]=%v want %v", m, n, k, tr, beta, i, j, g, w)
							}
						}
					}
					// Padding columns between n and ldc are never touched.
					for i := 0; i < m; i++ {
						for j := n; j < ldc; j++ {
							if got[i*ldc+j] != c[i*ldc+j] {
								t.Fatalf("wrote outside C at [%d,%d]", i, j)
							}
						}
					}
				}
			}
		}
	})
}

func TestSgemmBetaZeroIgnoresNaN(t *testing.T) {
	c := []float32{float32(math.NaN()), float32(math.NaN())}
	Sgemm(false, false, 1, 2, 1, 1, []float32{2}, 1, []float32{3, 4}, 2, 0, c, 2)
	if c[0] != 6 || c[1] != 8 {
		t.Fatalf("got %v", c)
	}
	// A product large enough for the blocked driver (its first depth block
	// stores into C), with partial tiles at the edges.
	bothPaths(t, func(t *testing.T) {
		m, n, k := 29, 45, 300
		r := rand.New(rand.NewPCG(9, 9))
		a, b := randSlice(r, m*k), randSlice(r, k*n)
		want := make([]float32, m*n)
		Sgemm(false, false, m, n, k, 1, a, k, b, n, 1, want, n) // want starts at zero
		got := make([]float32, m*n)
		for i := range got {
			got[i] = float32(math.NaN())
		}
		Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, got, n)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("C[%d] = %v, want %v", i, got[i], want[i])
			}
		}
	})
}

func BenchmarkSgemm(b *testing.B) {
	for _, s := range [][3]int{{1024, 1024, 1024}, {256, 4096, 2304}} {
		m, n, k := s[0], s[1], s[2]
		r := rand.New(rand.NewPCG(1, 2))
		a, bb, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			for b.Loop() {
				Sgemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

func TestConvGemmMatchesIm2col(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		geos := []ConvGeom{
			{C: 3, H: 9, W: 11, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilH: 1, DilW: 1},
			{C: 2, H: 10, W: 7, KH: 4, KW: 3, StrideH: 2, StrideW: 3, PadH: 1, PadW: 2, DilH: 1, DilW: 2},
			{C: 5, H: 40, W: 37, KH: 5, KW: 5, StrideH: 1, StrideW: 1, PadH: 2, PadW: 2, DilH: 1, DilW: 1},
			// Output widths that are multiples of 16 and 32 take the indirect-B
			// path (B read in place from a padded image); K > 256 spans two
			// depth blocks, and strided or dilated rows are allowed.
			{C: 3, H: 20, W: 32, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilH: 1, DilW: 1},
			{C: 30, H: 9, W: 64, KH: 3, KW: 3, StrideH: 2, StrideW: 1, PadH: 1, PadW: 1, DilH: 2, DilW: 1},
			{C: 2, H: 11, W: 32, KH: 7, KW: 7, StrideH: 1, StrideW: 1, PadH: 3, PadW: 3, DilH: 1, DilW: 1},
			{C: 4, H: 6, W: 16, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 0, PadW: 1, DilH: 1, DilW: 1},
			// Unit strides with dilation in both directions (indirect A for
			// the weight gradient).
			{C: 3, H: 13, W: 12, KH: 3, KW: 2, StrideH: 1, StrideW: 1, PadH: 2, PadW: 0, DilH: 2, DilW: 3},
			// Strided (and dilated) convolutions read phase-split images in
			// place (convimage.go).
			{C: 3, H: 20, W: 64, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, DilH: 1, DilW: 1},
			{C: 2, H: 21, W: 63, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 2, PadW: 2, DilH: 2, DilW: 2},
			{C: 4, H: 17, W: 97, KH: 4, KW: 4, StrideH: 3, StrideW: 3, PadH: 1, PadW: 1, DilH: 1, DilW: 1},
			// Output rows of two slivers or more read column phases in place
			// for a horizontal stride of 2 too (odd and even padding).
			{C: 3, H: 9, W: 128, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, DilH: 1, DilW: 1},
			{C: 5, H: 8, W: 130, KH: 4, KW: 4, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0, DilH: 1, DilW: 1},
		}
		stride2 := 0
		defer func() {
			if currentTile().kernInd != nil && stride2 < 2 {
				t.Errorf("only %d stride-2 geometries took the indirect-B path", stride2)
			}
		}()
		indirect, rows, dots, rgb := 0, 0, 0, 0
		defer func() {
			if currentTile().kernInd != nil && indirect < 3 {
				t.Errorf("only %d geometries took the indirect-B path", indirect)
			}
			if currentTile().kernRows != nil && rows < 4 {
				t.Errorf("only %d weight gradients took the indirect-A path", rows)
			}
			if useAsm && hasAVX512 && rgb < 2 {
				t.Errorf("only %d forward passes took the 3×64 tile", rgb)
			}
			if currentDot() != nil && dots < 4 {
				t.Errorf("only %d weight gradients took the dot-product path", dots)
			}
		}()
		for _, g := range geos {
			g.OutH = (g.H+2*g.PadH-g.DilH*(g.KH-1)-1)/g.StrideH + 1
			g.OutW = (g.W+2*g.PadW-g.DilW*(g.KW-1)-1)/g.StrideW + 1
			if indirectOK(currentTile(), &g) {
				indirect++
				if g.StrideW == 2 {
					stride2++
				}
			}
			k, n, m := g.C*g.KH*g.KW, g.OutH*g.OutW, 7+g.C%3*9 // 7, 16 or 25 rows: full and partial tiles
			img := randSlice(r, g.C*g.H*g.W)
			col := make([]float32, k*n)
			Im2col(g, img, col)
			// 7, 16 or 25 rows; one to three output channels (an RGB layer)
			// take the 3×64 tile where the output width allows it, 16 and 28
			// (4 rows past the 12-row tiles) the 4×64 one for their last rows.
			for _, mf := range []int{m, 1, 3, 16, 28} {
				if mf != m && useAsm && hasAVX512 && g.OutW%64 == 0 {
					rgb++
				}
				a := randSlice(r, mf*k)
				want := make([]float32, mf*n)
				Sgemm(false, false, mf, n, k, 1, a, k, col, n, 0, want, n)
				got := randSlice(r, mf*n)
				ConvGemm(false, mf, 1, a, k, g, img, 0, got, n)
				for i := range want {
					if math.Abs(float64(want[i]-got[i])) > 1e-3 {
						t.Fatalf("%+v, %d rows: forward [%d] %v want %v", g, mf, i, got[i], want[i])
					}
				}
				// The same product with A the flipped, transposed kernel w
				// [g.C × mf × KH·KW] read in place, added to C (beta 1).
				kk := g.KH * g.KW
				w := randSlice(r, g.C*mf*kk)
				for ci := 0; ci < mf; ci++ {
					for co := 0; co < g.C; co++ {
						for tp := 0; tp < kk; tp++ {
							a[ci*k+co*kk+tp] = w[(co*mf+ci)*kk+kk-1-tp]
						}
					}
				}
				c0 := randSlice(r, mf*n)
				copy(want, c0)
				Sgemm(false, false, mf, n, k, 1, a, k, col, n, 1, want, n)
				copy(got, c0)
				ConvGemmFlipped(w, g.C, mf, g, img, 1, got, n)
				for i := range want {
					if math.Abs(float64(want[i]-got[i])) > 1e-3 {
						t.Fatalf("%+v, %d rows: flipped kernel [%d] %v want %v", g, mf, i, got[i], want[i])
					}
				}
			}
			// Transposed: (m×n)·colᵀ, added to C with alpha 0.5 and beta 1.
			// 40 and 64 rows take the indirect-A path when strides are 1, 3
			// rows the dot-product path.
			for _, mt := range []int{m, 3, 40, 64} {
				if rowsOK(currentTile(), false, mt) {
					rows++
				}
				if dotOK(false, mt, &g) {
					dots++
				}
				gy := randSlice(r, mt*n)
				c0 := randSlice(r, mt*k)
				wantT := make([]float32, mt*k)
				copy(wantT, c0)
				Sgemm(false, true, mt, k, n, 0.5, gy, n, col, n, 1, wantT, k)
				gotT := append([]float32(nil), c0...)
				ConvGemmT(false, mt, 0.5, gy, n, g, img, 1, gotT, k)
				for i := range wantT {
					if math.Abs(float64(wantT[i]-gotT[i])) > 1e-3 {
						t.Fatalf("%+v, %d rows: transposed [%d] %v want %v", g, mt, i, gotT[i], wantT[i])
					}
				}
				// With beta 0, C is overwritten without being read.
				Sgemm(false, true, mt, k, n, 0.5, gy, n, col, n, 0, wantT, k)
				for i := range gotT {
					gotT[i] = float32(math.NaN())
				}
				ConvGemmT(false, mt, 0.5, gy, n, g, img, 0, gotT, k)
				for i := range wantT {
					if math.Abs(float64(wantT[i]-gotT[i])) > 1e-3 {
						t.Fatalf("%+v, %d rows, beta 0: transposed [%d] %v want %v", g, mt, i, gotT[i], wantT[i])
					}
				}
			}
		}
	})
}

// BenchmarkConvGemm times the implicit-GEMM forward, input-gradient (where
// Cin = Cout) and weight-gradient products, and the Winograd forward and
// weight gradient where they apply (reported as the direct flop count over its time), of the benchmark's 3×3, 256-channel convolution on 32×32 and of
// its 5×5, 128→64 convolution on 128×128.
func BenchmarkConvGemm(b *testing.B) {
	for _, s := range [][4]int{{256, 256, 32, 3}, {256, 256, 64, 3}, {128, 64, 128, 5}, {256, 128, 64, 5}, {64, 3, 128, 7}, {3, 64, 128, 7}} {
		cin, cout, hw, kw := s[0], s[1], s[2], s[3]
		g := ConvGeom{C: cin, H: hw, W: hw, KH: kw, KW: kw, StrideH: 1, StrideW: 1,
			PadH: kw / 2, PadW: kw / 2, DilH: 1, DilW: 1, OutH: hw, OutW: hw}
		r := rand.New(rand.NewPCG(1, 2))
		k, n := cin*kw*kw, hw*hw
		img, w, y := randSlice(r, cin*n), randSlice(r, cout*k), make([]float32, cout*n)
		flop := 2 * float64(cout*n*k)
		b.Run(fmt.Sprintf("fwd_%dx%d_k%d", cin, hw, kw), func(b *testing.B) {
			for b.Loop() {
				ConvGemm(false, cout, 1, w, k, g, img, 0, y, n)
			}
			b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
		if WinogradOK(&g, cout) {
			b.Run(fmt.Sprintf("wino_fwd_%dx%d_k%d", cin, hw, kw), func(b *testing.B) {
				for b.Loop() {
					ConvWinograd(w, cout, cin, false, g, img, 0, y, n)
				}
				b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
		if cin == cout {
			b.Run(fmt.Sprintf("igrad_%dx%d_k%d", cin, hw, kw), func(b *testing.B) {
				for b.Loop() {
					ConvGemmFlipped(w, cout, cin, g, y, 0, img, n)
				}
				b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
		if WinogradGradOK(&g, cout) {
			b.Run(fmt.Sprintf("wino_wgrad_%dx%d_k%d", cin, hw, kw), func(b *testing.B) {
				for b.Loop() {
					ConvWinogradGrad(y, cout, g, img, 0, w)
				}
				b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
		b.Run(fmt.Sprintf("wgrad_%dx%d_k%d", cin, hw, kw), func(b *testing.B) {
			for b.Loop() {
				ConvGemmT(false, cout, 1, y, n, g, img, 0, w, k)
			}
			b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

func TestTransposeBothPaths(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, s := range [][2]int{{1, 1}, {8, 8}, {16, 24}, {13, 29}, {32, 7}, {3, 40}} {
			rows, cols := s[0], s[1]
			lds, ldd := cols+3, rows+5
			src := randSlice(r, rows*lds)
			dst := randSlice(r, cols*ldd)
			keep := append([]float32(nil), dst...)
			Transpose(dst, ldd, src, lds, rows, cols)
			for j := 0; j < cols; j++ {
				for i := 0; i < ldd; i++ {
					want := keep[j*ldd+i]
					if i < rows {
						want = src[i*lds+j]
					}
					if dst[j*ldd+i] != want {
						t.Fatalf("%dx%d: dst[%d][%d] = %v, want %v", rows, cols, j, i, dst[j*ldd+i], want)
					}
				}
			}
		}
	})
}
