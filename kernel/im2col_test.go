package kernel

// Im2col is the explicit im2col that the implicit-GEMM packing (convgemm.go)
// must agree with; it writes the (C·KH·KW)×(OutH·OutW) patch matrix of img into col:
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
