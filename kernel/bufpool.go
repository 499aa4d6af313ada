package kernel

import (
	"math/bits"
	"sync"
)

// Float buffers are recycled by power-of-two size class. The free lists,
// unlike a sync.Pool, survive garbage collections: a buffer dropped at every
// collection comes back as fresh pages the next training step, and faulting
// a page in costs far more than the arithmetic done on it (about 1.3 µs per
// 4 KiB page on this project's virtual machines, against 33 ns to touch a
// resident one). At most maxFreeBytes of free buffers are kept.
var freeBufs struct {
	sync.Mutex
	lists [48][][]float32
	bytes int
}

const maxFreeBytes = 1 << 30

func sizeClass(n int) int { return bits.Len(uint(n - 1)) }

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
	return make([]float32, n, 1<<c)
}

// PutBuf hands a slice obtained from GetBuf back for reuse; slices of other
// capacities are ignored. The caller must not touch it afterwards.
func PutBuf(b []float32) {
	if cap(b) == 0 || cap(b)&(cap(b)-1) != 0 {
		return // not from GetBuf
	}
	b = b[:cap(b)]
	f := &freeBufs
	f.Lock()
	if f.bytes+4*cap(b) <= maxFreeBytes {
		c := sizeClass(cap(b))
		f.lists[c] = append(f.lists[c], b)
		f.bytes += 4 * cap(b)
	}
	f.Unlock()
}
