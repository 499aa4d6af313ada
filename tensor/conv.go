package tensor

import (
	"fmt"

	"i2i/kernel"
)

// ConvOpts are the geometry of a 2-D convolution: stride, zero padding and
// dilation per axis (height, width) and the number of channel groups.
// Zero values mean stride 1, no padding, dilation 1 and one group.
type ConvOpts struct {
	Stride, Padding, Dilation [2]int
	Groups                    int
	// OutputPadding adds rows/columns at the bottom/right of a transposed
	// convolution's output (ignored by Conv2d).
	OutputPadding [2]int
}

func (o ConvOpts) norm() ConvOpts {
	for i := 0; i < 2; i++ {
		if o.Stride[i] == 0 {
			o.Stride[i] = 1
		}
		if o.Dilation[i] == 0 {
			o.Dilation[i] = 1
		}
	}
	if o.Groups == 0 {
		o.Groups = 1
	}
	return o
}

// Conv2d convolves x [N, Cin, H, W] with w [Cout, Cin/groups, KH, KW] and adds
// bias b [Cout] (b may be nil), as torch.nn.functional.conv2d with zero
// padding. Each sample and group is one matrix product over an im2col view.
func Conv2d(x, w, b *Tensor, o ConvOpts) *Tensor {
	o = o.norm()
	n, cin, h, wd := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	cout, cg, kh, kw := w.shape[0], w.shape[1], w.shape[2], w.shape[3]
	if cin != cg*o.Groups || cout%o.Groups != 0 {
		panic(fmt.Sprintf("tensor: conv2d input %v, weight %v, groups %d", x.shape, w.shape, o.Groups))
	}
	geo := kernel.ConvGeom{C: cg, H: h, W: wd, KH: kh, KW: kw,
		StrideH: o.Stride[0], StrideW: o.Stride[1], PadH: o.Padding[0], PadW: o.Padding[1],
		DilH: o.Dilation[0], DilW: o.Dilation[1]}
	geo.OutH = (h+2*o.Padding[0]-o.Dilation[0]*(kh-1)-1)/o.Stride[0] + 1
	geo.OutW = (wd+2*o.Padding[1]-o.Dilation[1]*(kw-1)-1)/o.Stride[1] + 1
	if geo.OutH <= 0 || geo.OutW <= 0 {
		panic(fmt.Sprintf("tensor: conv2d output would be empty for input %v, kernel %dx%d", x.shape, kh, kw))
	}
	hw := geo.OutH * geo.OutW
	kdim := cg * kh * kw
	og := cout / o.Groups
	direct := kh == 1 && kw == 1 && o.Stride == [2]int{1, 1} && o.Padding == [2]int{}
	out := empty([]int{n, cout, geo.OutH, geo.OutW}) // every product overwrites (beta 0)
	if o.Groups == 1 && n > 1 && hw < batchedConvMaxHW && !direct {
		return conv2dBatched(x, w, b, geo, out)
	}

	for gi := 0; gi < o.Groups; gi++ {
		var pass *convPass
		if !direct {
			pass = newConvPass(w.Data[gi*og*kdim:], og, cg, geo, false)
		}
		for s := 0; s < n; s++ {
			img := x.Data[(s*cin+gi*cg)*h*wd : (s*cin+(gi+1)*cg)*h*wd]
			dst := out.Data[(s*cout+gi*og)*hw : (s*cout+(gi+1)*og)*hw]
			if direct {
				kernel.Sgemm(false, false, og, hw, kdim, 1, w.Data[gi*og*kdim:], kdim, img, hw, 0, dst, hw)
			} else {
				pass.apply(img, 0, dst, hw)
			}
		}
		if pass != nil {
			pass.release()
		}
	}
	if b != nil {
		addChannelBias(out.Data, b.Data, n, cout, hw)
	}
	return record(out, func(g []float32) {
		if b != nil && b.requiresGrad {
			sumChannels(g, b.gradBuf(), n, cout, hw)
		}
		// For unit stride and dilation the input gradient is itself a
		// convolution of the output gradient with the flipped, transposed
		// kernel, done by implicit GEMM; otherwise it goes through col2im.
		unit := o.Stride == [2]int{1, 1} && o.Dilation == [2]int{1, 1} && o.Padding[0] < kh && o.Padding[1] < kw
		var gcol []float32
		var back kernel.ConvGeom
		if !direct && x.requiresGrad {
			if unit {
				back = kernel.ConvGeom{C: og, H: geo.OutH, W: geo.OutW, KH: kh, KW: kw, StrideH: 1, StrideW: 1,
					PadH: kh - 1 - o.Padding[0], PadW: kw - 1 - o.Padding[1], DilH: 1, DilW: 1, OutH: h, OutW: wd}
			} else {
				gcol = getBuf(kdim * hw)
				defer putBuf(gcol)
			}
		}
		// The first sample's products overwrite fresh gradient buffers
		// (beta 0); later samples add to them.
		var gwAll, gxAll []float32
		var betaW, betaX float32
		if w.requiresGrad {
			gwAll, betaW = w.gradOut()
		}
		if x.requiresGrad {
			gxAll, betaX = x.gradOut()
		}
		// The input gradient's kernels, prepared once per group.
		var back1 []*convPass
		if !direct && x.requiresGrad && unit {
			back1 = make([]*convPass, o.Groups)
			for gi := range back1 {
				back1[gi] = newConvPass(w.Data[gi*og*kdim:], og, cg, back, true)
				defer back1[gi].release()
			}
		}
		for s := 0; s < n; s++ {
			for gi := 0; gi < o.Groups; gi++ {
				gy := g[(s*cout+gi*og)*hw : (s*cout+(gi+1)*og)*hw]
				img := x.Data[(s*cin+gi*cg)*h*wd : (s*cin+(gi+1)*cg)*h*wd]
				if w.requiresGrad {
					gw, beta := gwAll[gi*og*kdim:], betaW
					if s > 0 {
						beta = 1
					}
					if direct {
						kernel.Sgemm(false, true, og, kdim, hw, 1, gy, hw, img, hw, beta, gw, kdim)
					} else {
						convWeightGrad(gy, og, geo, img, beta, gw)
					}
				}
				if x.requiresGrad {
					gimg := gxAll[(s*cin+gi*cg)*h*wd : (s*cin+(gi+1)*cg)*h*wd]
					if direct {
						kernel.Sgemm(true, false, kdim, hw, og, 1, w.Data[gi*og*kdim:], kdim, gy, hw, betaX, gimg, hw)
						continue
					}
					if unit {
						back1[gi].apply(gy, betaX, gimg, h*wd)
						continue
					}
					if betaX == 0 {
						clear(gimg)
					}
					kernel.Sgemm(true, false, kdim, hw, og, 1, w.Data[gi*og*kdim:], kdim, gy, hw, 0, gcol, hw)
					kernel.Col2im(geo, gcol, gimg)
				}
			}
		}
	}, x, w, b)
}

