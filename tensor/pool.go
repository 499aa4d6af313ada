package tensor

import (
	"math/bits"
	"sync"
)

// Buffers of float32 are recycled by power-of-two size class, so that the
// gradients and scratch space of one training step are reused by the next
// instead of being left to the garbage collector.
var bufPools [48]sync.Pool

func sizeClass(n int) int { return bits.Len(uint(n - 1)) }

// getBuf returns a slice of length n with unspecified contents.
func getBuf(n int) []float32 {
	if n == 0 {
		return nil
	}
	c := sizeClass(n)
	if p, ok := bufPools[c].Get().(*[]float32); ok {
		return (*p)[:n]
	}
	return make([]float32, n, 1<<c)
}

// getZeroBuf returns a zeroed slice of length n.
func getZeroBuf(n int) []float32 {
	b := getBuf(n)
	clear(b)
	return b
}

// putBuf hands a slice obtained from getBuf back for reuse. The caller must
// not touch it afterwards.
func putBuf(b []float32) {
	if cap(b) == 0 || cap(b)&(cap(b)-1) != 0 {
		return // not from getBuf
	}
	b = b[:cap(b)]
	bufPools[sizeClass(cap(b))].Put(&b)
}
