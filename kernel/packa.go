package kernel

// The left operand of a product (the weights, in a convolution) is packed
// into slivers of mr rows, each stored column by column. An aSource packs
// blocks of it; convolutions pack all of it once per call, shared by the
// workers (packedA), instead of each worker packing every block it needs.

// aSource packs blocks of the left operand alpha·op(A).
type aSource interface {
	// block returns the mb×kb block at rows i0 … and depth p0 … in slivers
	// of mr rows (sliver ir at [ir·kb:], padded with zero rows), each stored
	// column by column. It packs into dst unless the block is packed already.
	block(dst []float32, i0, mb, p0, kb, mr int) []float32
	// from returns the operand without its first r rows.
	from(r int) aSource
}

// denseA is a stored row-major matrix scaled by alpha, used as is or
// transposed.
type denseA struct {
	a     []float32
	lda   int
	trans bool
	alpha float32
}

func (d denseA) from(r int) aSource {
	if d.trans {
		d.a = d.a[r:]
	} else {
		d.a = d.a[r*d.lda:]
	}
	return d
}

func (d denseA) block(dst []float32, i0, mb, p0, kb, mr int) []float32 {
	eachSliver(dst, mb, kb, mr, func(s []float32, ir, mh int) {
		row := i0 + ir
		if d.trans {
			// Column p of the sliver is a contiguous run of op(A)ᵀ's row:
			// a few floats, copied element by element (copy would call
			// memmove for every column).
			src := d.a[p0*d.lda+row:]
			for p := 0; p < kb; p++ {
				col, in := s[p*mr:p*mr+mh], src[p*d.lda:p*d.lda+mh]
				for r := range col {
					col[r] = in[r]
				}
			}
		} else {
			Transpose(s, mr, d.a[row*d.lda+p0:], d.lda, mh, kb)
		}
		if d.alpha != 1 {
			for i := range s {
				s[i] *= d.alpha
			}
		}
	})
	return dst
}

// eachSliver calls f for each mr-row sliver of an mb×kb block packed into
// dst: its kb·mr floats (cleared first when the sliver has fewer than mr
// rows, mh), starting at row ir of the block.
func eachSliver(dst []float32, mb, kb, mr int, f func(s []float32, ir, mh int)) {
	for ir := 0; ir < mb; ir += mr {
		s := dst[ir*kb : ir*kb+kb*mr]
		mh := min(mr, mb-ir)
		if mh < mr {
			clear(s)
		}
		f(s, ir, mh)
	}
}

// flippedA is the kernel w [Cout × Cin × KH·KW] of a convolution, flipped
// spatially and transposed: A[ci][(co, t)] = w[co][ci][KH·KW−1−t], the left
// operand of its input gradient computed as a convolution of the output
// gradient. It is read in place, without a flipped copy.
type flippedA struct {
	w       []float32
	cin, kk int
	r0      int // first row (input channel)
}

func (f flippedA) from(r int) aSource { f.r0 += r; return f }

func (f flippedA) block(dst []float32, i0, mb, p0, kb, mr int) []float32 {
	eachSliver(dst, mb, kb, mr, func(s []float32, ir, mh int) {
		ci := f.r0 + i0 + ir
		co, t := p0/f.kk, p0%f.kk
		for p := 0; p < kb; p++ {
			// The mh values of column p are kk apart in w.
			src := f.w[(co*f.cin+ci)*f.kk+f.kk-1-t:]
			col := s[p*mr : p*mr+mh]
			for r := range col {
				col[r] = src[r*f.kk]
			}
			if t++; t == f.kk {
				t, co = 0, co+1
			}
		}
	})
	return dst
}

// packedA is a whole operand packed once: depth block pc (at multiples of
// kc) holds the slivers of all rows, sliver s at pc·rows + s·mr·kb.
type packedA struct {
	p    []float32
	rows int // rows rounded up to whole slivers
	r0   int
}

// packA packs the m×k operand src for tile height mr, sharing the work
// between workers; release hands the buffer back.
func packA(src aSource, m, k, mr int) packedA {
	rows := (m + mr - 1) / mr * mr
	pa := packedA{p: GetBuf(rows * k), rows: rows}
	slivers, blocks := rows/mr, (k+kc-1)/kc
	ParallelFor(blocks*slivers, 4, func(lo, hi int) {
		for t := lo; t < hi; t++ {
			pc, s := t/slivers*kc, t%slivers
			kb := min(kc, k-pc)
			src.block(pa.p[pc*rows+s*mr*kb:pc*rows+(s+1)*mr*kb], s*mr, min(mr, m-s*mr), pc, kb, mr)
		}
	})
	return pa
}

func (pa packedA) from(r int) aSource { pa.r0 += r; return pa }

func (pa packedA) block(_ []float32, i0, _, p0, kb, _ int) []float32 {
	return pa.p[p0*pa.rows+(pa.r0+i0)*kb:]
}

func (pa packedA) release() { PutBuf(pa.p) }
