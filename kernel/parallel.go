package kernel

import (
	"runtime"
	"sync"
)

// Workers is the number of goroutines that parallel loops are split over.
// It defaults to GOMAXPROCS and may be lowered by SetWorkers.
var workers = runtime.GOMAXPROCS(0)

// Workers returns the number of goroutines parallel loops use.
func Workers() int { return workers }

// SetWorkers sets how many goroutines parallel loops use (at least 1) and
// returns the previous value.
func SetWorkers(n int) int {
	old := workers
	if n < 1 {
		n = 1
	}
	workers = n
	return old
}

// ParallelFor calls fn on disjoint sub-ranges [lo, hi) that together cover
// [0, n), using up to Workers() goroutines. Ranges hold at least grain items
// so that tiny loops run on the calling goroutine alone.
func ParallelFor(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	parts := workers
	if maxParts := (n + grain - 1) / grain; parts > maxParts {
		parts = maxParts
	}
	if parts <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + parts - 1) / parts
	for lo := chunk; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, hi)
	}
	fn(0, min(chunk, n))
	wg.Wait()
}
