package tensor

import (
	"fmt"

	"i2i/kernel"
)

// Nearest ×2 upsampling followed by a convolution, without the upsampled
// image. Output row 2·qy+a (a = 0, 1) of a K×K, padding-(K−1)/2 convolution
// of the upsampled image reads, through kernel row i, low-resolution row
// qy + ⌊(a + i − p)/2⌋: several kernel rows land on the same low-resolution
// row. So each of the four output phases (a, b) is a convolution of x
// itself with a smaller kernel whose taps over the same low-resolution
// pixel are summed — for 5×5 kernels, four 3×3 convolutions: 36 products per
// low-resolution pixel instead of 100, the same sums up to rounding.

// upPhase is the geometry of the phase convolutions for kernel size k and
// padding p: tap i of phase a lands on row off[a][i] of a (2r+1)-tap kernel.
type upPhase struct {
	r   int
	off [2][]int
}

// newUpPhase groups the k taps of each phase by the low-resolution row
// they read and centres the groups in the smallest odd kernel.
func newUpPhase(k, p int) upPhase {
	var u upPhase
	for a := 0; a < 2; a++ {
		u.off[a] = make([]int, k)
		for i := range k {
			d := floorDiv(a+i-p, 2)
			u.off[a][i] = d
			u.r = max(u.r, d, -d)
		}
	}
	for a := range u.off {
		for i := range u.off[a] {
			u.off[a][i] += u.r
		}
	}
	return u
}

// floorDiv is ⌊a/b⌋ (Go's / truncates towards zero).
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// UpsampleConvOK reports whether UpsampleConv2d computes
// Conv2d(UpsampleNearest(x, 2H, 2W), w, b, o) with fewer products: a
// unit-stride, undilated, ungrouped convolution with zero "same" padding
// ((K−1)/2 for an odd kernel K) of at least 5 taps a side.
func UpsampleConvOK(w *Tensor, o ConvOpts) bool {
	o = o.norm()
	kh, kw := w.shape[2], w.shape[3]
	return o.Groups == 1 && o.Stride == [2]int{1, 1} && o.Dilation == [2]int{1, 1} &&
		kh == kw && kh%2 == 1 && kh >= 5 && o.Padding == [2]int{kh / 2, kh / 2}
}