// ConvTranspose2d is the adjoint of Conv2d with the same options: x is
// [N, Cin, H, W], w is [Cin, Cout/groups, KH, KW] (PyTorch's layout) and the
// output is [N, Cout, (H−1)·s − 2p + d·(KH−1) + OutputPadding + 1, …].
func ConvTranspose2d(x, w, b *Tensor, o ConvOpts) *Tensor {
	o = o.norm()
	n, cin, h, wd := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	cig, cog, kh, kw := cin/o.Groups, w.shape[1], w.shape[2], w.shape[3]
	if w.shape[0] != cin || cin%o.Groups != 0 {
		panic(fmt.Sprintf("tensor: conv_transpose2d input %v, weight %v, groups %d", x.shape, w.shape, o.Groups))
	}
	cout := cog * o.Groups
	oh := (h-1)*o.Stride[0] - 2*o.Padding[0] + o.Dilation[0]*(kh-1) + o.OutputPadding[0] + 1
	ow := (wd-1)*o.Stride[1] - 2*o.Padding[1] + o.Dilation[1]*(kw-1) + o.OutputPadding[1] + 1
	// The convolution with these options maps an oh×ow image onto the h×wd grid.
	geo := kernel.ConvGeom{C: cog, H: oh, W: ow, KH: kh, KW: kw,
		StrideH: o.Stride[0], StrideW: o.Stride[1], PadH: o.Padding[0], PadW: o.Padding[1],
		DilH: o.Dilation[0], DilW: o.Dilation[1], OutH: h, OutW: wd}
	hw := h * wd
	kdim := cog * kh * kw
	out := New(n, cout, oh, ow)
	col := getBuf(kdim * hw)
	defer putBuf(col)
	for s := 0; s < n; s++ {
		for gi := 0; gi < o.Groups; gi++ {
			xs := x.Data[(s*cin+gi*cig)*hw : (s*cin+(gi+1)*cig)*hw]
			kernel.Sgemm(true, false, kdim, hw, cig, 1, w.Data[gi*cig*kdim:], kdim, xs, hw, 0, col, hw)
			kernel.Col2im(geo, col, out.Data[(s*cout+gi*cog)*oh*ow:(s*cout+(gi+1)*cog)*oh*ow])
		}
	}
	if b != nil {
		addChannelBias(out.Data, b.Data, n, cout, oh*ow)
	}
	return record(out, func(g []float32) {
		if b != nil && b.requiresGrad {
			sumChannels(g, b.gradBuf(), n, cout, oh*ow)
		}
		for s := 0; s < n; s++ {
			for gi := 0; gi < o.Groups; gi++ {
				gout := g[(s*cout+gi*cog)*oh*ow : (s*cout+(gi+1)*cog)*oh*ow]
				if x.requiresGrad {
					gx := x.gradBuf()[(s*cin+gi*cig)*hw : (s*cin+(gi+1)*cig)*hw]
					kernel.ConvGemm(false, cig, 1, w.Data[gi*cig*kdim:], kdim, geo, gout, 1, gx, hw)
				}
				if w.requiresGrad {
					xs := x.Data[(s*cin+gi*cig)*hw : (s*cin+(gi+1)*cig)*hw]
					kernel.ConvGemmT(false, cig, 1, xs, hw, geo, gout, 1, w.gradBuf()[gi*cig*kdim:], kdim)
				}
			}
		}
	}, x, w, b)
}

