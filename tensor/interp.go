package tensor

import (
	"math"

	"i2i/kernel"
)

// UpsampleNearest resizes the last two axes to oh×ow with PyTorch's
// "nearest" rule: src = min(floor(dst·in/out), in−1) in float32.
func UpsampleNearest(x *Tensor, oh, ow int) *Tensor {
	h, w := x.Dim(-2), x.Dim(-1)
	ys, xs := nearestIndex(h, oh), nearestIndex(w, ow)
	shape, planes := resizedShape(x, oh, ow)
	out := empty(shape) // every element is written below
	kernel.ParallelFor(planes, 1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			src := x.Data[p*h*w:]
			dst := out.Data[p*oh*ow:]
			for oy, sy := range ys {
				row, srow := dst[oy*ow:(oy+1)*ow], src[sy*w:(sy+1)*w]
				for ox, sx := range xs {
					row[ox] = srow[sx]
				}
			}
		}
	})
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		kernel.ParallelFor(planes, 1, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				dst := gx[p*h*w:]
				src := g[p*oh*ow:]
				for oy, sy := range ys {
					row, drow := src[oy*ow:(oy+1)*ow], dst[sy*w:(sy+1)*w]
					for ox, sx := range xs {
						drow[sx] += row[ox]
					}
				}
			}
		})
	}, x)
}

func nearestIndex(in, out int) []int {
	idx := make([]int, out)
	scale := float32(in) / float32(out)
	for i := range idx {
		idx[i] = min(int(float32(math.Floor(float64(float32(i)*scale)))), in-1)
	}
	return idx
}

// UpsampleBilinear resizes the last two axes to oh×ow with bilinear
// interpolation, align_corners=False and no antialiasing (PyTorch's default):
// src = max((dst+0.5)·in/out − 0.5, 0), the upper neighbour clamped.
func UpsampleBilinear(x *Tensor, oh, ow int) *Tensor {
	h, w := x.Dim(-2), x.Dim(-1)
	ys, xs := bilinearTaps(h, oh), bilinearTaps(w, ow)
	out, planes := resizedPlanes(x, oh, ow)
	for p := 0; p < planes; p++ {
		src := x.Data[p*h*w:]
		dst := out.Data[p*oh*ow:]
		for oy, ty := range ys {
			for ox, tx := range xs {
				dst[oy*ow+ox] = ty.w0*(tx.w0*src[ty.i0*w+tx.i0]+tx.w1*src[ty.i0*w+tx.i1]) +
					ty.w1*(tx.w0*src[ty.i1*w+tx.i0]+tx.w1*src[ty.i1*w+tx.i1])
			}
		}
	}
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		for p := 0; p < planes; p++ {
			dst := gx[p*h*w:]
			src := g[p*oh*ow:]
			for oy, ty := range ys {
				for ox, tx := range xs {
					v := src[oy*ow+ox]
					dst[ty.i0*w+tx.i0] += ty.w0 * tx.w0 * v
					dst[ty.i0*w+tx.i1] += ty.w0 * tx.w1 * v
					dst[ty.i1*w+tx.i0] += ty.w1 * tx.w0 * v
					dst[ty.i1*w+tx.i1] += ty.w1 * tx.w1 * v
				}
			}
		}
	}, x)
}

type tap struct {
	i0, i1 int
	w0, w1 float32
}

func bilinearTaps(in, out int) []tap {
	taps := make([]tap, out)
	scale := float32(in) / float32(out)
	for i := range taps {
		src := max((float32(i)+0.5)*scale-0.5, 0)
		i0 := int(src)
		i1 := min(i0+1, in-1)
		l := src - float32(i0)
		taps[i] = tap{i0, i1, 1 - l, l}
	}
	return taps
}

// resizedPlanes returns a zero tensor shaped like x with its last two axes
// set to oh×ow, and the number of 2-D planes x holds.
func resizedPlanes(x *Tensor, oh, ow int) (*Tensor, int) {
	shape, planes := resizedShape(x, oh, ow)
	return New(shape...), planes
}

// resizedShape is x's shape with its last two axes set to oh×ow, and the
// number of 2-D planes x holds.
func resizedShape(x *Tensor, oh, ow int) ([]int, int) {
	nd := len(x.shape)
	shape := cloneInts(x.shape)
	shape[nd-2], shape[nd-1] = oh, ow
	return shape, len(x.Data) / (x.shape[nd-2] * x.shape[nd-1])
}
