package train

import (
	"strings"

	"i2i/nn"
	"i2i/tensor"
)

// An exponential moving average of the generator's weights (Config.EMA),
// used for samples, translation and evaluation when enabled. It is not part
// of any reference method; it only smooths the oscillation of GAN training
// and leaves the losses and the optimised weights untouched.

// generatorPrefixes names the state_dict prefixes of a model's generator.
type generatorPrefixes interface {
	GeneratorPrefixes() []string
}

// ema holds averaged copies of the generator's parameters.
type ema struct {
	decay  float64
	names  []string
	params []*tensor.Tensor
	avg    [][]float32
}

// newEMA starts the average at the current weights.
func newEMA(m Model, decay float64) *ema {
	e := &ema{decay: decay}
	var prefixes []string
	if g, ok := m.(generatorPrefixes); ok {
		prefixes = g.GeneratorPrefixes()
	}
	for _, n := range nn.Walk(m) {
		if n.Buffer {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(n.Name, p) {
				e.names = append(e.names, n.Name)
				e.params = append(e.params, n.T)
				e.avg = append(e.avg, append([]float32(nil), n.T.Data...))
				break
			}
		}
	}
	return e
}

// update folds the weights after step into the average, with the usual
// warm-up min(decay, (1+step)/(10+step)) so early weights fade fast.
func (e *ema) update(step int) {
	d := float32(min(e.decay, float64(1+step)/float64(10+step)))
	for i, p := range e.params {
		a := e.avg[i]
		for j, v := range p.Data {
			a[j] = d*a[j] + (1-d)*v
		}
	}
}

// state returns the averages by "ema.<name>" for checkpoints.
func (e *ema) state() map[string]*tensor.Tensor {
	st := map[string]*tensor.Tensor{}
	for i, n := range e.names {
		st["ema."+n] = tensor.FromSlice(e.avg[i], e.params[i].Shape()...)
	}
	return st
}

// load restores the averages from a checkpoint; a checkpoint without them
// (EMA switched on later) starts them at the current weights.
func (e *ema) load(ck *Checkpoint) {
	st := ck.section("ema.")
	for i, n := range e.names {
		if t, ok := st[n]; ok && t.Numel() == len(e.avg[i]) {
			copy(e.avg[i], t.Data)
		}
	}
}

// swap exchanges the live weights and the averages (call twice to undo).
func (e *ema) swap() {
	for i, p := range e.params {
		for j := range p.Data {
			p.Data[j], e.avg[i][j] = e.avg[i][j], p.Data[j]
		}
	}
}
