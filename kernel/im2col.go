package kernel

// ConvGeom describes a 2-D convolution window over one C×H×W image that
// produces an Ho×Wo grid: output (oy, ox) reads input rows
// oy·StrideH − PadH + i·DilH for kernel rows i (and likewise for columns).
type ConvGeom struct {
	C, H, W          int
	KH, KW           int
	StrideH, StrideW int
	PadH, PadW       int
	DilH, DilW       int
	OutH, OutW       int
}

// Col2im adds the patch matrix col back into img (the adjoint of Im2col):
// every entry is summed into the input pixel it was read from.
func Col2im(g ConvGeom, col, img []float32) { Col2imStrided(g, col, g.OutH*g.OutW, img) }

// Col2imStrided is Col2im for a patch matrix whose rows are ldc apart (one
// image's columns inside a batch-wide matrix).
func Col2imStrided(g ConvGeom, col []float32, ldc int, img []float32) {
	kk := g.KH * g.KW
	n := g.OutH * g.OutW
	// Channels are independent, so they are split between workers.
	ParallelFor(g.C, 1, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			dstImg := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for k := 0; k < kk; k++ {
				i, j := k/g.KW, k%g.KW
				src := col[(c*kk+k)*ldc : (c*kk+k)*ldc+n]
				for oy := 0; oy < g.OutH; oy++ {
					iy := oy*g.StrideH - g.PadH + i*g.DilH
					if iy < 0 || iy >= g.H {
						continue
					}
					drow := dstImg[iy*g.W : (iy+1)*g.W]
					srow := src[oy*g.OutW : (oy+1)*g.OutW]
					x0 := j*g.DilW - g.PadW
					if g.StrideW == 1 {
						lo := max(0, -x0)
						hi := min(g.OutW, g.W-x0)
						if hi > lo {
							d := drow[x0+lo : x0+hi]
							for t, v := range srow[lo:hi] {
								d[t] += v
							}
						}
						continue
					}
					for ox, v := range srow {
						ix := x0 + ox*g.StrideW
						if ix >= 0 && ix < g.W {
							drow[ix] += v
						}
					}
				}
			}
		}
	})
}

// Im2colStrided writes the (C·KH·KW)×(OutH·OutW) patch matrix of img into
// col, whose rows are ldc apart, so that several images can fill the
// column blocks of one batch-wide matrix.
func Im2colStrided(g ConvGeom, img, col []float32, ldc int) {
	s := convB{g: &g, img: img}
	n := g.OutH * g.OutW
	rows := g.C * g.KH * g.KW
	ParallelFor(rows, 16, func(lo, hi int) {
		c, i, j := lo/(g.KH*g.KW), (lo%(g.KH*g.KW))/g.KW, lo%g.KW
		for r := lo; r < hi; r++ {
			s.tapRun(col[r*ldc:r*ldc+n], 1, c, i, j, 0, 0, n)
			c, i, j = g.nextTap(c, i, j)
		}
	})
}
