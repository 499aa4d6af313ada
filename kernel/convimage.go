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
// row is split into its even and odd pixels once, for both column phases
// (phase b holds pixel 2x + b − PadW: the even pixels go to the phase where
// b − PadW is even, shifted right by PadW div 2 entries, the odd ones to the
// other).
func (im convImage) fillColumnPairs(g *ConvGeom, img []float32, phase, plane int) {
	sh, wq := g.StrideH, im.wq
	hq := plane / wq
	bEven, bOdd := g.PadW%2, 1-g.PadW%2
	shiftEven, shiftOdd := (g.PadW-bEven)/2, (g.PadW-bOdd+1)/2
	nEven := max(0, min((g.W+1)/2, wq-shiftEven))
	nOdd := max(0, min(g.W/2, wq-shiftOdd))
	shiftEven, shiftOdd = min(shiftEven, wq), min(shiftOdd, wq)
	ParallelFor(sh*g.C, 4, func(lo, hi int) {
		for ac := lo; ac < hi; ac++ {
			a, c := ac/g.C, ac%g.C
			qe := im.pad[(a*2+bEven)*phase+c*plane:][:plane]
			qo := im.pad[(a*2+bOdd)*phase+c*plane:][:plane]
			src := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for y := 0; y < hq; y++ {
				de, do := qe[y*wq:(y+1)*wq], qo[y*wq:(y+1)*wq]
				iy := y*sh + a - g.PadH
				if iy < 0 || iy >= g.H {
					clear(de)
					clear(do)
					continue
				}
				clear(de[:shiftEven])
				clear(do[:shiftOdd])
				deinterleave(de[shiftEven:shiftEven+nEven], do[shiftOdd:shiftOdd+nOdd], src[iy*g.W:(iy+1)*g.W])
				clear(de[shiftEven+nEven:])
				clear(do[shiftOdd+nOdd:])
			}
		}
	})
}
