package kernel

// Implicit GEMM: the convolution's im2col matrix is never stored; packing
// reads its blocks straight from the image, which stays in cache, instead of
// streaming a (C·KH·KW)×(OutH·OutW) buffer through memory twice.

// ConvGemm computes C = alpha·op(A)·col(img) + beta·C, where col(img) is the
// (C·KH·KW)×(OutH·OutW) im2col matrix of img under g (the forward pass of a
// convolution: A is the weight matrix).
func ConvGemm(transA bool, m int, alpha float32, a []float32, lda int, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	convGemm(denseA{a, lda, transA, alpha}, m, g, img, beta, c, ldc)
}

// ConvGemmFlipped computes C = A·col(img) + beta·C where A is the kernel w
// [Cout × Cin × KH × KW] flipped spatially and transposed,
// A[ci][(co, i, j)] = w[co][ci][KH−1−i][KW−1−j]: the input gradient of a
// unit-stride convolution with kernel w, as a convolution (geometry g, with
// g.C = Cout) of the output gradient img. w is read in place.
func ConvGemmFlipped(w []float32, cout, cin int, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	if len(w) < cout*cin*g.KH*g.KW || g.C != cout {
		panic("kernel: ConvGemmFlipped kernel and geometry disagree")
	}
	convGemm(flippedA{w: w, cin: cin, kk: g.KH * g.KW}, cin, g, img, beta, c, ldc)
}

func convGemm(a aSource, m int, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	n, k := g.OutH*g.OutW, g.C*g.KH*g.KW
	if k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	t := currentTile()
	// The rows past the last whole tile (all of an RGB output layer's three)
	// go to a narrow tile where one fits, instead of a mostly idle 12-row one.
	main := m
	var narrow tile
	indirect := indirectOK(t, &g)
	if r := m % t.mr; indirect && useAsm && hasAVX512 && g.OutW%64 == 0 && r > 0 && r <= 4 {
		main, narrow = m-r, rgbTile
		if r == 4 {
			narrow = quadTile
		}
	}
	var b bSource = &convB{&g, img, false}
	if indirect {
		ib := newIndirectB(&g, img)
		defer ib.release()
		b = ib
	}
	if main > 0 {
		// A is packed once for both workers.
		pa := packA(a, main, k, t.mr)
		defer pa.release()
		gemmWith(t, pa, main, n, k, b, beta, c, ldc)
	}
	if main < m {
		gemmWith(narrow, a.from(main), m-main, n, k, b, beta, c[main*ldc:], ldc)
	}
}

// ConvGemmT computes C = alpha·op(A)·col(img)ᵀ + beta·C (the weight gradient
// of a convolution: A is the output gradient, [Cout × OutH·OutW]). Up to 4
// rows take dot products (convdot.go), more rows read the im2col matrix in
// place (convweight.go) where that is faster, and the rest pack it.
func ConvGemmT(transA bool, m int, alpha float32, a []float32, lda int, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	n, k := g.C*g.KH*g.KW, g.OutH*g.OutW
	if t := currentTile(); rowsOK(t, transA, m) && !dotOK(transA, m, &g) {
		if beta != 0 {
			scaleC(m, n, beta, c, ldc)
		}
		convGemmTRows(t, m, alpha, a, lda, &g, img, beta == 0, c, ldc)
		return
	}
	if dotOK(transA, m, &g) || k == 0 {
		scaleC(m, n, beta, c, ldc)
		if k > 0 {
			convGemmTDot(currentDot(), m, alpha, a, lda, &g, img, c, ldc)
		}
		return
	}
	gemmWith(currentTile(), denseA{a, lda, transA, alpha}, m, n, k, &convB{&g, img, true}, beta, c, ldc)
}

// convB is the im2col matrix of an image (or its transpose) as a bSource.
type convB struct {
	g     *ConvGeom
	img   []float32
	trans bool
}