// addChannelBias adds b[c] to every element of channel c of an [n, c, hw] array.
func addChannelBias(y, b []float32, n, c, hw int) {
	kernel.ParallelFor(n*c, 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			bv := b[i%c]
			row := y[i*hw : (i+1)*hw]
			for j := range row {
				row[j] += bv
			}
		}
	})
}

// sumChannels adds the per-channel sums of an [n, c, hw] array into dst[c].
func sumChannels(g, dst []float32, n, c, hw int) {
	kernel.ParallelFor(c, 8, func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			var s float64
			for i := 0; i < n; i++ {
				s += kernel.Sum64(g[(i*c+ch)*hw : (i*c+ch+1)*hw])
			}
			dst[ch] += float32(s)
		}
	})
}

// convPass is one group's forward convolution, or with flipped its input
// gradient as a convolution of the output gradient by the flipped,
// transposed kernels (geo then has C = cout), applied to each image of a
// batch: by Winograd's F(2×2, 3×3) where the kernel package takes the
// geometry, its transformed kernels made once, else by implicit GEMM.
type convPass struct {
	w         []float32 // [cout × cin × KH × KW]
	cout, cin int
	geo       kernel.ConvGeom
	flipped   bool
	wino      *kernel.WinoKernels
}

func newConvPass(w []float32, cout, cin int, geo kernel.ConvGeom, flipped bool) *convPass {
	p := &convPass{w: w, cout: cout, cin: cin, geo: geo, flipped: flipped}
	m := cout
	if flipped {
		m = cin
	}
	if kernel.WinogradOK(&geo, m) {
		p.wino = kernel.NewWinoKernels(w, cout, cin, flipped)
	}
	return p
}

