package kernel

// Implicit GEMM: the convolution's im2col matrix is never stored; packing
// reads its blocks straight from the image, which stays in cache, instead of
// streaming a (C·KH·KW)×(OutH·OutW) buffer through memory twice.

// ConvGemm computes C = alpha·op(A)·col(img) + beta·C, where col(img) is the
// (C·KH·KW)×(OutH·OutW) im2col matrix of img under g (the forward pass of a
// convolution: A is the weight matrix).
func ConvGemm(transA bool, m int, alpha float32, a []float32, lda int, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	n, k := g.OutH*g.OutW, g.C*g.KH*g.KW
	scaleC(m, n, beta, c, ldc)
	gemmWith(transA, m, n, k, alpha, a, lda, convB{g, img, false}, c, ldc)
}

// ConvGemmT computes C = alpha·op(A)·col(img)ᵀ + beta·C (the weight gradient
// of a convolution: A is the output gradient, [Cout × OutH·OutW]).
func ConvGemmT(transA bool, m int, alpha float32, a []float32, lda int, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	n, k := g.C*g.KH*g.KW, g.OutH*g.OutW
	scaleC(m, n, beta, c, ldc)
	gemmWith(transA, m, n, k, alpha, a, lda, convB{g, img, true}, c, ldc)
}

// convB is the im2col matrix of an image (or its transpose) as a bSource.
type convB struct {
	g     ConvGeom
	img   []float32
	trans bool
}

// gatherRun writes the im2col values of tap (c, i, j) at output positions
// n0 … n0+len(dst)−1 into dst[t·step].
func (s convB) gatherRun(dst []float32, step, tap, n0, count int) {
	g := s.g
	kk := g.KH * g.KW
	c, i, j := tap/kk, (tap%kk)/g.KW, tap%g.KW
	plane := s.img[c*g.H*g.W : (c+1)*g.H*g.W]
	oy, ox := n0/g.OutW, n0%g.OutW
	for t := 0; t < count; {
		run := min(count-t, g.OutW-ox)
		iy := oy*g.StrideH - g.PadH + i*g.DilH
		if iy < 0 || iy >= g.H {
			for r := 0; r < run; r++ {
				dst[(t+r)*step] = 0
			}
		} else {
			row := plane[iy*g.W : (iy+1)*g.W]
			x0 := ox*g.StrideW - g.PadW + j*g.DilW
			if g.StrideW == 1 && step == 1 {
				lo := min(max(0, -x0), run)
				hi := max(min(run, g.W-x0), lo)
				d := dst[t : t+run]
				clear(d[:lo])
				if hi > lo {
					copy(d[lo:hi], row[x0+lo:x0+hi])
				}
				clear(d[hi:])
			} else {
				for r := 0; r < run; r++ {
					ix := x0 + r*g.StrideW
					v := float32(0)
					if ix >= 0 && ix < g.W {
						v = row[ix]
					}
					dst[(t+r)*step] = v
				}
			}
		}
		t += run
		oy, ox = oy+1, 0
	}
}

func (s convB) pack(dst []float32, p0, kb, j0, nb, nr int) {
	for jr := 0; jr < nb; jr += nr {
		sl := dst[jr*kb : jr*kb+kb*nr]
		nw := min(nr, nb-jr)
		if nw < nr {
			clear(sl)
		}
		if !s.trans {
			// Row p of the sliver: tap p0+p at output positions j0+jr …
			for p := 0; p < kb; p++ {
				s.gatherRun(sl[p*nr:p*nr+nw], 1, p0+p, j0+jr, nw)
			}
			continue
		}
		// Transposed: column t is tap j0+jr+t over output positions p0 … p0+kb.
		for t := 0; t < nw; t++ {
			s.gatherRun(sl[t:], nr, j0+jr+t, p0, kb)
		}
	}
}
