package kernel

// Register tile of the micro-kernel and cache blocking of the driver, in the
// BLIS arrangement: a kc×nr sliver of B stays in L1 while the mr×kc slivers
// of an mc×kc block of A (held in L2) stream past it.
//
// The register tile (mr×nr) depends on the micro-kernel in use (see tile);
// the block sizes are multiples of every tile.
const (
	kc    = 256  // depth of one packed block
	mc    = 96   // rows of A packed per block (multiple of every mr)
	nc    = 4096 // columns of B packed per block (multiple of every nr)
	maxMR = 12
	maxNR = 32
)

// smallGEMM is the flop count under which packing costs more than it saves.
const smallGEMM = 16 * 16 * 16

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(X) is X or its transpose as transA/transB say. op(A) is m×k, op(B) is
// k×n and C is m×n; lda, ldb and ldc are the row strides of the stored
// matrices. When beta is 0, C is overwritten without being read (NaNs in C
// do not survive), as in BLAS.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 || alpha == 0 || m*n*k <= smallGEMM {
		scaleC(m, n, beta, c, ldc)
		if k > 0 && alpha != 0 {
			naiveGEMM(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		}
		return
	}
	gemmWith(currentTile(), denseA{a, lda, transA, alpha}, m, n, k, denseB{b, ldb, transB}, beta, c, ldc)
}

// gemmWith computes C = A·B + beta·C (k > 0) with tile t for any source of
// A and B, splitting the larger of M and N between workers in whole register
// tiles. With beta 0 the first depth block stores its tiles instead of
// adding them, so C is neither cleared first nor read.
func gemmWith(t tile, a aSource, m, n, k int, b bSource, beta float32, c []float32, ldc int) {
	if beta != 0 {
		scaleC(m, n, beta, c, ldc)
	}
	g := gemm{t, a, k, b, c, ldc, beta == 0}
	mr, nr := g.mr, g.nr
	// Split the larger of M and N between workers, in whole register tiles.
	// With B read in place (indirect B) there is no B packing to share, so
	// splitting M keeps each worker from packing all of A — when the tiles
	// of M divide evenly between the workers or are many.
	_, inPlace := b.(*indirectB)
	mTiles := (m + mr - 1) / mr
	splitM := inPlace && g.kernInd != nil && m >= 4*mr && (mTiles%workers == 0 || mTiles >= 8*workers)
	if n >= m && !splitM {
		tiles := (n + nr - 1) / nr
		ParallelFor(tiles, 4, func(lo, hi int) { g.block(0, m, lo*nr, min(hi*nr, n)) })
	} else {
		tiles := (m + mr - 1) / mr
		ParallelFor(tiles, 4, func(lo, hi int) { g.block(lo*mr, min(hi*mr, m), 0, n) })
	}
}

func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	ParallelFor(m, max(1, (1<<15)/n), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
				continue
			}
			for j := range row {
				row[j] *= beta
			}
		}
	})
}

// naiveGEMM accumulates alpha·op(A)·op(B) into C with plain loops.
func naiveGEMM(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		for p := 0; p < k; p++ {
			var aip float32
			if transA {
				aip = a[p*lda+i]
			} else {
				aip = a[i*lda+p]
			}
			aip *= alpha
			if aip == 0 {
				continue
			}
			if transB {
				for j := range crow {
					crow[j] += aip * b[j*ldb+p]
				}
			} else {
				brow := b[p*ldb : p*ldb+n]
				for j, bv := range brow {
					crow[j] += aip * bv
				}
			}
		}
	}
}

// gemm holds the operands of one Sgemm call while workers share it.
type gemm struct {
	tile
	a   aSource
	k   int
	b   bSource
	c   []float32
	ldc int
	// overwrite: C holds garbage; the first depth block stores into it.
	overwrite bool
}

// bSource packs blocks of the right-hand operand: a dense matrix, or the
// im2col matrix of an image read on the fly (implicit GEMM, conv.go).
type bSource interface {
	// pack writes the kb×nb block at (p0, j0) in slivers of nr columns,
	// each row by row, zero-padding the last sliver.
	pack(dst []float32, p0, kb, j0, nb, nr int)
}

// denseB is a stored row-major matrix, used as is or transposed.
type denseB struct {
	b     []float32
	ldb   int
	trans bool
}

// packBuffers are a worker's packed blocks of A and B, reused across calls.
type packBuffers struct{ a, b []float32 }

func getPackBuffers() packBuffers { return packBuffers{GetBuf(mc * kc), GetBuf(kc * nc)} }

func (p packBuffers) put() { PutBuf(p.a); PutBuf(p.b) }

