package tensor

import (
	"fmt"
	"sync/atomic"
)

// node links a computed tensor to the inputs it was made from and to the
// closure that turns its gradient into theirs.
type node struct {
	inputs   []*Tensor
	backward func(g []float32)
}

var noGradDepth atomic.Int32

// NoGrad runs f with gradient recording switched off (inference mode).
func NoGrad(f func()) {
	noGradDepth.Add(1)
	defer noGradDepth.Add(-1)
	f()
}

// GradEnabled reports whether operations record a graph right now.
func GradEnabled() bool { return noGradDepth.Load() == 0 }

// needsGrad reports whether an output computed from inputs must be recorded.
func needsGrad(inputs ...*Tensor) bool {
	if !GradEnabled() {
		return false
	}
	for _, t := range inputs {
		if t != nil && t.requiresGrad {
			return true
		}
	}
	return false
}

// record attaches backward to out when any input needs a gradient.
// backward receives out's gradient and must add each input's share into
// that input's gradBuf (only for inputs with requiresGrad).
func record(out *Tensor, backward func(g []float32), inputs ...*Tensor) *Tensor {
	if needsGrad(inputs...) {
		out.requiresGrad = true
		out.node = &node{inputs: inputs, backward: backward}
		for _, in := range inputs {
			if in != nil {
				in.captured = true
			}
		}
	}
	return out
}

// gradBuf returns t's gradient slice, allocating it zeroed on first use.
// Intermediate gradients come from the buffer pool; leaves reuse the buffer
// ZeroGrad took from them, so a training step does not fault in fresh pages.
func (t *Tensor) gradBuf() []float32 {
	if t.Grad == nil {
		clear(t.newGrad())
	}
	return t.Grad
}

// gradOut returns t's gradient slice for an operation that writes every
// element of it, and the beta to write with: 0 when the slice is new (its
// contents are arbitrary and must be overwritten), 1 when it already holds
// a gradient to add to. It saves clearing the buffer first.
func (t *Tensor) gradOut() ([]float32, float32) {
	if t.Grad == nil {
		return t.newGrad(), 0
	}
	return t.Grad, 1
}

// newGrad gives t a gradient buffer with arbitrary contents.
func (t *Tensor) newGrad() []float32 {
	if t.spareGrad != nil {
		t.Grad, t.spareGrad = t.spareGrad, nil
	} else {
		t.Grad = getBuf(len(t.Data))
	}
	return t.Grad
}

// addGrad adds g into t's gradient if t takes one.
func (t *Tensor) addGrad(g []float32) {
	if t == nil || !t.requiresGrad {
		return
	}
	dst, beta := t.gradOut()
	if beta == 0 {
		copy(dst, g)
		return
	}
	for i, v := range g {
		dst[i] += v
	}
}

// Detach returns a tensor sharing t's data with no gradient history.
func Detach(t *Tensor) *Tensor { return &Tensor{Data: t.Data, shape: t.shape} }

// Backward computes the gradient of a scalar loss with respect to every leaf
// that requires one, adding into the leaves' Grad.
func (t *Tensor) Backward() {
	if len(t.Data) != 1 {
		panic(fmt.Sprintf("tensor: Backward on non-scalar shape %v; use BackwardWith", t.shape))
	}
	BackwardWith([]*Tensor{t}, []*Tensor{Scalar(1)})
}

// BackwardWith back-propagates the gradients grads[k] of outputs outs[k]
// (the gradient of sum_k <outs[k], grads[k]>). The graph behind outs is
// released afterwards.
func BackwardWith(outs, grads []*Tensor) {
	for k, o := range outs {
		if !o.requiresGrad {
			continue
		}
		if len(grads[k].Data) != len(o.Data) {
			panic(fmt.Sprintf("tensor: gradient of %v for output %v", grads[k].shape, o.shape))
		}
		o.addGrad(grads[k].Data)
	}
	order := topoOrder(outs)
	for i := len(order) - 1; i >= 0; i-- {
		t := order[i]
		n := t.node
		if t.Grad != nil {
			n.backward(t.Grad)
			putBuf(t.Grad)
		}
		t.Grad = nil
		t.node = nil
		if t.recycle { // every consumer's backward has run before t's
			t.release()
		}
	}
}

// topoOrder lists the non-leaf tensors reachable from outs so that every
// tensor comes after the inputs it was computed from.
func topoOrder(outs []*Tensor) []*Tensor {
	var order []*Tensor
	seen := map[*Tensor]bool{}
	type frame struct {
		t    *Tensor
		next int
	}
	for _, o := range outs {
		if o.node == nil || seen[o] {
			continue
		}
		stack := []frame{{o, 0}}
		seen[o] = true
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(f.t.node.inputs) {
				in := f.t.node.inputs[f.next]
				f.next++
				if in != nil && in.node != nil && !seen[in] {
					seen[in] = true
					stack = append(stack, frame{in, 0})
				}
				continue
			}
			order = append(order, f.t)
			stack = stack[:len(stack)-1]
		}
	}
	return order
}
