package kernel

// convImage is an image laid out so that the im2col matrix can be read in
// place: zero-padded, and split into StrideH×StrideW phase images, phase
// (a, b) holding the padded pixels at rows a, a+StrideH, … and columns
// b, b+StrideW, …. Then for every tap (c, i, j) the im2col row over the
// output positions of one output row is a run of consecutive floats, for
// any stride and dilation: output (oy, ox) reads phase ((i·DilH) mod
// StrideH, (j·DilW) mod StrideW) at row oy + i·DilH div StrideH, column
// ox + j·DilW div StrideW. With unit strides it is just the padded image.
type convImage struct {
	pad []float32 // the phase images one after another, then tail zeros
	wq  int       // columns of a phase image
	// tap is the offset of tap (c, i, j) at output position (0, 0), followed
	// by zero offsets up to a whole number of kernel tiles.
	tap []int64
}

// newConvImage lays img out for g with tail zeros after the last phase and
// a tap table of a multiple of tapTile entries; release hands the buffer
// back.
func newConvImage(g *ConvGeom, img []float32, tail, tapTile int) convImage {
	sh, sw := g.StrideH, g.StrideW
	hp, wp := g.H+2*g.PadH, g.W+2*g.PadW
	hq, wq := (hp+sh-1)/sh, (wp+sw-1)/sw
	plane := hq * wq
	phase := g.C * plane
	kdim := g.C * g.KH * g.KW
	im := convImage{pad: GetBuf(sh*sw*phase + tail), wq: wq, tap: make([]int64, (kdim+tapTile-1)/tapTile*tapTile)}
	c, i, j := 0, 0, 0
	for t := range im.tap[:kdim] {
		a, b := i*g.DilH, j*g.DilW
		im.tap[t] = int64((a%sh*sw+b%sw)*phase + (c*hq+a/sh)*wq + b/sw)
		c, i, j = g.nextTap(c, i, j)
	}
	if sw == 2 {
		im.fillColumnPairs(g, img, phase, plane)
		clear(im.pad[sh*sw*phase:])
		return im
	}
	ParallelFor(sh*sw*g.C, 4, func(lo, hi int) {
		for pc := lo; pc < hi; pc++ {
			ph, c := pc/g.C, pc%g.C
			a, b := ph/sw, ph%sw
			dst := im.pad[ph*phase+c*plane : ph*phase+(c+1)*plane]
			src := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for y := 0; y < hq; y++ {
				row := dst[y*wq : (y+1)*wq]
				iy := y*sh + a - g.PadH
				if iy < 0 || iy >= g.H {
					clear(row)
					continue
				}
				in := src[iy*g.W : (iy+1)*g.W]
				if sw == 1 {
					// row[x] = in[x − PadW]
					lo := min(g.PadW, wq)
					hi := min(max(g.PadW+g.W, lo), wq)
					clear(row[:lo])
					copy(row[lo:hi], in)
					clear(row[hi:])
					continue
				}
				for x := range row {
					v := float32(0)
					if ix := x*sw + b - g.PadW; uint(ix) < uint(g.W) {
						v = in[ix]
					}
					row[x] = v
				}
			}
		}
	})
	clear(im.pad[sh*sw*phase:])
	return im
}

// at is the offset of output position (oy, ox) added to a tap's offset.
func (im convImage) at(oy, ox int) int64 { return int64(oy*im.wq + ox) }

func (im convImage) release() { PutBuf(im.pad) }

// fillColumnPairs lays img out for a horizontal stride of 2: each padded
// row is split into its two column phases at once (columnPhases).
func (im convImage) fillColumnPairs(g *ConvGeom, img []float32, phase, plane int) {
	sh, wq := g.StrideH, im.wq
	hq := plane / wq
	cp := newColumnPhases(g.W, g.PadW, wq)
	ParallelFor(sh*g.C, 4, func(lo, hi int) {
		for ac := lo; ac < hi; ac++ {
			a, c := ac/g.C, ac%g.C
			qe := im.pad[(a*2+cp.even)*phase+c*plane:][:plane]
			qo := im.pad[(a*2+cp.odd)*phase+c*plane:][:plane]
			src := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for y := 0; y < hq; y++ {
				var row []float32
				if iy := y*sh + a - g.PadH; iy >= 0 && iy < g.H {
					row = src[iy*g.W : (iy+1)*g.W]
				}
				cp.split(qe[y*wq:(y+1)*wq], qo[y*wq:(y+1)*wq], row)
			}
		}
	})
}

// columnPhases splits padded image rows between their two column phases
// for a horizontal stride of 2. Phase b holds pixel 2x + b − pad, so the
// even pixels go to the phase where b − pad is even, shifted right by
// (pad − b) div 2 entries, and the odd pixels to the other.
type columnPhases struct {
	even, odd           int // the phases (b) that take the even and the odd pixels
	shiftEven, shiftOdd int // where in their phase rows the runs start
	nEven, nOdd         int // how many of each fit in a phase row
}

// newColumnPhases plans the split of rows of w pixels padded by pad on the
// left, into phase rows of wq entries.
func newColumnPhases(w, pad, wq int) columnPhases {
	cp := columnPhases{even: pad % 2, odd: 1 - pad%2}
	cp.shiftEven, cp.shiftOdd = min((pad-cp.even)/2, wq), min((pad-cp.odd+1)/2, wq)
	cp.nEven = max(0, min((w+1)/2, wq-cp.shiftEven))
	cp.nOdd = max(0, min(w/2, wq-cp.shiftOdd))
	return cp
}

// split writes the image row src into the phase rows de (phase cp.even)
// and do (phase cp.odd), zero outside the image; a nil src is a padding row.
func (cp columnPhases) split(de, do, src []float32) {
	if src == nil {
		clear(de)
		clear(do)
		return
	}
	clear(de[:cp.shiftEven])
	clear(do[:cp.shiftOdd])
	deinterleave(de[cp.shiftEven:cp.shiftEven+cp.nEven], do[cp.shiftOdd:cp.shiftOdd+cp.nOdd], src)
	clear(de[cp.shiftEven+cp.nEven:])
	clear(do[cp.shiftOdd+cp.nOdd:])
}
