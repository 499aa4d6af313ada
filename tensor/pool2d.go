package tensor

import "math"

// PoolOpts are the window of a 2-D pooling: kernel, stride and zero padding
// per axis (height, width). A zero stride means the kernel size.
type PoolOpts struct {
	Kernel, Stride, Padding [2]int
	// CountIncludePad makes average pooling divide by the full window size
	// rather than by the number of taps inside the image.
	CountIncludePad bool
}

func (o PoolOpts) outSize(h, w int) (int, int) {
	for i := 0; i < 2; i++ {
		if o.Stride[i] == 0 {
			o.Stride[i] = o.Kernel[i]
		}
	}
	return (h+2*o.Padding[0]-o.Kernel[0])/o.Stride[0] + 1, (w+2*o.Padding[1]-o.Kernel[1])/o.Stride[1] + 1
}

// window calls fn for every output cell with its input window clipped to
// the image and the divisor average pooling uses.
func (o PoolOpts) window(h, w int, fn func(oy, ox, y0, y1, x0, x1, div int)) {
	sh, sw := o.Stride[0], o.Stride[1]
	if sh == 0 {
		sh = o.Kernel[0]
	}
	if sw == 0 {
		sw = o.Kernel[1]
	}
	oh, ow := o.outSize(h, w)
	for oy := 0; oy < oh; oy++ {
		ys := oy*sh - o.Padding[0]
		ye := min(ys+o.Kernel[0], h+o.Padding[0])
		for ox := 0; ox < ow; ox++ {
			xs := ox*sw - o.Padding[1]
			xe := min(xs+o.Kernel[1], w+o.Padding[1])
			full := (ye - ys) * (xe - xs)
			y0, y1, x0, x1 := max(ys, 0), min(ye, h), max(xs, 0), min(xe, w)
			div := full
			if !o.CountIncludePad {
				div = (y1 - y0) * (x1 - x0)
			}
			fn(oy, ox, y0, y1, x0, x1, div)
		}
	}
}

// AvgPool2d averages windows of x [N, C, H, W] (floor output size).
func AvgPool2d(x *Tensor, o PoolOpts) *Tensor {
	h, w := x.Dim(-2), x.Dim(-1)
	oh, ow := o.outSize(h, w)
	out, planes := resizedPlanes(x, oh, ow)
	for p := 0; p < planes; p++ {
		src := x.Data[p*h*w:]
		dst := out.Data[p*oh*ow:]
		o.window(h, w, func(oy, ox, y0, y1, x0, x1, div int) {
			var s float32
			for y := y0; y < y1; y++ {
				for xx := x0; xx < x1; xx++ {
					s += src[y*w+xx]
				}
			}
			dst[oy*ow+ox] = s / float32(div)
		})
	}
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		for p := 0; p < planes; p++ {
			dst := gx[p*h*w:]
			src := g[p*oh*ow:]
			o.window(h, w, func(oy, ox, y0, y1, x0, x1, div int) {
				v := src[oy*ow+ox] / float32(div)
				for y := y0; y < y1; y++ {
					for xx := x0; xx < x1; xx++ {
						dst[y*w+xx] += v
					}
				}
			})
		}
	}, x)
}

// MaxPool2d takes the maximum of windows of x [N, C, H, W]; the gradient goes
// to the first maximal element of each window.
func MaxPool2d(x *Tensor, o PoolOpts) *Tensor {
	h, w := x.Dim(-2), x.Dim(-1)
	oh, ow := o.outSize(h, w)
	out, planes := resizedPlanes(x, oh, ow)
	arg := make([]int32, len(out.Data))
	for p := 0; p < planes; p++ {
		src := x.Data[p*h*w:]
		o.window(h, w, func(oy, ox, y0, y1, x0, x1, _ int) {
			best, bi := float32(math.Inf(-1)), -1
			for y := y0; y < y1; y++ {
				for xx := x0; xx < x1; xx++ {
					// A NaN wins and stays, as in PyTorch.
					if v := src[y*w+xx]; bi < 0 || v > best || (v != v && best == best) {
						best, bi = v, y*w+xx
					}
				}
			}
			out.Data[p*oh*ow+oy*ow+ox] = best
			arg[p*oh*ow+oy*ow+ox] = int32(bi)
		})
	}
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		for i, v := range g {
			gx[(i/(oh*ow))*h*w+int(arg[i])] += v
		}
	}, x)
}

// AdaptiveAvgPool2d averages x [N, C, H, W] into an oh×ow grid with
// PyTorch's bins [floor(i·H/oh), ceil((i+1)·H/oh)).
func AdaptiveAvgPool2d(x *Tensor, oh, ow int) *Tensor {
	h, w := x.Dim(-2), x.Dim(-1)
	out, planes := resizedPlanes(x, oh, ow)
	bins := func(f func(p, oy, ox, y0, y1, x0, x1 int)) {
		for p := 0; p < planes; p++ {
			for oy := 0; oy < oh; oy++ {
				y0, y1 := oy*h/oh, ((oy+1)*h+oh-1)/oh
				for ox := 0; ox < ow; ox++ {
					x0, x1 := ox*w/ow, ((ox+1)*w+ow-1)/ow
					f(p, oy, ox, y0, y1, x0, x1)
				}
			}
		}
	}
	bins(func(p, oy, ox, y0, y1, x0, x1 int) {
		var s float32
		for y := y0; y < y1; y++ {
			for xx := x0; xx < x1; xx++ {
				s += x.Data[p*h*w+y*w+xx]
			}
		}
		out.Data[(p*oh+oy)*ow+ox] = s / float32((y1-y0)*(x1-x0))
	})
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		bins(func(p, oy, ox, y0, y1, x0, x1 int) {
			v := g[(p*oh+oy)*ow+ox] / float32((y1-y0)*(x1-x0))
			for y := y0; y < y1; y++ {
				for xx := x0; xx < x1; xx++ {
					gx[p*h*w+y*w+xx] += v
				}
			}
		})
	}, x)
}
