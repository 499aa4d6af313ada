package kernel

import (
	"math/bits"
	"sync"
)

// Float buffers are recycled by size class: four classes per power of two
// (so a buffer is at most a quarter larger than asked for). The free lists,
// unlike a sync.Pool, survive garbage collections: a buffer dropped at every
// collection comes back as fresh pages the next training step, and faulting
// a page in costs far more than the arithmetic done on it (about 1.3 µs per
// 4 KiB page on this project's virtual machines, against 33 ns to touch a
// resident one). At most maxFreeBytes of free buffers are kept.
var freeBufs struct {
	sync.Mutex
	lists [4 * 64][][]float32
	bytes int
}

const maxFreeBytes = 2 << 30

// sizeClass returns the class of a request for n > 0 floats: classes 4b+j
// (j = 1…4) hold 2^(b−1)·(1 + j/4) floats; sizes up to 8 are exact.
func sizeClass(n int) int {
	if n <= 8 {
		return n
	}
	b := bits.Len(uint(n - 1)) // 2^(b−1) < n ≤ 2^b
	step := 1 << (b - 3)
	j := (n - 1<<(b-1) + step - 1) / step
	return 4*b + j
}

// classSize is the capacity of buffers of class c.
func classSize(c int) int {
	if c <= 8 {
		return c
	}
	b, j := (c-1)/4, (c-1)%4+1
	return 1<<(b-1) + j<<(b-3)
}

// GetBuf returns a slice of length n with unspecified contents, reusing a
// buffer handed back by PutBuf when one of its size class is free.
func GetBuf(n int) []float32 {
	if n == 0 {
		return nil
	}
	c := sizeClass(n)
	f := &freeBufs
	f.Lock()
	if l := f.lists[c]; len(l) > 0 {
		b := l[len(l)-1]
		l[len(l)-1] = nil
		f.lists[c] = l[:len(l)-1]
		f.bytes -= 4 * cap(b)
		f.Unlock()
		return b[:n]
	}
	f.Unlock()
	return make([]float32, n, classSize(c))
}

// PutBuf hands a slice obtained from GetBuf back for reuse; slices of other
// capacities are ignored. The caller must not touch it afterwards.
func PutBuf(b []float32) {
	c := sizeClass(max(cap(b), 1))
	if cap(b) == 0 || classSize(c) != cap(b) {
		return // not from GetBuf
	}
	b = b[:cap(b)]
	f := &freeBufs
	f.Lock()
	if f.bytes+4*cap(b) <= maxFreeBytes {
		f.lists[c] = append(f.lists[c], b)
		f.bytes += 4 * cap(b)
	}
	f.Unlock()
}
