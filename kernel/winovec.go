package kernel

import "slices"

// The element-wise steps of the Winograd transforms (winograd.go): AVX2
// loops over eight floats at a time, Go for the rest and on other CPUs. The
// signs are ±1, so every product is exact and both paths round alike.

// winoKernels transforms nd depths of a sliver of mr kernel rows: for
// depth d and lane l < lanes, the 3×3 kernel at
// src[l·rowStride + d·depthStride] becomes the 16 values t = G·k·Gᵀ
// (winoKernel), t[ξ] stored at dst[offs[ξ] + d·mr + l]; lanes past lanes
// (rows past the matrix) get zeros.
func winoKernels(nd, lanes int, src []float32, rowStride, depthStride int, dst []float32, mr int, offs *[16]int) {
	last := 0
	for _, o := range offs {
		last = max(last, o)
	}
	_, _ = src[(lanes-1)*rowStride+(nd-1)*depthStride+8], dst[last+nd*mr-1]
	l0 := 0
	if useAsm && lanes == mr && mr%4 == 0 {
		winoKernelsAsm(nd, &src[0], rowStride, depthStride, &dst[0], mr, offs, mr/4)
		l0 = mr
	}
	var t [16]float32
	for d := 0; d < nd; d++ {
		for l := l0; l < mr; l++ {
			t = [16]float32{}
			if l < lanes {
				winoKernel(&t, (*[9]float32)(src[l*rowStride+d*depthStride:]))
			}
			for xi, v := range t {
				dst[offs[xi]+d*mr+l] = v
			}
		}
	}
}

// winoKernelGrads applies winoKernelGrad along n lanes: for lane l the 4×4
// u[ξ] = src[ξ·size + l] becomes the 3×3 k, k[tap] stored at
// dst[tap·ldd + l].
func winoKernelGrads(n int, src []float32, size int, dst []float32, ldd int) {
	_, _ = src[15*size+n-1], dst[8*ldd+n-1]
	if useAsm && n%8 == 0 {
		winoKernelGradsAsm(n, &src[0], size, &dst[0], ldd)
		return
	}
	var u [16]float32
	var k [9]float32
	for l := 0; l < n; l++ {
		for xi := range u {
			u[xi] = src[xi*size+l]
		}
		winoKernelGrad(&k, &u)
		for tap, v := range k {
			dst[tap*ldd+l] = v
		}
	}
}

// gather sets, for each of nch channels d and lane l < nr,
// dst[d·nr+l] = Σ_q signs[q]·src[d·plane + offs[q] + l] over the
// len(offs) ≤ 4 terms, added in order.
func gather(nch int, dst, src []float32, plane int, offs []int, signs []float32, nr int) {
	n := len(offs)
	last := (nch-1)*plane + slices.Max(offs) + nr - 1
	_, _, _ = dst[nch*nr-1], src[last], signs[n-1]
	if useAsm && nr%8 == 0 {
		gatherAsm(nch, &dst[0], &src[0], plane, &offs[0], &signs[0], n, nr)
		return
	}
	for d := 0; d < nch; d++ {
		out := dst[d*nr : (d+1)*nr]
		x := src[d*plane:]
		for l := range out {
			v := signs[0] * x[offs[0]+l]
			for q := 1; q < n; q++ {
				v += signs[q] * x[offs[q]+l]
			}
			out[l] = v
		}
	}
}

// gatherColumn computes, for each of nch channels d and lane l < nr, from
// the four pixel rows r of a tile x_r(s) = src[d·plane + offs(r, s) + l]
// (offs[0], offs[1]: row 0 at the column pair's two pixels; offs[2],
// offs[3]: row 1; rows 2 and 3 are rows 0 and 1 one phase row, wq floats,
// further on) the column combinations c_r = signs[0]·x_r(a) + signs[1]·x_r(b)
// and from them the four rows of Bᵀ: c0 − c2, c1 + c2, c2 − c1 and c1 − c3,
// stored at dst[i·vstride + d·nr + l] for i = 0 … 3.
func gatherColumn(nch int, dst []float32, vstride int, src []float32, plane, wq int, offs *[4]int, signs *[2]float32, nr int) {
	last := (nch-1)*plane + max(offs[0], offs[1], offs[2], offs[3]) + wq + nr - 1
	_, _ = dst[3*vstride+nch*nr-1], src[last]
	if useAsm && nr%8 == 0 {
		gatherColumnAsm(nch, &dst[0], vstride, &src[0], plane, wq, offs, signs, nr)
		return
	}
	sa, sb := signs[0], signs[1]
	for d := 0; d < nch; d++ {
		x := src[d*plane:]
		for l := 0; l < nr; l++ {
			var c [4]float32
			for r := range c {
				o := (r / 2) * wq
				v := sa * x[o+offs[2*(r%2)]+l]
				c[r] = v + sb*x[o+offs[2*(r%2)+1]+l]
			}
			at := d*nr + l
			dst[at] = c[0] - c[2]
			dst[vstride+at] = c[1] + c[2]
			dst[2*vstride+at] = c[2] - c[1]
			dst[3*vstride+at] = c[1] - c[3]
		}
	}
}

// deinterleave sets even[k] = src[2k] and odd[k] = src[2k+1] for k below
// their lengths.
func deinterleave(even, odd, src []float32) {
	ne, no := len(even), len(odd)
	if ne == 0 && no == 0 {
		return
	}
	_ = src[max(2*ne-2, 2*no-1)]
	k := 0
	if n := min(ne, no) &^ 7; useAsm && n > 0 {
		deinterleaveAsm(n, &even[0], &odd[0], &src[0])
		k = n
	}
	for i := k; i < ne; i++ {
		even[i] = src[2*i]
	}
	for i := k; i < no; i++ {
		odd[i] = src[2*i+1]
	}
}

// comb2 sets dst[i] = a[i] + sb·b[i] (sb = ±1) for i < len(dst).
func comb2(dst, a, b []float32, sb float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	a, b = a[:n], b[:n]
	i := 0
	if useAsm && n >= 8 {
		comb2asm(n, &dst[0], &a[0], &b[0], sb)
		i = n &^ 7
	}
	for ; i < n; i++ {
		dst[i] = a[i] + sb*b[i]
	}
}

// comb3 sets dst[i] = a[i] + sb·b[i] + sc·c[i] (sb, sc = ±1), added in
// that order, for i < len(dst).
func comb3(dst, a, b, c []float32, sb, sc float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	a, b, c = a[:n], b[:n], c[:n]
	i := 0
	if useAsm && n >= 8 {
		comb3asm(n, &dst[0], &a[0], &b[0], &c[0], sb, sc)
		i = n &^ 7
	}
	for ; i < n; i++ {
		v := a[i] + sb*b[i]
		dst[i] = v + sc*c[i]
	}
}

// interleave sets dst[2i] = beta·dst[2i] + even[i] and dst[2i+1] =
// beta·dst[2i+1] + odd[i] for i < len(even), not reading dst when beta is
// 0. beta is 0 or 1.
func interleave(dst, even, odd []float32, beta float32) {
	n := len(even)
	if n == 0 {
		return
	}
	dst, odd = dst[:2*n], odd[:n]
	i := 0
	if useAsm && n >= 8 {
		interleaveAsm(n, &dst[0], &even[0], &odd[0], beta != 0)
		i = n &^ 7
	}
	for ; i < n; i++ {
		put(dst, 2*i, beta, even[i])
		put(dst, 2*i+1, beta, odd[i])
	}
}
