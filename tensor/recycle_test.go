package tensor

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// chain computes tanh(conv(relu(x + 1))) of a random input, recycling the
// two intermediates when asked, and returns the output and the gradients
// of its sum with respect to x and the kernel.
func chain(recycle bool) (y, gx, gw []float32) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := Randn(rng, 1, 3, 8, 8).SetRequiresGrad(true)
	w := Randn(rng, 4, 3, 3, 3).SetRequiresGrad(true)
	a := ReLU(AddScalar(x, 1))
	b := Conv2d(a, w, nil, ConvOpts{Padding: [2]int{1, 1}})
	if recycle {
		Recycle(a)
	}
	out := Tanh(b)
	if recycle {
		Recycle(b, out)
	}
	Sum(out).Backward()
	if recycle && (a.Data != nil || b.Data != nil) {
		panic("recycled intermediates kept their buffers after backward")
	}
	return slices.Clone(out.Data), slices.Clone(x.Grad), slices.Clone(w.Grad)
}

// Recycling intermediates on a graph changes no value or gradient, and
// their buffers go back only after backward has used them.
func TestRecycleOnGraphWaitsForBackward(t *testing.T) {
	y0, gx0, gw0 := chain(false)
	y1, gx1, gw1 := chain(true)
	if !slices.Equal(y0, y1) || !slices.Equal(gx0, gx1) || !slices.Equal(gw0, gw1) {
		t.Fatal("recycling changed the output or the gradients")
	}
}

func TestRecycleOutsideGraph(t *testing.T) {
	x := Full(2, 4, 4)
	var a, v *Tensor
	NoGrad(func() {
		a = ReLU(x)
		v = Reshape(a, 16)
	})
	Recycle(a, v) // v shares a's buffer: kept
	if a.Data == nil {
		t.Fatal("a tensor sharing its buffer with a kept one was recycled")
	}
	Recycle(v) // a view owns nothing
	if v.Data == nil {
		t.Fatal("a view was recycled")
	}
	Recycle(x) // not allocated by the engine's pool
	if x.Data == nil {
		t.Fatal("a tensor made by New was recycled")
	}
	Recycle(a)
	if a.Data != nil {
		t.Fatal("a dead intermediate outside any graph kept its buffer")
	}
}

// A tensor with no graph of its own that a recorded operation keeps (the
// input of a convolution whose kernel takes a gradient) stays until the
// garbage collector frees it: nothing says when that backward is over.
func TestRecycleKeepsCapturedLeaves(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := ReLU(Randn(rng, 1, 2, 4, 4))
	w := Randn(rng, 2, 2, 1, 1).SetRequiresGrad(true)
	y := Conv2d(a, w, nil, ConvOpts{})
	Recycle(a)
	if a.Data == nil {
		t.Fatal("an input kept by a recorded operation was recycled")
	}
	Sum(y).Backward()
	if w.Grad == nil {
		t.Fatal("no kernel gradient")
	}
}
