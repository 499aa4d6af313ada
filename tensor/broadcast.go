package tensor

import "fmt"

// broadcastShape returns the NumPy/PyTorch broadcast of two shapes.
func broadcastShape(a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := i - (n - len(a)); j >= 0 {
			da = a[j]
		}
		if j := i - (n - len(b)); j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			panic(fmt.Sprintf("tensor: shapes %v and %v do not broadcast", a, b))
		}
	}
	return out
}

// bcastStrides returns the strides of shape seen in the (larger) out shape:
// broadcast axes get stride 0.
func bcastStrides(shape, out []int) []int {
	st := strides(shape)
	s := make([]int, len(out))
	off := len(out) - len(shape)
	for i := range out {
		if j := i - off; j >= 0 && shape[j] != 1 {
			s[i] = st[j]
		}
	}
	return s
}

// forEachRow walks out's index space row by row (the last axis being a row)
// and calls fn with the offset of the row in out, a and b, the row length
// and the steps (0 or the last-axis stride) of a and b along it.
func forEachRow(out []int, sa, sb []int, fn func(o, ia, ib, n, inca, incb int)) {
	nd := len(out)
	if nd == 0 {
		fn(0, 0, 0, 1, 0, 0)
		return
	}
	rowLen := out[nd-1]
	if rowLen == 0 {
		return
	}
	rows := numel(out) / rowLen
	idx := make([]int, nd-1)
	ia, ib := 0, 0
	for r := 0; r < rows; r++ {
		fn(r*rowLen, ia, ib, rowLen, sa[nd-1], sb[nd-1])
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			ia += sa[d]
			ib += sb[d]
			if idx[d] < out[d] {
				break
			}
			ia -= sa[d] * out[d]
			ib -= sb[d] * out[d]
			idx[d] = 0
		}
	}
}

// reduceTo sums g (of shape out) down to shape, the inverse of broadcasting.
func reduceTo(g []float32, out, shape []int) []float32 {
	if SameShape(out, shape) {
		return g
	}
	r := getZeroBuf(numel(shape))
	zero := make([]int, len(out))
	forEachRow(out, bcastStrides(shape, out), zero, func(o, ia, _, n, inca, _ int) {
		if inca == 0 {
			var s float32
			for _, v := range g[o : o+n] {
				s += v
			}
			r[ia] += s
			return
		}
		for k, v := range g[o : o+n] {
			r[ia+k*inca] += v
		}
	})
	return r
}

// addReduced adds g (shaped out) into t's gradient, summing broadcast axes.
func (t *Tensor) addReduced(g []float32, out []int) {
	if t == nil || !t.requiresGrad {
		return
	}
	r := reduceTo(g, out, t.shape)
	t.addGrad(r)
	if len(g) != len(r) || &r[0] != &g[0] {
		putBuf(r)
	}
}
