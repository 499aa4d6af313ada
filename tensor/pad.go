package tensor

import (
	"fmt"

	"i2i/kernel"
)

// PadMode says how Pad fills the border.
type PadMode int

const (
	// PadConstant fills with a constant value.
	PadConstant PadMode = iota
	// PadReflect mirrors without repeating the edge: [c b | a b c d | c b].
	PadReflect
	// PadReplicate repeats the edge value, and may pad wider than the map.
	PadReplicate
)

// ParsePadMode maps PyTorch's names ("zeros"/"constant", "reflect",
// "replicate") to a PadMode.
func ParsePadMode(s string) (PadMode, error) {
	switch s {
	case "zeros", "zero", "constant":
		return PadConstant, nil
	case "reflect":
		return PadReflect, nil
	case "replicate":
		return PadReplicate, nil
	}
	return 0, fmt.Errorf("unknown padding mode %q (want zeros, reflect or replicate)", s)
}

// Pad pads the last two axes of x by (left, right, top, bottom), as
// torch.nn.functional.pad with a 4-element pad.
func Pad(x *Tensor, left, right, top, bottom int, mode PadMode, value float32) *Tensor {
	nd := len(x.shape)
	h, w := x.shape[nd-2], x.shape[nd-1]
	oh, ow := h+top+bottom, w+left+right
	if mode == PadReflect && (top >= h || bottom >= h || left >= w || right >= w) {
		panic(fmt.Sprintf("tensor: reflect padding (%d,%d,%d,%d) too large for %dx%d", left, right, top, bottom, h, w))
	}
	rows := padIndex(h, top, oh, mode)
	cols := padIndex(w, left, ow, mode)
	planes := len(x.Data) / (h * w)
	shape := cloneInts(x.shape)
	shape[nd-2], shape[nd-1] = oh, ow
	out := empty(shape) // every element is written below
	kernel.ParallelFor(planes, 1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			src := x.Data[p*h*w : (p+1)*h*w]
			dst := out.Data[p*oh*ow : (p+1)*oh*ow]
			for y, sy := range rows {
				drow := dst[y*ow : (y+1)*ow]
				if sy < 0 {
					for xx := range drow {
						drow[xx] = value
					}
					continue
				}
				srow := src[sy*w : (sy+1)*w]
				for xx, sx := range cols {
					if sx < 0 {
						drow[xx] = value
					} else {
						drow[xx] = srow[sx]
					}
				}
			}
		}
	})
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		kernel.ParallelFor(planes, 1, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				dst := gx[p*h*w : (p+1)*h*w]
				src := g[p*oh*ow : (p+1)*oh*ow]
				for y, sy := range rows {
					if sy < 0 {
						continue
					}
					drow, srow := dst[sy*w:(sy+1)*w], src[y*ow:(y+1)*ow]
					for xx, sx := range cols {
						if sx >= 0 {
							drow[sx] += srow[xx]
						}
					}
				}
			}
		})
	}, x)
}

// padIndex maps each output position to its source index (−1 for constant).
func padIndex(n, before, out int, mode PadMode) []int {
	idx := make([]int, out)
	for o := range idx {
		i := o - before
		switch mode {
		case PadConstant:
			if i < 0 || i >= n {
				i = -1
			}
		case PadReflect:
			if i < 0 {
				i = -i
			}
			if i >= n {
				i = 2*(n-1) - i
			}
		case PadReplicate:
			i = min(max(i, 0), n-1)
		}
		idx[o] = i
	}
	return idx
}
