package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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
//
// The other ranges go to a pool of helper goroutines that keep spinning for
// a while after each task (spinFor) before they sleep: a training step runs
// a parallel loop every few milliseconds, and waking a sleeping thread costs
// tens of microseconds on a virtual machine whose idle CPUs halt, during
// which the caller's share is already running and then waits. A nested call
// (from inside fn) or one made while the pool is busy spawns goroutines.
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
	chunk := (n + parts - 1) / parts
	var wg sync.WaitGroup
	if helpers.busy.CompareAndSwap(false, true) {
		helpers.ensure(parts - 1)
		i := 0
		for lo := chunk; lo < n; lo += chunk {
			wg.Add(1)
			helpers.slots[i].give(&task{fn, lo, min(lo+chunk, n), &wg})
			i++
		}
		fn(0, min(chunk, n))
		wg.Wait()
		helpers.busy.Store(false)
		return
	}
	for lo := chunk; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+chunk, n))
	}
	fn(0, min(chunk, n))
	wg.Wait()
}

// spinFor is how long an idle helper polls for its next task before it
// sleeps.
const spinFor = 500 * time.Microsecond

// task is one range of a parallel loop.
type task struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

// slot hands tasks to one helper goroutine.
type slot struct {
	next     atomic.Pointer[task]
	sleeping atomic.Bool
	wake     chan struct{}
}

// give hands t to the slot's helper, waking it if it sleeps.
func (s *slot) give(t *task) {
	s.next.Store(t)
	if s.sleeping.Load() {
		select {
		case s.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// run is a helper's loop: take a task, run it, poll for the next one for
// spinFor, then sleep until woken. Announcing sleep before the last look
// at the slot, and give storing the task before looking at the flag, means
// one of the two always sees the other.
func (s *slot) run() {
	for {
		idle := time.Now()
		for {
			if t := s.next.Swap(nil); t != nil {
				t.fn(t.lo, t.hi)
				t.wg.Done()
				idle = time.Now()
				continue
			}
			if time.Since(idle) < spinFor {
				runtime.Gosched()
				continue
			}
			break
		}
		s.sleeping.Store(true)
		if t := s.next.Swap(nil); t != nil {
			s.sleeping.Store(false)
			t.fn(t.lo, t.hi)
			t.wg.Done()
			continue
		}
		<-s.wake
		s.sleeping.Store(false)
	}
}

// helperPool is the pool behind ParallelFor; busy marks it taken by a call.
type helperPool struct {
	busy  atomic.Bool
	slots []*slot
}

var helpers helperPool

// ensure starts helpers until there are at least n (called while busy).
func (h *helperPool) ensure(n int) {
	for len(h.slots) < n {
		s := &slot{wake: make(chan struct{}, 1)}
		h.slots = append(h.slots, s)
		go s.run()
	}
}
