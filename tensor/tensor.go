package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Tensor is a dense float32 array with a shape and, optionally, a gradient.
// Data is row-major: the last axis varies fastest.
type Tensor struct {
	// Data holds the values, len(Data) == Numel().
	Data []float32
	// Grad accumulates the gradient of a backward pass, nil until one reaches
	// this tensor. Leaves keep it until ZeroGrad; intermediates lose it.
	Grad []float32

	shape        []int
	requiresGrad bool
	node         *node
	// spareGrad is the buffer ZeroGrad took from Grad, reused (without
	// clearing where an operation overwrites it) by the next backward pass.
	spareGrad []float32
	// owned: Data came from the buffer pool for this tensor alone, so
	// Recycle may hand it back (recycle.go).
	owned bool
	// captured: a recorded operation keeps this tensor for its backward.
	captured bool
	// recycle: hand Data back to the pool once backward has used it.
	recycle bool
}

// New returns a zero tensor of the given shape.
func New(shape ...int) *Tensor {
	return &Tensor{Data: make([]float32, numel(shape)), shape: cloneInts(shape)}
}

// FromSlice wraps data (not copied) in a tensor of the given shape.
// It panics if the sizes disagree.
func FromSlice(data []float32, shape ...int) *Tensor {
	if len(data) != numel(shape) {
		panic(fmt.Sprintf("tensor: %d values for shape %v", len(data), shape))
	}
	return &Tensor{Data: data, shape: cloneInts(shape)}
}

// Scalar returns a 0-dimensional tensor holding v.
func Scalar(v float32) *Tensor { return &Tensor{Data: []float32{v}, shape: []int{}} }

// Full returns a tensor of the given shape filled with v.
func Full(v float32, shape ...int) *Tensor {
	t := New(shape...)
	for i := range t.Data {
		t.Data[i] = v
	}
	return t
}

// Randn returns a tensor of standard normal draws from rng.
func Randn(rng *rand.Rand, shape ...int) *Tensor {
	t := New(shape...)
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64())
	}
	return t
}

// Param returns a leaf tensor that requires a gradient.
func Param(data []float32, shape ...int) *Tensor {
	t := FromSlice(data, shape...)
	t.requiresGrad = true
	return t
}

// Shape returns the tensor's shape. The caller must not modify it.
func (t *Tensor) Shape() []int { return t.shape }

// Dims returns the number of axes.
func (t *Tensor) Dims() int { return len(t.shape) }

// Dim returns the size of axis i; negative i counts from the end.
func (t *Tensor) Dim(i int) int { return t.shape[axis(i, len(t.shape))] }

// Numel returns the number of elements.
func (t *Tensor) Numel() int { return len(t.Data) }

// Item returns the single value of a one-element tensor.
func (t *Tensor) Item() float32 {
	if len(t.Data) != 1 {
		panic(fmt.Sprintf("tensor: Item on shape %v", t.shape))
	}
	return t.Data[0]
}

// RequiresGrad reports whether gradients flow to this tensor.
func (t *Tensor) RequiresGrad() bool { return t.requiresGrad }

// SetRequiresGrad marks a leaf as needing (or not) a gradient and returns it.
func (t *Tensor) SetRequiresGrad(on bool) *Tensor {
	if t.node != nil {
		panic("tensor: SetRequiresGrad on a non-leaf tensor")
	}
	t.requiresGrad = on
	return t
}

// IsLeaf reports whether the tensor was not produced by a recorded operation.
func (t *Tensor) IsLeaf() bool { return t.node == nil }

// ZeroGrad drops the accumulated gradient (Grad becomes nil). The tensor
// keeps the buffer for its next gradient, so a slice of Grad must not be
// kept past ZeroGrad.
func (t *Tensor) ZeroGrad() {
	if t.Grad != nil {
		t.spareGrad = t.Grad
	}
	t.Grad = nil
}

// GradTensor returns the gradient as a tensor of the same shape (zeros if none
// was accumulated). The data is shared with Grad when it exists.
func (t *Tensor) GradTensor() *Tensor {
	if t.Grad == nil {
		return New(t.shape...)
	}
	return FromSlice(t.Grad, t.shape...)
}

// Clone returns a copy of the values with no gradient history.
func (t *Tensor) Clone() *Tensor {
	return FromSlice(append([]float32(nil), t.Data...), t.shape...)
}

// CopyFrom overwrites t's values with src's (same number of elements).
func (t *Tensor) CopyFrom(src *Tensor) {
	if len(src.Data) != len(t.Data) {
		panic(fmt.Sprintf("tensor: CopyFrom %v into %v", src.shape, t.shape))
	}
	copy(t.Data, src.Data)
}

// String prints the shape and the first values.
func (t *Tensor) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tensor%v[", t.shape)
	for i, v := range t.Data {
		if i == 8 {
			b.WriteString(" …")
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.4g", v)
	}
	b.WriteByte(']')
	return b.String()
}

// HasNaN reports whether any value is NaN or ±Inf.
func (t *Tensor) HasNaN() bool {
	for _, v := range t.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return true
		}
	}
	return false
}

// SameShape reports whether two shapes are equal.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("tensor: negative size in shape %v", shape))
		}
		n *= s
	}
	return n
}

func cloneInts(s []int) []int { return append([]int{}, s...) }

// axis resolves a possibly negative axis index.
func axis(i, n int) int {
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		panic(fmt.Sprintf("tensor: axis %d out of range for %d dims", i, n))
	}
	return i
}

// strides returns the row-major strides of a shape.
func strides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = acc
		acc *= shape[i]
	}
	return s
}
