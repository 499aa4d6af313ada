package optim

import "fmt"

// Schedule gives the learning-rate multiplier for an epoch (0-based).
type Schedule interface {
	Factor(epoch int) float64
}

// Constant keeps the initial learning rate.
type Constant struct{}

// Factor is always 1.
func (Constant) Factor(int) float64 { return 1 }

// Linear keeps the rate for NEpochs epochs and then decays it linearly to
// zero over NDecay more, as CUT/CycleGAN's "linear" policy:
// 1 − max(0, epoch + EpochCount − NEpochs)/(NDecay + 1).
type Linear struct {
	NEpochs, NDecay, EpochCount int
}

// Factor returns the multiplier for epoch.
func (l Linear) Factor(epoch int) float64 {
	return 1 - float64(max(0, epoch+l.EpochCount-l.NEpochs))/float64(l.NDecay+1)
}

// Step multiplies the rate by Gamma every StepSize epochs (or iterations,
// as MUNIT counts them), as torch.optim.lr_scheduler.StepLR.
type Step struct {
	StepSize int
	Gamma    float64
}

// Factor returns Gamma^(epoch / StepSize).
func (s Step) Factor(epoch int) float64 {
	f := 1.0
	for i := 0; i < epoch/s.StepSize; i++ {
		f *= s.Gamma
	}
	return f
}

// NewSchedule builds a schedule by name: "constant", "linear" (n epochs at
// the full rate, then nDecay decaying) or "step" (step size n, gamma).
func NewSchedule(name string, n, nDecay int, gamma float64) (Schedule, error) {
	switch name {
	case "constant", "":
		return Constant{}, nil
	case "linear":
		if n < 0 || nDecay < 0 {
			return nil, fmt.Errorf("linear schedule needs non-negative epochs, got %d and %d", n, nDecay)
		}
		return Linear{NEpochs: n, NDecay: nDecay}, nil
	case "step":
		if n <= 0 {
			return nil, fmt.Errorf("step schedule needs a positive step size, got %d", n)
		}
		return Step{StepSize: n, Gamma: gamma}, nil
	}
	return nil, fmt.Errorf("unknown learning-rate schedule %q (want constant, linear or step)", name)
}
