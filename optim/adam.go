package optim

import (
	"fmt"
	"math"

	"i2i/kernel"

	"i2i/tensor"
)

// AdamConfig holds Adam's hyperparameters.
type AdamConfig struct {
	LR           float64
	Beta1, Beta2 float64
	Eps          float64
	WeightDecay  float64
	// Decoupled selects AdamW: the decay multiplies the parameter by
	// (1 − lr·wd) instead of being added to the gradient.
	Decoupled bool
}

// DefaultAdam returns PyTorch's defaults with the given learning rate.
func DefaultAdam(lr float64) AdamConfig {
	return AdamConfig{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Adam keeps the first and second moment estimates of a parameter list.
type Adam struct {
	AdamConfig
	Params []*tensor.Tensor
	// ExpAvg and ExpAvgSq are the moment estimates, one per parameter.
	ExpAvg, ExpAvgSq [][]float32
	// Steps counts the updates taken.
	Steps int
}

// NewAdam creates an optimiser over params.
func NewAdam(params []*tensor.Tensor, cfg AdamConfig) *Adam {
	a := &Adam{AdamConfig: cfg, Params: params}
	for _, p := range params {
		a.ExpAvg = append(a.ExpAvg, make([]float32, p.Numel()))
		a.ExpAvgSq = append(a.ExpAvgSq, make([]float32, p.Numel()))
	}
	return a
}

// ZeroGrad drops the gradients of all parameters.
func (a *Adam) ZeroGrad() {
	for _, p := range a.Params {
		p.ZeroGrad()
	}
}

// Step applies one update to every parameter that has a gradient, in the
// order of torch.optim.Adam's single-tensor path (float32 arithmetic):
//
//	g += wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²
//	p −= lr/(1−β1ᵗ) · m / (sqrt(v)/sqrt(1−β2ᵗ) + eps)
func (a *Adam) Step() {
	a.Steps++
	t := float64(a.Steps)
	decay := float32(1 - a.LR*a.WeightDecay)
	k := kernel.AdamConsts{Beta1: float32(a.Beta1), C1: float32(1 - a.Beta1),
		Beta2: float32(a.Beta2), C2: float32(1 - a.Beta2),
		BC2Sqrt: float32(math.Sqrt(1 - math.Pow(a.Beta2, t))), Eps: float32(a.Eps),
		StepSize: float32(a.LR / (1 - math.Pow(a.Beta1, t)))}
	if !a.Decoupled {
		k.WeightDecay = float32(a.WeightDecay)
	}
	for i, p := range a.Params {
		if p.Grad == nil {
			continue
		}
		m, v, grad, data := a.ExpAvg[i], a.ExpAvgSq[i], p.Grad, p.Data
		// Large tensors are updated in parallel chunks; every element's
		// arithmetic is the same as the serial loop's.
		kernel.ParallelFor(len(grad), 1<<16, func(lo, hi int) {
			d := data[lo:hi]
			if a.Decoupled {
				for j := range d {
					d[j] *= decay
				}
			}
			kernel.AdamStep(d, grad[lo:hi], m[lo:hi], v[lo:hi], &k)
		})
	}
}

// SetLR changes the learning rate (used by schedules).
func (a *Adam) SetLR(lr float64) { a.LR = lr }

// State returns the optimiser state as named tensors ("exp_avg.<i>",
// "exp_avg_sq.<i>", "step") for checkpoints.
func (a *Adam) State() map[string]*tensor.Tensor {
	st := map[string]*tensor.Tensor{"step": tensor.Scalar(float32(a.Steps))}
	for i := range a.Params {
		st[fmt.Sprintf("exp_avg.%d", i)] = tensor.FromSlice(a.ExpAvg[i], len(a.ExpAvg[i]))
		st[fmt.Sprintf("exp_avg_sq.%d", i)] = tensor.FromSlice(a.ExpAvgSq[i], len(a.ExpAvgSq[i]))
	}
	return st
}

// LoadState restores what State returned.
func (a *Adam) LoadState(st map[string]*tensor.Tensor) error {
	s, ok := st["step"]
	if !ok {
		return fmt.Errorf("adam state: no step")
	}
	for i := range a.Params {
		for _, kind := range []string{"exp_avg", "exp_avg_sq"} {
			name := fmt.Sprintf("%s.%d", kind, i)
			t, ok := st[name]
			if !ok || t.Numel() != a.Params[i].Numel() {
				return fmt.Errorf("adam state: %s missing or of the wrong size", name)
			}
			dst := a.ExpAvg[i]
			if kind == "exp_avg_sq" {
				dst = a.ExpAvgSq[i]
			}
			copy(dst, t.Data)
		}
	}
	a.Steps = int(s.Item())
	return nil
}