// tapRun writes count consecutive im2col values of tap (c, i, j) into
// dst[0], dst[step], …, starting at output position (oy, ox) and wrapping
// to the next output row as needed.
func (s *convB) tapRun(dst []float32, step, c, i, j, oy, ox, count int) {
	g := s.g
	h, w, outW, sw := g.H, g.W, g.OutW, g.StrideW
	plane := s.img[c*h*w : (c+1)*h*w]
	for t := 0; t < count; {
		run := min(count-t, outW-ox)
		iy := oy*g.StrideH - g.PadH + i*g.DilH
		switch {
		case iy < 0 || iy >= h:
			for r := 0; r < run; r++ {
				dst[(t+r)*step] = 0
			}
		case sw == 1 && step == 1:
			row := plane[iy*w : (iy+1)*w]
			x0 := ox - g.PadW + j*g.DilW
			lo := min(max(0, -x0), run)
			hi := max(min(run, w-x0), lo)
			d := dst[t : t+run]
			clear(d[:lo])
			if hi > lo {
				copy(d[lo:hi], row[x0+lo:x0+hi])
			}
			clear(d[hi:])
		default:
			row := plane[iy*w : (iy+1)*w]
			x0 := ox*sw - g.PadW + j*g.DilW
			for r := 0; r < run; r++ {
				v := float32(0)
				if ix := x0 + r*sw; uint(ix) < uint(w) {
					v = row[ix]
				}
				dst[(t+r)*step] = v
			}
		}
		t += run
		oy, ox = oy+1, 0
	}
}

// nextTap advances the tap (channel c, kernel row i, column j) to the next
// row of the im2col matrix, like an odometer.
func (g *ConvGeom) nextTap(c, i, j int) (int, int, int) {
	if j++; j == g.KW {
		if j, i = 0, i+1; i == g.KH {
			i, c = 0, c+1
		}
	}
	return c, i, j
}

// transChunk is how many output positions packTrans gathers per tap at once.
const transChunk = 32

func (s *convB) pack(dst []float32, p0, kb, j0, nb, nr int) {
	g := s.g
	kk := g.KH * g.KW
	if s.trans && nr <= maxNR {
		s.packTrans(dst, p0, kb, j0, nb, nr)
		return
	}
	for jr := 0; jr < nb; jr += nr {
		sl := dst[jr*kb : jr*kb+kb*nr]
		nw := min(nr, nb-jr)
		if nw < nr {
			clear(sl)
		}
		if s.trans {
			// Column t is tap j0+jr+t over output positions p0 … p0+kb.
			oy, ox := p0/g.OutW, p0%g.OutW
			for t := 0; t < nw; t++ {
				tap := j0 + jr + t
				s.tapRun(sl[t:], nr, tap/kk, (tap%kk)/g.KW, tap%g.KW, oy, ox, kb)
			}
			continue
		}
		// Row p of the sliver: tap p0+p at output positions j0+jr …; the
		// tap's (c, i, j) advance like an odometer.
		n0 := j0 + jr
		oy, ox := n0/g.OutW, n0%g.OutW
		c, i, j := p0/kk, (p0%kk)/g.KW, p0%g.KW
		for p := 0; p < kb; p++ {
			s.tapRun(sl[p*nr:p*nr+nw], 1, c, i, j, oy, ox, nw)
			c, i, j = g.nextTap(c, i, j)
		}
	}
}

// packTrans packs the transposed im2col matrix (rows: output positions,
// columns: taps) a square at a time: each tap's run of positions is gathered
// contiguously into an L1-resident scratch tile, which is then transposed
// into the sliver, instead of writing every value with a stride.
func (s *convB) packTrans(dst []float32, p0, kb, j0, nb, nr int) {
	g := s.g
	kk := g.KH * g.KW
	var tile [transChunk * maxNR]float32
	for jr := 0; jr < nb; jr += nr {
		sl := dst[jr*kb : jr*kb+kb*nr]
		nw := min(nr, nb-jr)
		tap0 := j0 + jr
		for pc := 0; pc < kb; pc += transChunk {
			pw := min(transChunk, kb-pc)
			oy, ox := (p0+pc)/g.OutW, (p0+pc)%g.OutW
			c, i, j := tap0/kk, (tap0%kk)/g.KW, tap0%g.KW
			for t := 0; t < nw; t++ {
				s.tapRun(tile[t*transChunk:t*transChunk+pw], 1, c, i, j, oy, ox, pw)
				c, i, j = g.nextTap(c, i, j)
			}
			Transpose(sl[pc*nr:], nr, tile[:], transChunk, nw, pw)
			if nw < nr {
				for p := pc; p < pc+pw; p++ {
					clear(sl[p*nr+nw : p*nr+nr])
				}
			}
		}
	}
}
