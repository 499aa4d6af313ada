package tensor

import "i2i/kernel"

// Gradients and scratch space come from the kernel's buffer pool, so that
// one training step's buffers are reused by the next instead of being left
// to the garbage collector.

// getBuf returns a slice of length n with unspecified contents.
func getBuf(n int) []float32 { return kernel.GetBuf(n) }

// getZeroBuf returns a zeroed slice of length n, cleared in parallel.
func getZeroBuf(n int) []float32 {
	b := getBuf(n)
	kernel.ParallelFor(len(b), 1<<16, func(lo, hi int) { clear(b[lo:hi]) })
	return b
}

// putBuf hands a slice obtained from getBuf back for reuse. The caller must
// not touch it afterwards.
func putBuf(b []float32) { kernel.PutBuf(b) }