// block computes rows [i0,i1) and columns [j0,j1) of C.
func (g *gemm) block(i0, i1, j0, j1 int) {
	if ind, ok := g.b.(*indirectB); ok && g.kernInd != nil {
		g.blockIndirect(ind, i0, i1, j0, j1)
		return
	}
	buf := getPackBuffers()
	defer buf.put()
	mr, nr := g.mr, g.nr
	var tmpBuf [maxMR * maxNR]float32
	tmp := tmpBuf[:mr*nr]
	for jc := j0; jc < j1; jc += nc {
		nb := min(nc, j1-jc)
		for pc := 0; pc < g.k; pc += kc {
			kb := min(kc, g.k-pc)
			store := g.overwrite && pc == 0
			g.b.pack(buf.b[:], pc, kb, jc, nb, nr)
			for ic := i0; ic < i1; ic += mc {
				mb := min(mc, i1-ic)
				pa := g.a.block(buf.a[:], ic, mb, pc, kb, mr)
				for jr := 0; jr < nb; jr += nr {
					bp := buf.b[jr*kb:]
					nw := min(nr, nb-jr)
					for ir := 0; ir < mb; ir += mr {
						ap := pa[ir*kb:]
						mh := min(mr, mb-ir)
						coff := (ic+ir)*g.ldc + jc + jr
						if mh == mr && nw == nr && !store {
							g.kern(kb, ap, bp, g.c[coff:], g.ldc)
							continue
						}
						clear(tmp)
						g.kern(kb, ap, bp, tmp, nr)
						g.putTile(tmp, coff, mh, nw, store)
					}
				}
			}
		}
	}
}

// blockIndirect is block for an im2col matrix read in place: instead of a
// packed B block, the kernel gets the taps' offsets in the padded image
// and, as its base, the sliver's first output position there.
func (g *gemm) blockIndirect(b *indirectB, i0, i1, j0, j1 int) {
	buf := getPackBuffers()
	defer buf.put()
	mr, nr := g.mr, g.nr
	var tmpBuf [maxMR * maxNR]float32
	tmp := tmpBuf[:mr*nr]
	for pc := 0; pc < g.k; pc += kc {
		kb := min(kc, g.k-pc)
		offs := b.tap[pc : pc+kb]
		store := g.overwrite && pc == 0
		for ic := i0; ic < i1; ic += mc {
			mb := min(mc, i1-ic)
			pa := g.a.block(buf.a[:], ic, mb, pc, kb, mr)
			for jr := j0; jr < j1; jr += nr { // whole slivers: OutW is a multiple of nr
				base := b.pad[b.at(jr/b.g.OutW, jr%b.g.OutW):]
				for ir := 0; ir < mb; ir += mr {
					ap := pa[ir*kb:]
					mh := min(mr, mb-ir)
					coff := (ic+ir)*g.ldc + jr
					if mh == mr && !store {
						g.kernInd(kb, ap, offs, base, g.c[coff:], g.ldc)
						continue
					}
					clear(tmp)
					g.kernInd(kb, ap, offs, base, tmp, nr)
					g.putTile(tmp, coff, mh, nr, store)
				}
			}
		}
	}
}

// putTile adds (or with store, copies) the mh×nw corner of a register tile
// computed into tmp (row stride nr) to C at offset coff.
func (g *gemm) putTile(tmp []float32, coff, mh, nw int, store bool) {
	for i := 0; i < mh; i++ {
		crow := g.c[coff+i*g.ldc : coff+i*g.ldc+nw]
		if store {
			copy(crow, tmp[i*g.nr:])
			continue
		}
		for j := range crow {
			crow[j] += tmp[i*g.nr+j]
		}
	}
}

// pack copies the kb×nb block of op(B) at (p0, j0) into slivers of nr
// columns, each stored row by row (kb groups of nr values), padding the last
// sliver with zeros.
func (d denseB) pack(dst []float32, p0, kb, j0, nb, nr int) {
	for jr := 0; jr < nb; jr += nr {
		s := dst[jr*kb : jr*kb+kb*nr]
		nw := min(nr, nb-jr)
		if d.trans {
			if nw < nr {
				clear(s)
			}
			// s[p·nr + j] = B[j0+jr+j][p0+p]: a transposed nw×kb block.
			Transpose(s, nr, d.b[(j0+jr)*d.ldb+p0:], d.ldb, nw, kb)
			continue
		}
		for p := 0; p < kb; p++ {
			row := d.b[(p0+p)*d.ldb+j0+jr : (p0+p)*d.ldb+j0+jr+nw]
			r := s[p*nr : p*nr+nr]
			copy(r, row)
			if nw < nr {
				clear(r[nw:])
			}
		}
	}
}
