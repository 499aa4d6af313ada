package kernel

// Weight gradients of convolutions with few output channels (the RGB output
// layer of every generator): with m ≤ 4 rows of output gradient, neither
// GEMM arrangement fits a register tile (12×32 with 3 useful rows wastes
// three quarters of it, and packing the im2col matrix costs more than the
// six flops each packed value feeds). Each entry is instead a dot product
// along the output positions,
//
//	dW[co, (c,i,j)] = Σ over q of dY′[co, q] · pad[tap(c,i,j) + q],
//
// with the positions counted along padded rows as in convweight.go. The
// kernel vectorises along q, six taps against four output channels at once.

const (
	dotRows  = 6  // taps per kernel call
	dotCols  = 4  // output channels per kernel call (unused ones are zero)
	dotLanes = 16 // floats per vector; k is padded to a multiple of this
)

// dotKernel is kern6x4dot's contract: out[(i·dotCols+j)·dotLanes + l]
// holds partial sums of A[i]·B[j] whose total over l is the dot product of
// the k floats at base[offs[i]:] and b[j·ldb:].
type dotKernel func(k int, base []float32, offs []int64, b []float32, ldb int, out *[dotRows * dotCols * dotLanes]float32)

// currentDot picks the dot-product kernel for the CPU and settings, or nil
// where the packed GEMM should be used instead (AVX2 without AVX-512).
func currentDot() dotKernel {
	switch {
	case useAsm && hasAVX512:
		return func(k int, base []float32, offs []int64, b []float32, ldb int, out *[dotRows * dotCols * dotLanes]float32) {
			_, _ = offs[dotRows-1], b[(dotCols-1)*ldb+k-1]
			for _, o := range offs[:dotRows] {
				_ = base[o+int64(k)-1]
			}
			kern6x4dot(k, &base[0], &offs[0], &b[0], ldb, &out[0])
		}
	case useAsm:
		return nil
	}
	return dotGo
}

// dotGo is the portable dot-product kernel; it leaves each sum in lane 0.
func dotGo(k int, base []float32, offs []int64, b []float32, ldb int, out *[dotRows * dotCols * dotLanes]float32) {
	clear(out[:])
	for i := 0; i < dotRows; i++ {
		a := base[offs[i] : offs[i]+int64(k)]
		for j := 0; j < dotCols; j++ {
			var s float32
			for p, bv := range b[j*ldb : j*ldb+k] {
				s += a[p] * bv
			}
			out[(i*dotCols+j)*dotLanes] = s
		}
	}
}

// dotOK reports whether ConvGemmT takes the dot-product path.
func dotOK(transA bool, m int, g *ConvGeom) bool {
	return currentDot() != nil && !transA && m <= dotCols
}

// convGemmTDot accumulates alpha·A·col(img)ᵀ into C (see ConvGemmT) by dot
// products along the output positions.
func convGemmTDot(dot dotKernel, m int, alpha float32, a []float32, lda int, g *ConvGeom, img []float32, c []float32, ldc int) {
	im := newConvImage(g, img, dotLanes, dotRows)
	defer im.release()
	pad, wp := im.pad, im.wq
	kdim := g.C * g.KH * g.KW
	k := (g.OutH-1)*wp + g.OutW
	kp := (k + dotLanes - 1) / dotLanes * dotLanes

	// dY′: each output channel's rows laid out wp apart, zero in the dead
	// columns, the tail and the unused channels.
	b := GetBuf(dotCols * kp)
	defer PutBuf(b)
	clear(b)
	for co := 0; co < m; co++ {
		for oy := 0; oy < g.OutH; oy++ {
			dst := b[co*kp+oy*wp : co*kp+oy*wp+g.OutW]
			for x, v := range a[co*lda+oy*g.OutW : co*lda+(oy+1)*g.OutW] {
				dst[x] = alpha * v
			}
		}
	}

	tap := im.tap // rows past kdim read the start of the image, thrown away
	ParallelFor(len(tap)/dotRows, 4, func(lo, hi int) {
		var out [dotRows * dotCols * dotLanes]float32
		for p := lo; p < hi; p++ {
			dot(kp, pad, tap[p*dotRows:(p+1)*dotRows], b, kp, &out)
			for r := 0; r < dotRows && p*dotRows+r < kdim; r++ {
				for co := 0; co < m; co++ {
					var s float32
					for _, v := range out[(r*dotCols+co)*dotLanes : (r*dotCols+co+1)*dotLanes] {
						s += v
					}
					c[co*ldc+p*dotRows+r] += s
				}
			}
		}
	})
}
