package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"i2i/kernel"
	"i2i/nn"
	"i2i/optim"
	"i2i/tensor"
)

// Groups are the benchmark sets that Run runs by default, in order.
var Groups = []string{"sgemm", "conv", "resgen"}

// Extra are the sets run only on request (--only): the InstaFormer step
// needs about 2 GB and half a minute.
var Extra = []string{"instaformer"}

// Options control a benchmark run.
type Options struct {
	Only    []string // groups to run (default: all of Groups)
	Reps    int      // timed repetitions; the median is reported
	Warmup  int      // untimed runs first
	Threads int      // worker goroutines for the kernels (0 = all cores)
}

// Run times the selected groups and returns the results by key.
func Run(o Options) (map[string]any, error) {
	if o.Reps <= 0 {
		o.Reps = 10
	}
	if o.Warmup <= 0 {
		o.Warmup = 2
	}
	if o.Threads > 0 {
		defer kernel.SetWorkers(kernel.SetWorkers(o.Threads))
	}
	only := o.Only
	if len(only) == 0 {
		only = Groups
	}
	for _, g := range only {
		if !slices.Contains(Groups, g) && !slices.Contains(Extra, g) {
			return nil, fmt.Errorf("unknown benchmark %q (known: %v)", g, append(slices.Clone(Groups), Extra...))
		}
	}
	out := map[string]any{"engine": "i2i (" + kernel.Describe() + ")", "threads": kernel.Workers()}
	if slices.Contains(only, "sgemm") {
		benchSgemm(out, o)
	}
	if slices.Contains(only, "conv") {
		benchConv(out, o)
	}
	if slices.Contains(only, "resgen") {
		benchResGen(out, o)
	}
	if slices.Contains(only, "instaformer") {
		if err := benchInstaFormer(out, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// median returns the median wall time of fn over o.Reps runs after warm-up.
func median(o Options, fn func()) float64 {
	for i := 0; i < o.Warmup; i++ {
		fn()
	}
	ts := make([]float64, o.Reps)
	for i := range ts {
		t0 := time.Now()
		fn()
		ts[i] = time.Since(t0).Seconds()
	}
	sort.Float64s(ts)
	if len(ts)%2 == 1 {
		return ts[len(ts)/2]
	}
	return (ts[len(ts)/2-1] + ts[len(ts)/2]) / 2
}

func benchSgemm(out map[string]any, o Options) {
	rng := rand.New(rand.NewPCG(1, 1))
	for name, s := range map[string][3]int{"sgemm_1024": {1024, 1024, 1024}, "sgemm_conv": {256, 2304, 4096}} {
		m, k, n := s[0], s[1], s[2]
		a, b, c := tensor.Randn(rng, m, k), tensor.Randn(rng, k, n), tensor.New(m, n)
		t := median(o, func() { kernel.Sgemm(false, false, m, n, k, 1, a.Data, k, b.Data, n, 0, c.Data, n) })
		out[name+"_gflops"] = 2 * float64(m*n*k) / t / 1e9
	}
}

func benchConv(out map[string]any, o Options) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := tensor.Randn(rng, 1, 256, 64, 64)
	w := tensor.Randn(rng, 256, 256, 3, 3)
	b := tensor.New(256)
	opts := tensor.ConvOpts{Padding: [2]int{1, 1}}
	flop := 2.0 * 256 * 256 * 9 * 64 * 64
	// Each output goes back to the engine's buffer pool once used, as
	// PyTorch's caching allocator takes back a tensor that goes out of scope.
	t := median(o, func() { tensor.NoGrad(func() { tensor.Recycle(tensor.Conv2d(x, w, b, opts)) }) })
	out["conv3x3_fwd_gflops"] = flop / t / 1e9
	x.SetRequiresGrad(true)
	w.SetRequiresGrad(true)
	b.SetRequiresGrad(true)
	gy := tensor.Randn(rng, 1, 256, 64, 64)
	t = median(o, func() {
		x.ZeroGrad()
		w.ZeroGrad()
		b.ZeroGrad()
		y := tensor.Conv2d(x, w, b, opts)
		tensor.Recycle(y)
		tensor.BackwardWith([]*tensor.Tensor{y}, []*tensor.Tensor{gy})
	})
	out["conv3x3_fwdbwd_gflops"] = 3 * flop / t / 1e9
}

func benchResGen(out map[string]any, o Options) {
	rng := rand.New(rand.NewPCG(3, 3))
	g := NewResGen(rng)
	out["resgen_params"] = nn.NumParams(g)
	opt := optim.NewAdam(nn.Parameters(g), optim.AdamConfig{LR: 2e-4, Beta1: 0.5, Beta2: 0.999, Eps: 1e-8})
	x := tensor.New(1, 3, 128, 128)
	y := tensor.New(1, 3, 128, 128)
	nn.InitUniform(x, -1, 1, rng)
	nn.InitUniform(y, -1, 1, rng)
	out["resgen_train_step_s"] = median(o, func() {
		opt.ZeroGrad()
		loss := tensor.L1Loss(g.Forward(x), y)
		loss.Backward()
		opt.Step()
	})
	out["resgen_forward_s"] = median(o, func() { tensor.NoGrad(func() { g.Forward(x) }) })
}
