package tensor

import "unsafe"

// Activation recycling. The outputs of the commonest operations (convolution,
// the norms, element-wise arithmetic and activations, padding, nearest
// upsampling) take their buffers from the kernel's pool. A caller that knows
// an intermediate result is dead — nn.Sequential, for the tensors passed
// between its layers — calls Recycle, and the buffer goes back to the pool:
// at once outside a recorded graph, or as soon as backward has finished with
// it. The next forward pass reuses it instead of fresh memory, which the Go
// runtime would clear on one core (about 8 ms of the benchmark generator's
// 90 ms forward pass on the project's 2-core machine).

// empty returns a tensor of the given shape whose buffer comes from the pool
// with arbitrary contents: the caller must write every element.
func empty(shape []int) *Tensor {
	return &Tensor{Data: getBuf(numel(shape)), shape: shape, owned: true}
}

// Recycle declares that the caller is done with t: nothing outside the
// recorded graph holds t or its data, except the tensors in keep. t's
// buffer then returns to the pool — now, if t is outside any graph, or once
// backward has run past t — and t.Data becomes nil, so a later use fails
// loudly instead of reading reused memory. Recycle does nothing to a tensor
// that shares its buffer with one in keep, to views and to tensors the
// engine did not allocate, or to a tensor a recorded operation kept without
// t being on a graph itself (nothing says when that operation's backward
// is over).
func Recycle(t *Tensor, keep ...*Tensor) {
	if t == nil || !t.owned || t.node == nil && t.captured {
		return
	}
	for _, k := range keep {
		if k != nil && overlaps(t.Data, k.Data) {
			return
		}
	}
	if t.node != nil {
		t.recycle = true
		return
	}
	t.release()
}

// release hands t's buffer back to the pool.
func (t *Tensor) release() {
	putBuf(t.Data)
	t.Data, t.owned, t.recycle = nil, false, false
}

// overlaps reports whether two slices share any of their backing arrays.
func overlaps(a, b []float32) bool {
	if cap(a) == 0 || cap(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 < b0+4*uintptr(cap(b)) && b0 < a0+4*uintptr(cap(a))
}
