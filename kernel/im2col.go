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

// Im2col writes the (C·KH·KW)×(OutH·OutW) patch matrix of img into col:
// row (c·KH+i)·KW+j holds input channel c shifted by kernel tap (i, j), with
// zeros where the window leaves the image.
func Im2col(g ConvGeom, img, col []float32) {
	rows := g.C * g.KH * g.KW
	n := g.OutH * g.OutW
	ParallelFor(rows, 8, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			c, i, j := r/(g.KH*g.KW), (r/g.KW)%g.KH, r%g.KW
			dst := col[r*n : (r+1)*n]
			src := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for oy := 0; oy < g.OutH; oy++ {
				row := dst[oy*g.OutW : (oy+1)*g.OutW]
				iy := oy*g.StrideH - g.PadH + i*g.DilH
				if iy < 0 || iy >= g.H {
					clear(row)
					continue
				}
				srow := src[iy*g.W : (iy+1)*g.W]
				x0 := j*g.DilW - g.PadW
				if g.StrideW == 1 {
					// Contiguous copy between the zero borders.
					lo := max(0, -x0)
					hi := min(g.OutW, g.W-x0)
					if hi <= lo {
						clear(row)
						continue
					}
					clear(row[:lo])
					copy(row[lo:hi], srow[x0+lo:x0+hi])
					clear(row[hi:])
					continue
				}
				for ox := range row {
					ix := x0 + ox*g.StrideW
					if ix >= 0 && ix < g.W {
						row[ox] = srow[ix]
					} else {
						row[ox] = 0
					}
				}
			}
		}
	})
}

// Col2im adds the patch matrix col back into img (the adjoint of Im2col):
// every entry is summed into the input pixel it was read from.
func Col2im(g ConvGeom, col, img []float32) {
	kk := g.KH * g.KW
	n := g.OutH * g.OutW
	// Channels are independent, so they are split between workers.
	ParallelFor(g.C, 1, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			dstImg := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for k := 0; k < kk; k++ {
				i, j := k/g.KW, k%g.KW
				src := col[(c*kk+k)*n : (c*kk+k+1)*n]
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
