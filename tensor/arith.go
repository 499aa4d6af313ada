package tensor

import "i2i/kernel"

type binOp int

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
)

// elementwise work is split between cores above this many elements.
const parallelGrain = 1 << 15

// Add returns a + b with broadcasting.
func Add(a, b *Tensor) *Tensor { return binary(opAdd, a, b) }

// Sub returns a − b with broadcasting.
func Sub(a, b *Tensor) *Tensor { return binary(opSub, a, b) }

// Mul returns a · b element-wise with broadcasting.
func Mul(a, b *Tensor) *Tensor { return binary(opMul, a, b) }

// Div returns a / b element-wise with broadcasting.
func Div(a, b *Tensor) *Tensor { return binary(opDiv, a, b) }

func binary(op binOp, a, b *Tensor) *Tensor {
	shape := broadcastShape(a.shape, b.shape)
	out := empty(shape)
	if SameShape(a.shape, b.shape) {
		kernel.ParallelFor(len(out.Data), parallelGrain, func(lo, hi int) {
			binaryRow(op, out.Data[lo:hi], a.Data[lo:hi], b.Data[lo:hi], 1, 1)
		})
	} else {
		forEachRow(shape, bcastStrides(a.shape, shape), bcastStrides(b.shape, shape), func(o, ia, ib, n, inca, incb int) {
			binaryRow(op, out.Data[o:o+n], a.Data[ia:], b.Data[ib:], inca, incb)
		})
	}
	return record(out, func(g []float32) {
		switch op {
		case opAdd:
			a.addReduced(g, shape)
			b.addReduced(g, shape)
		case opSub:
			a.addReduced(g, shape)
			if b.requiresGrad {
				ng := getBuf(len(g))
				for i, v := range g {
					ng[i] = -v
				}
				b.addReduced(ng, shape)
				putBuf(ng)
			}
		case opMul:
			if a.requiresGrad {
				ga := broadcastBinary(opMul, g, shape, b)
				a.addReduced(ga, shape)
				putBuf(ga)
			}
			if b.requiresGrad {
				gb := broadcastBinary(opMul, g, shape, a)
				b.addReduced(gb, shape)
				putBuf(gb)
			}
		case opDiv:
			if a.requiresGrad {
				ga := broadcastBinary(opDiv, g, shape, b)
				a.addReduced(ga, shape)
				putBuf(ga)
			}
			if b.requiresGrad {
				// d(a/b)/db = −(a/b)/b = −out/b
				gb := getBuf(len(g))
				for i := range gb {
					gb[i] = -g[i] * out.Data[i]
				}
				gq := broadcastBinary(opDiv, gb, shape, b)
				b.addReduced(gq, shape)
				putBuf(gb)
				putBuf(gq)
			}
		}
	}, a, b)
}

// broadcastBinary computes g ∘ t (t broadcast to shape) into a pooled buffer.
func broadcastBinary(op binOp, g []float32, shape []int, t *Tensor) []float32 {
	r := getBuf(len(g))
	if SameShape(shape, t.shape) {
		binaryRow(op, r, g, t.Data, 1, 1)
		return r
	}
	forEachRow(shape, strides(shape), bcastStrides(t.shape, shape), func(o, ia, ib, n, inca, incb int) {
		binaryRow(op, r[o:o+n], g[ia:], t.Data[ib:], inca, incb)
	})
	return r
}

func binaryRow(op binOp, dst, a, b []float32, inca, incb int) {
	n := len(dst)
	switch {
	case inca == 1 && incb == 1:
		a, b = a[:n], b[:n]
		switch op {
		case opAdd:
			for i := range dst {
				dst[i] = a[i] + b[i]
			}
		case opSub:
			for i := range dst {
				dst[i] = a[i] - b[i]
			}
		case opMul:
			for i := range dst {
				dst[i] = a[i] * b[i]
			}
		case opDiv:
			for i := range dst {
				dst[i] = a[i] / b[i]
			}
		}
	case inca == 1 && incb == 0:
		a = a[:n]
		y := b[0]
		switch op {
		case opAdd:
			for i := range dst {
				dst[i] = a[i] + y
			}
		case opSub:
			for i := range dst {
				dst[i] = a[i] - y
			}
		case opMul:
			for i := range dst {
				dst[i] = a[i] * y
			}
		case opDiv:
			for i := range dst {
				dst[i] = a[i] / y
			}
		}
	default:
		for i := range dst {
			x, y := a[i*inca], b[i*incb]
			switch op {
			case opAdd:
				dst[i] = x + y
			case opSub:
				dst[i] = x - y
			case opMul:
				dst[i] = x * y
			case opDiv:
				dst[i] = x / y
			}
		}
	}
}

// AddScalar returns x + c.
func AddScalar(x *Tensor, c float32) *Tensor {
	return affine(x, 1, c)
}

// MulScalar returns c · x.
func MulScalar(x *Tensor, c float32) *Tensor {
	return affine(x, c, 0)
}

// Neg returns −x.
func Neg(x *Tensor) *Tensor { return affine(x, -1, 0) }

// affine returns s·x + c.
func affine(x *Tensor, s, c float32) *Tensor {
	out := empty(x.shape)
	kernel.ParallelFor(len(x.Data), parallelGrain, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out.Data[i] = s*x.Data[i] + c
		}
	})
	return record(out, func(g []float32) {
		if s == 1 {
			x.addGrad(g)
			return
		}
		dst := x.gradBuf()
		for i, v := range g {
			dst[i] += s * v
		}
	}, x)
}

// AddN returns the sum of tensors of identical shape.
func AddN(ts ...*Tensor) *Tensor {
	out := ts[0]
	for _, t := range ts[1:] {
		out = Add(out, t)
	}
	return out
}
