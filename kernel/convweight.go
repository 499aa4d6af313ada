package kernel

// Indirect A, for the weight gradient of a convolution:
//
//	dW[co, (c,i,j)] = Σ over (oy, ox) of dY[co, oy, ox] · col[(c,i,j), (oy, ox)].
//
// Computed transposed, dWᵀ = col·dYᵀ, the im2col matrix is the left operand.
// Count the output positions along the rows of the image laid out as a
// convImage (padded, split into stride phases; Wq floats a row),
// q = oy·Wq + ox, so that the columns ox ≥ OutW are dead (their output
// gradient is taken as zero); then row (c, i, j) of col is the run of floats
// that starts at the tap's offset in the layout. The micro-kernel reads
// those runs in place, so the im2col matrix, which holds every pixel KH·KW
// times, is never packed; only the output gradient is, once per call, into
// K×nr slivers of dYᵀ.

// rowsKC is the depth of one pass of the indirect-A loop: the twelve runs of
// A (12·rowsKC floats) stay in L1 while the slivers of dYᵀ cycle through L2.
const rowsKC = 512

// rowsL2Bytes is how much of C may be cycled through L2 once per depth
// block; rowsGroupBytes bounds a group's rows of C when it is more.
const (
	rowsL2Bytes    = 1 << 20
	rowsGroupBytes = 256 << 10
)

// rowsOK reports whether ConvGemmT can read the im2col matrix of g in place
// with tile t for an m-row output gradient: m large enough that rounding it
// up to whole tiles wastes at most a sixth of the work.
func rowsOK(t tile, transA bool, m int) bool {
	nt := (m + t.nr - 1) / t.nr * t.nr
	return t.kernRows != nil && !transA && 5*nt <= 6*m
}

// convGemmTRows accumulates alpha·A·col(img)ᵀ into C (see ConvGemmT) by
// indirect A; with overwrite it stores the product in C instead, which is
// then not read.
func convGemmTRows(t tile, m int, alpha float32, a []float32, lda int, g *ConvGeom, img []float32, overwrite bool, c []float32, ldc int) {
	mr, nr := t.mr, t.nr
	im := newConvImage(g, img, 0, mr)
	defer im.release()
	pad, wp := im.pad, im.wq
	kdim := g.C * g.KH * g.KW
	k := (g.OutH-1)*wp + g.OutW
	nt := (m + nr - 1) / nr * nr
	mt := (kdim + mr - 1) / mr * mr

	// dYᵀ in slivers of nr output channels: sliver s holds rows q = 0 … k−1
	// of nr values each, zero in the dead columns and past channel m.
	bp := GetBuf(k * nt)
	defer PutBuf(bp)
	ParallelFor(g.OutH, 4, func(lo, hi int) {
		for oy := lo; oy < hi; oy++ {
			q0 := oy * wp
			qEnd := min(q0+wp, k)
			for jr := 0; jr < nt; jr += nr {
				sl := bp[jr*k : (jr+nr)*k]
				nw := min(nr, m-jr)
				Transpose(sl[q0*nr:], nr, a[jr*lda+oy*g.OutW:], lda, nw, g.OutW)
				if nw < nr {
					for q := q0; q < q0+g.OutW; q++ {
						clear(sl[q*nr+nw : (q+1)*nr])
					}
				}
				clear(sl[(q0+g.OutW)*nr : qEnd*nr])
				if alpha != 1 {
					for i := range sl[q0*nr : qEnd*nr] {
						sl[q0*nr+i] *= alpha
					}
				}
			}
		}
	})

	// Rows past kdim (padding the last tile) read the start of the image and
	// are thrown away.
	tap := im.tap

	ct := GetBuf(mt * nt)
	defer PutBuf(ct)
	clear(ct)
	// C (mt×nt floats) is read and written once per depth block. When it
	// does not fit in L2, the panels go through the depth blocks a group at
	// a time, each group's rows of C (rowsGroupBytes) staying in L2 while
	// dYᵀ, read once per group, streams.
	group := mt / mr
	if 4*mt*nt > rowsL2Bytes {
		group = max(1, rowsGroupBytes/(4*mr*nt))
	}
	ParallelFor(mt/mr, 1, func(lo, hi int) {
		for g0 := lo; g0 < hi; g0 += group {
			g1 := min(g0+group, hi)
			for pc := 0; pc < k; pc += rowsKC {
				kb := min(rowsKC, k-pc)
				base := pad[pc:] // the runs' positions pc … pc+kb
				for jr := 0; jr < nt; jr += nr {
					for ir := g0 * mr; ir < g1*mr; ir += mr {
						t.kernRows(kb, base, tap[ir:ir+mr], bp[jr*k+pc*nr:], ct[ir*nt+jr:], nt)
					}
				}
			}
		}
	})

	// C += (dWᵀ)ᵀ, a block of rowsTrBlock taps at a time: the block's rows
	// of dWᵀ are contiguous, and each output channel's share of C is a run.
	ParallelFor((kdim+rowsTrBlock-1)/rowsTrBlock, 1, func(lo, hi int) {
		if overwrite {
			// Squares of rowsTrBlock taps by 32 channels, so that the rows
			// of C written stay few (each a page of its own).
			for r0 := lo * rowsTrBlock; r0 < min(hi*rowsTrBlock, kdim); r0 += rowsTrBlock {
				rn := min(rowsTrBlock, kdim-r0)
				for c0 := 0; c0 < m; c0 += 32 {
					Transpose(c[c0*ldc+r0:], ldc, ct[r0*nt+c0:], nt, rn, min(32, m-c0))
				}
			}
			return
		}
		tr := GetBuf(m * rowsTrBlock)
		defer PutBuf(tr)
		for r0 := lo * rowsTrBlock; r0 < min(hi*rowsTrBlock, kdim); r0 += rowsTrBlock {
			rn := min(rowsTrBlock, kdim-r0)
			Transpose(tr, rn, ct[r0*nt:], nt, rn, m)
			for co := 0; co < m; co++ {
				crow := c[co*ldc+r0 : co*ldc+r0+rn]
				for r, v := range tr[co*rn : (co+1)*rn] {
					crow[r] += v
				}
			}
		}
	})
}

// rowsTrBlock is how many rows of dWᵀ are transposed into C at once.
const rowsTrBlock = 64
