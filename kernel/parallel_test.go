package kernel

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Every index is visited exactly once, by the pool, by nested calls (which
// fall back to goroutines) and by concurrent callers.
func TestParallelForCoversEachIndexOnce(t *testing.T) {
	defer SetWorkers(SetWorkers(3))
	check := func(n, grain int) {
		hits := make([]atomic.Int32, n)
		ParallelFor(n, grain, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				hits[i].Add(1)
			}
		})
		for i := range hits {
			if h := hits[i].Load(); h != 1 {
				t.Errorf("n=%d grain=%d: index %d visited %d times", n, grain, i, h) // also called from other goroutines
				return
			}
		}
	}
	for _, n := range []int{0, 1, 2, 7, 100, 1001} {
		for _, grain := range []int{1, 3, 64} {
			check(n, grain)
		}
	}
	// Nested: the inner loops run while the pool is taken by the outer one.
	var inner atomic.Int64
	ParallelFor(8, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ParallelFor(100, 1, func(lo, hi int) { inner.Add(int64(hi - lo)) })
		}
	})
	if inner.Load() != 800 {
		t.Fatalf("nested loops covered %d of 800 items", inner.Load())
	}
	// Concurrent callers.
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 50; r++ {
				check(257, 2)
			}
		}()
	}
	wg.Wait()
}
