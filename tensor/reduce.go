package tensor

import (
	"math"
	"slices"
)

// Sum returns the sum of all elements as a scalar.
func Sum(x *Tensor) *Tensor {
	var s float64
	for _, v := range x.Data {
		s += float64(v)
	}
	out := Scalar(float32(s))
	return record(out, func(g []float32) {
		dst := x.gradBuf()
		for i := range dst {
			dst[i] += g[0]
		}
	}, x)
}

// Mean returns the mean of all elements as a scalar.
func Mean(x *Tensor) *Tensor {
	return MulScalar(Sum(x), 1/float32(len(x.Data)))
}

// SumAxes sums over the given axes; keepDim keeps them with size 1.
func SumAxes(x *Tensor, keepDim bool, axes ...int) *Tensor {
	out := x
	sorted := make([]int, len(axes))
	for i, a := range axes {
		sorted[i] = axis(a, len(x.shape))
	}
	slices.Sort(sorted)
	for i := len(sorted) - 1; i >= 0; i-- {
		out = sumAxis(out, sorted[i])
	}
	if !keepDim {
		shape := []int{}
		for i, d := range x.shape {
			if !slices.Contains(sorted, i) {
				shape = append(shape, d)
			}
		}
		out = Reshape(out, shape...)
	}
	return out
}

// MeanAxes averages over the given axes; keepDim keeps them with size 1.
func MeanAxes(x *Tensor, keepDim bool, axes ...int) *Tensor {
	n := 1
	for _, a := range axes {
		n *= x.Dim(a)
	}
	return MulScalar(SumAxes(x, keepDim, axes...), 1/float32(n))
}

// sumAxis sums over one axis, keeping it with size 1.
func sumAxis(x *Tensor, ax int) *Tensor {
	outer, n, inner := split3(x.shape, ax)
	shape := cloneInts(x.shape)
	shape[ax] = 1
	out := New(shape...)
	for o := 0; o < outer; o++ {
		dst := out.Data[o*inner : (o+1)*inner]
		for k := 0; k < n; k++ {
			src := x.Data[(o*n+k)*inner : (o*n+k+1)*inner]
			for i, v := range src {
				dst[i] += v
			}
		}
	}
	return record(out, func(g []float32) {
		dst := x.gradBuf()
		for o := 0; o < outer; o++ {
			src := g[o*inner : (o+1)*inner]
			for k := 0; k < n; k++ {
				d := dst[(o*n+k)*inner : (o*n+k+1)*inner]
				for i, v := range src {
					d[i] += v
				}
			}
		}
	}, x)
}

// split3 views shape as [outer, shape[ax], inner].
func split3(shape []int, ax int) (outer, n, inner int) {
	outer, inner = 1, 1
	for i := 0; i < ax; i++ {
		outer *= shape[i]
	}
	for i := ax + 1; i < len(shape); i++ {
		inner *= shape[i]
	}
	return outer, shape[ax], inner
}

// Norm2 is the Euclidean norm along axis ax, kept with size 1:
// sqrt(Σ x²), accumulated in float32 like PyTorch's (Σx²)^½. Its gradient
// x/‖x‖ is taken as 0 for an all-zero slice, where PyTorch's pow(½)
// backward gives NaN (specs/cut.md C8, instaformer.md Q15): a zero feature
// row then stops contributing instead of poisoning every weight.
func Norm2(x *Tensor, ax int) *Tensor {
	ax = axis(ax, len(x.shape))
	outer, n, inner := split3(x.shape, ax)
	shape := cloneInts(x.shape)
	shape[ax] = 1
	out := New(shape...)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			var s float32
			for k := 0; k < n; k++ {
				v := x.Data[(o*n+k)*inner+i]
				s += v * v
			}
			out.Data[o*inner+i] = float32(math.Sqrt(float64(s)))
		}
	}
	return record(out, func(g []float32) {
		dst := x.gradBuf()
		for o := 0; o < outer; o++ {
			for i := 0; i < inner; i++ {
				nrm := out.Data[o*inner+i]
				if nrm == 0 {
					continue
				}
				f := g[o*inner+i] / nrm
				for k := 0; k < n; k++ {
					j := (o*n+k)*inner + i
					dst[j] += f * x.Data[j]
				}
			}
		}
	}, x)
}
