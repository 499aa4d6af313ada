package tensor

import "fmt"

// Reshape returns a view of x with a new shape of the same size; one size
// may be −1 and is then inferred. The data is shared, not copied.
func Reshape(x *Tensor, shape ...int) *Tensor {
	shape = cloneInts(shape)
	infer, known := -1, 1
	for i, s := range shape {
		if s == -1 {
			infer = i
		} else {
			known *= s
		}
	}
	if infer >= 0 && known > 0 {
		shape[infer] = len(x.Data) / known
	}
	if numel(shape) != len(x.Data) {
		panic(fmt.Sprintf("tensor: cannot reshape %v to %v", x.shape, shape))
	}
	out := &Tensor{Data: x.Data, shape: shape}
	return record(out, func(g []float32) { x.addGrad(g) }, x)
}

// Flatten reshapes x to [x.Dim(0), rest].
func Flatten(x *Tensor) *Tensor { return Reshape(x, x.shape[0], -1) }

// Permute reorders the axes: output axis i is input axis perm[i].
func Permute(x *Tensor, perm ...int) *Tensor {
	nd := len(x.shape)
	if len(perm) != nd {
		panic(fmt.Sprintf("tensor: permutation %v for %d dims", perm, nd))
	}
	shape := make([]int, nd)
	inSt := strides(x.shape)
	st := make([]int, nd) // input stride for each output axis
	for i, p := range perm {
		shape[i] = x.shape[p]
		st[i] = inSt[p]
	}
	out := &Tensor{Data: make([]float32, len(x.Data)), shape: shape}
	zero := make([]int, nd)
	forEachRow(shape, st, zero, func(o, ia, _, n, inca, _ int) {
		for k := 0; k < n; k++ {
			out.Data[o+k] = x.Data[ia+k*inca]
		}
	})
	return record(out, func(g []float32) {
		dst := x.gradBuf()
		forEachRow(shape, st, zero, func(o, ia, _, n, inca, _ int) {
			for k := 0; k < n; k++ {
				dst[ia+k*inca] += g[o+k]
			}
		})
	}, x)
}

// Transpose swaps axes a and b.
func Transpose(x *Tensor, a, b int) *Tensor {
	nd := len(x.shape)
	a, b = axis(a, nd), axis(b, nd)
	perm := make([]int, nd)
	for i := range perm {
		perm[i] = i
	}
	perm[a], perm[b] = perm[b], perm[a]
	return Permute(x, perm...)
}

// Slice returns x restricted to [start, end) along axis ax (a copy).
func Slice(x *Tensor, ax, start, end int) *Tensor {
	ax = axis(ax, len(x.shape))
	outer, n, inner := split3(x.shape, ax)
	if start < 0 || end > n || start > end {
		panic(fmt.Sprintf("tensor: slice [%d,%d) of axis %d with size %d", start, end, ax, n))
	}
	shape := cloneInts(x.shape)
	shape[ax] = end - start
	m := end - start
	out := New(shape...)
	for o := 0; o < outer; o++ {
		copy(out.Data[o*m*inner:(o+1)*m*inner], x.Data[(o*n+start)*inner:(o*n+end)*inner])
	}
	return record(out, func(g []float32) {
		dst := x.gradBuf()
		for o := 0; o < outer; o++ {
			d := dst[(o*n+start)*inner : (o*n+end)*inner]
			for i, v := range g[o*m*inner : (o+1)*m*inner] {
				d[i] += v
			}
		}
	}, x)
}

// Chunk splits x into k equal parts along axis ax.
func Chunk(x *Tensor, k, ax int) []*Tensor {
	n := x.Dim(ax)
	if n%k != 0 {
		panic(fmt.Sprintf("tensor: cannot chunk size %d into %d", n, k))
	}
	parts := make([]*Tensor, k)
	for i := range parts {
		parts[i] = Slice(x, ax, i*n/k, (i+1)*n/k)
	}
	return parts
}

// Cat concatenates tensors along axis ax; other axes must agree.
func Cat(ax int, ts ...*Tensor) *Tensor {
	ax = axis(ax, len(ts[0].shape))
	shape := cloneInts(ts[0].shape)
	shape[ax] = 0
	for _, t := range ts {
		if len(t.shape) != len(shape) {
			panic("tensor: Cat of tensors with different ranks")
		}
		shape[ax] += t.shape[ax]
	}
	outer, total, inner := split3(shape, ax)
	out := New(shape...)
	off := 0
	for _, t := range ts {
		m := t.shape[ax]
		for o := 0; o < outer; o++ {
			copy(out.Data[(o*total+off)*inner:(o*total+off+m)*inner], t.Data[o*m*inner:(o+1)*m*inner])
		}
		off += m
	}
	return record(out, func(g []float32) {
		off := 0
		for _, t := range ts {
			m := t.shape[ax]
			if t.requiresGrad {
				dst := t.gradBuf()
				for o := 0; o < outer; o++ {
					d := dst[o*m*inner : (o+1)*m*inner]
					for i, v := range g[(o*total+off)*inner : (o*total+off+m)*inner] {
						d[i] += v
					}
				}
			}
			off += m
		}
	}, ts...)
}

// IndexSelect gathers entries idx along axis ax (idx may repeat).
func IndexSelect(x *Tensor, ax int, idx []int) *Tensor {
	ax = axis(ax, len(x.shape))
	outer, n, inner := split3(x.shape, ax)
	shape := cloneInts(x.shape)
	shape[ax] = len(idx)
	m := len(idx)
	for _, j := range idx {
		if j < 0 || j >= n {
			panic(fmt.Sprintf("tensor: index %d out of range for size %d", j, n))
		}
	}
	out := New(shape...)
	for o := 0; o < outer; o++ {
		for k, j := range idx {
			copy(out.Data[(o*m+k)*inner:(o*m+k+1)*inner], x.Data[(o*n+j)*inner:(o*n+j+1)*inner])
		}
	}
	return record(out, func(g []float32) {
		dst := x.gradBuf()
		for o := 0; o < outer; o++ {
			for k, j := range idx {
				d := dst[(o*n+j)*inner : (o*n+j+1)*inner]
				for i, v := range g[(o*m+k)*inner : (o*m+k+1)*inner] {
					d[i] += v
				}
			}
		}
	}, x)
}