// UpsampleConv2d is Conv2d(UpsampleNearest(x, 2H, 2W), w, b, o) for the
// convolutions UpsampleConvOK accepts, computed as four convolutions of x
// (one per output phase) with merged kernels; values and gradients are
// those of the two operations in sequence up to rounding.
func UpsampleConv2d(x, w, b *Tensor, o ConvOpts) *Tensor {
	if !UpsampleConvOK(w, o) {
		panic(fmt.Sprintf("tensor: UpsampleConv2d with kernel %v and options %+v", w.shape, o))
	}
	n, cin, h, wd := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	cout, k := w.shape[0], w.shape[2]
	if w.shape[1] != cin {
		panic(fmt.Sprintf("tensor: UpsampleConv2d input %v, weight %v", x.shape, w.shape))
	}
	u := newUpPhase(k, k/2)
	r := 2*u.r + 1
	hw, kdim := h*wd, cin*r*r
	geo := kernel.ConvGeom{C: cin, H: h, W: wd, KH: r, KW: r, StrideH: 1, StrideW: 1,
		PadH: u.r, PadW: u.r, DilH: 1, DilW: 1, OutH: h, OutW: wd}

	// The four merged kernels [Cout × Cin × r × r], phase (a, b) at (2a+b)·size.
	size := cout * kdim
	wm := getZeroBuf(4 * size)
	kernel.ParallelFor(cout*cin, 16, func(lo, hi int) {
		for oc := lo; oc < hi; oc++ {
			src := w.Data[oc*k*k : (oc+1)*k*k]
			for ph := 0; ph < 4; ph++ {
				dst := wm[ph*size+oc*r*r : ph*size+(oc+1)*r*r]
				ra, rb := u.off[ph/2], u.off[ph%2]
				for i := range k {
					for j := range k {
						dst[ra[i]*r+rb[j]] += src[i*k+j]
					}
				}
			}
		}
	})

	out := empty([]int{n, cout, 2 * h, 2 * wd})
	// The four merged kernels are one 4·Cout-row matrix, so the four phases
	// are one product: the image is laid out and the kernels packed once.
	tmp := getBuf(4 * cout * hw)
	defer putBuf(tmp)
	pass := newConvPass(wm, 4*cout, cin, geo, false)
	defer pass.release()
	for s := 0; s < n; s++ {
		img := x.Data[s*cin*hw : (s+1)*cin*hw]
		pass.apply(img, 0, tmp, hw)
		dst := out.Data[s*cout*4*hw : (s+1)*cout*4*hw]
		for ph := 0; ph < 4; ph++ {
			phaseScatter(dst, tmp[ph*cout*hw:], cout, h, wd, ph/2, ph%2)
		}
	}
	if b != nil {
		addChannelBias(out.Data, b.Data, n, cout, 4*hw)
	}
	if !needsGrad(x, w, b) {
		putBuf(wm)
		return out
	}
	return record(out, func(g []float32) {
		defer putBuf(wm)
		if b != nil && b.requiresGrad {
			sumChannels(g, b.gradBuf(), n, cout, 4*hw)
		}
		// The output gradient's four phases, stacked as 4·Cout channels.
		gy := getBuf(4 * cout * hw)
		defer putBuf(gy)
		var gwm []float32 // the merged kernels' gradients
		if w.requiresGrad {
			gwm = getBuf(4 * size)
			defer putBuf(gwm)
		}
		var gxAll []float32
		var betaX float32
		if x.requiresGrad {
			gxAll, betaX = x.gradOut()
		}
		// The input gradient sums over the phases as over channels: one
		// convolution of the stacked phases by the stacked, flipped kernels.
		back := geo
		back.C = 4 * cout
		var backPass *convPass
		if x.requiresGrad {
			backPass = newConvPass(wm, 4*cout, cin, back, true)
			defer backPass.release()
		}
		for s := 0; s < n; s++ {
			img := x.Data[s*cin*hw : (s+1)*cin*hw]
			for ph := 0; ph < 4; ph++ {
				phaseGather(gy[ph*cout*hw:], g[s*cout*4*hw:(s+1)*cout*4*hw], cout, h, wd, ph/2, ph%2)
			}
			if w.requiresGrad {
				beta := float32(1)
				if s == 0 {
					beta = 0
				}
				convWeightGrad(gy, 4*cout, geo, img, beta, gwm)
			}
			if x.requiresGrad { // each sample's slice is written once
				backPass.apply(gy, betaX, gxAll[s*cin*hw:(s+1)*cin*hw], hw)
			}
		}
		if w.requiresGrad {
			// Each tap of w took part in one merged tap per phase.
			gw, beta := w.gradOut()
			kernel.ParallelFor(cout*cin, 16, func(lo, hi int) {
				for oc := lo; oc < hi; oc++ {
					dst := gw[oc*k*k : (oc+1)*k*k]
					for i := range k {
						for j := range k {
							var sum float32
							for ph := 0; ph < 4; ph++ {
								sum += gwm[ph*size+oc*r*r+u.off[ph/2][i]*r+u.off[ph%2][j]]
							}
							if beta == 0 {
								dst[i*k+j] = sum
							} else {
								dst[i*k+j] += sum
							}
						}
					}
				}
			})
		}
	}, x, w, b)
}

// phaseScatter writes the c planes of src (h×w each) to phase (a, b) of the
// 2h×2w planes of dst: dst[ch][2y+a][2x+b] = src[ch][y][x].
func phaseScatter(dst, src []float32, c, h, w, a, b int) {
	kernel.ParallelFor(c, 4, func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			for y := 0; y < h; y++ {
				row := dst[(ch*2*h+2*y+a)*2*w:][:2*w]
				for x, v := range src[(ch*h+y)*w : (ch*h+y+1)*w] {
					row[2*x+b] = v
				}
			}
		}
	})
}

// phaseGather is the inverse of phaseScatter: dst[ch][y][x] = src[ch][2y+a][2x+b].
func phaseGather(dst, src []float32, c, h, w, a, b int) {
	kernel.ParallelFor(c, 4, func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			for y := 0; y < h; y++ {
				row := src[(ch*2*h+2*y+a)*2*w:][:2*w]
				d := dst[(ch*h+y)*w : (ch*h+y+1)*w]
				for x := range d {
					d[x] = row[2*x+b]
				}
			}
		}
	})
}