// apply sets dst = beta·dst + the pass applied to img (dst's row stride
// ldc).
func (p *convPass) apply(img []float32, beta float32, dst []float32, ldc int) {
	switch {
	case p.wino != nil:
		p.wino.Conv(p.geo, img, beta, dst, ldc)
	case p.flipped:
		kernel.ConvGemmFlipped(p.w, p.cout, p.cin, p.geo, img, beta, dst, ldc)
	default:
		kernel.ConvGemm(false, p.cout, 1, p.w, p.cin*p.geo.KH*p.geo.KW, p.geo, img, beta, dst, ldc)
	}
}

// release hands the transformed kernels back.
func (p *convPass) release() {
	if p.wino != nil {
		p.wino.Release()
	}
}

// convWeightGrad sets gw = beta·gw + the weight gradient [cout × geo.C ×
// KH × KW] of the convolution of img under geo for the output gradient gy
// [cout × OutH·OutW], by Winograd where it applies.
func convWeightGrad(gy []float32, cout int, geo kernel.ConvGeom, img []float32, beta float32, gw []float32) {
	if kernel.WinogradGradOK(&geo, cout) {
		kernel.ConvWinogradGrad(gy, cout, geo, img, beta, gw)
		return
	}
	hw, kdim := geo.OutH*geo.OutW, geo.C*geo.KH*geo.KW
	kernel.ConvGemmT(false, cout, 1, gy, hw, geo, img, beta, gw, kdim)
}

// batchedConvMaxHW is the output size under which the images of a batch
// share one GEMM (conv2dBatched).
const batchedConvMaxHW = 1024

// conv2dBatched convolves many images with small outputs (patch
// embeddings, RoI features, deep discriminator layers) through one explicit
// im2col matrix holding every image's columns side by side and one GEMM, so
// the weights are packed once instead of once per image.
func conv2dBatched(x, w, b *Tensor, geo kernel.ConvGeom, out *Tensor) *Tensor {
	n, cin, h, wd := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	cout := w.shape[0]
	hw, kdim := geo.OutH*geo.OutW, w.shape[1]*w.shape[2]*w.shape[3]
	cols, plane := n*hw, cin*h*wd
	col := getBuf(kdim * cols)
	for s := 0; s < n; s++ {
		kernel.Im2colStrided(geo, x.Data[s*plane:(s+1)*plane], col[s*hw:], cols)
	}
	tmp := getBuf(cout * cols)
	kernel.Sgemm(false, false, cout, cols, kdim, 1, w.Data, kdim, col, cols, 0, tmp, cols)
	for s := 0; s < n; s++ {
		for oc := 0; oc < cout; oc++ {
			copy(out.Data[(s*cout+oc)*hw:(s*cout+oc+1)*hw], tmp[oc*cols+s*hw:oc*cols+(s+1)*hw])
		}
	}
	putBuf(tmp)
	if b != nil {
		addChannelBias(out.Data, b.Data, n, cout, hw)
	}
	if !needsGrad(x, w, b) {
		putBuf(col)
		return out
	}
	return record(out, func(g []float32) {
		defer putBuf(col)
		if b != nil && b.requiresGrad {
			sumChannels(g, b.gradBuf(), n, cout, hw)
		}
		gy := getBuf(cout * cols)
		defer putBuf(gy)
		for s := 0; s < n; s++ {
			for oc := 0; oc < cout; oc++ {
				copy(gy[oc*cols+s*hw:oc*cols+(s+1)*hw], g[(s*cout+oc)*hw:(s*cout+oc+1)*hw])
			}
		}
		if w.requiresGrad {
			kernel.Sgemm(false, true, cout, kdim, cols, 1, gy, cols, col, cols, 1, w.gradBuf(), kdim)
		}
		if x.requiresGrad {
			gcol := getBuf(kdim * cols)
			defer putBuf(gcol)
			kernel.Sgemm(true, false, kdim, cols, cout, 1, w.Data, kdim, gy, cols, 0, gcol, cols)
			gx := x.gradBuf()
			for s := 0; s < n; s++ {
				kernel.Col2imStrided(geo, gcol[s*hw:], cols, gx[s*plane:(s+1)*plane])
			}
		}
	}, x, w, b)
}
