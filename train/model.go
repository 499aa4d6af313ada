package train

import (
	"math/rand/v2"

	"i2i/models/cut"
	"i2i/models/instaformer"
	"i2i/nn"
	"i2i/optim"
	"i2i/tensor"
)

// Model is what the loop drives: a module tree to checkpoint, named
// optimisers, one training iteration and a translation.
type Model interface {
	nn.Module
	// Step runs one iteration on A and B images ([B, 3, S, S] in [−1, 1])
	// and their boxes ([B, nb, 5], or nil) and returns every loss term.
	Step(a, b, aBox, bBox *tensor.Tensor, rng *rand.Rand) (map[string]float64, error)
	Optimizers() map[string]*optim.Adam
	// Translate maps A images to B, with a random style from rng where the
	// model is multimodal.
	Translate(x *tensor.Tensor, rng *rand.Rand) *tensor.Tensor
}

// Multimodal models also translate with the style of a reference image.
type Multimodal interface {
	TranslateLike(x, ref *tensor.Tensor) *tensor.Tensor
}

// extraState is implemented by models with state beyond parameters and
// buffers (CycleGAN's image pools).
type extraState interface {
	ExtraState() map[string]*tensor.Tensor
	LoadExtraState(map[string]*tensor.Tensor) error
}

// NumBoxes is the box slots a model wants per image (0: no boxes).
func (c Config) NumBoxes() int {
	if c.Model == "instaformer" {
		return c.InstaFormer.NumBox
	}
	return 0
}

// NewModel builds the model of c with weights drawn from rng.
func NewModel(c Config, rng *rand.Rand) (Model, error) {
	switch c.Model {
	case "instaformer":
		m, err := instaformer.New(*c.InstaFormer, rng)
		if err != nil {
			return nil, err
		}
		return &instaModel{Model: m, tr: instaformer.NewTrainer(m)}, nil
	case "cyclegan":
		m, err := cut.NewCycleGAN(*c.CUT, rng)
		if err != nil {
			return nil, err
		}
		return &cycleModel{m}, nil
	default:
		m, err := cut.New(*c.CUT, rng)
		if err != nil {
			return nil, err
		}
		return &cutModel{m}, nil
	}
}

// instaModel adapts InstaFormer's trainer to Model.
type instaModel struct {
	*instaformer.Model
	tr *instaformer.Trainer
}

// Step runs one InstaFormer iteration (spec §11).
func (m *instaModel) Step(a, b, aBox, bBox *tensor.Tensor, rng *rand.Rand) (map[string]float64, error) {
	l, _, err := m.tr.Step(a, b, aBox, bBox, rng)
	return l.Map(), err
}

// GeneratorPrefixes names the modules of optimizer_G.
func (m *instaModel) GeneratorPrefixes() []string {
	return []string{"ContentEncoder.", "StyleEncoder.", "Transformer.", "MLP_Adain.", "Decoder."}
}

// Optimizers are optimizer_G, optimizer_D and optimizer_F.
func (m *instaModel) Optimizers() map[string]*optim.Adam {
	return map[string]*optim.Adam{"G": m.tr.OptG, "D": m.tr.OptD, "F": m.tr.OptF}
}

// Translate is the test-time path: a random style, no boxes (spec §12).
func (m *instaModel) Translate(x *tensor.Tensor, rng *rand.Rand) *tensor.Tensor {
	fake, _, _ := m.Model.Translate(x, m.RandomStyle(x.Dim(0), rng), nil)
	return fake
}

// cycleModel keeps CycleGAN's image pools in checkpoints.
type cycleModel struct{ *cut.CycleGAN }

// GeneratorPrefixes names both generators.
func (m *cycleModel) GeneratorPrefixes() []string { return []string{"G_A.", "G_B."} }

// cutModel names CUT's generator for the weight average.
type cutModel struct{ *cut.Model }

// GeneratorPrefixes names the generator.
func (m *cutModel) GeneratorPrefixes() []string { return []string{"G."} }

// ExtraState holds the image pools by "pool_A.<i>" and "pool_B.<i>".
func (m *cycleModel) ExtraState() map[string]*tensor.Tensor {
	st := map[string]*tensor.Tensor{}
	for k, v := range m.PoolA.State() {
		st["pool_A."+k] = v
	}
	for k, v := range m.PoolB.State() {
		st["pool_B."+k] = v
	}
	return st
}

// LoadExtraState restores the image pools.
func (m *cycleModel) LoadExtraState(st map[string]*tensor.Tensor) error {
	a, b := map[string]*tensor.Tensor{}, map[string]*tensor.Tensor{}
	for k, v := range st {
		if len(k) > 7 && k[:7] == "pool_A." {
			a[k[7:]] = v
		} else if len(k) > 7 && k[:7] == "pool_B." {
			b[k[7:]] = v
		}
	}
	if err := m.PoolA.LoadState(a); err != nil {
		return err
	}
	return m.PoolB.LoadState(b)
}

// BoxTranslator models can use instance boxes ([B, nb, 5], normalised) at
// test time; InstaFormer's reference uses none by default (spec §12).
type BoxTranslator interface {
	TranslateBoxes(x, box *tensor.Tensor, rng *rand.Rand) *tensor.Tensor
}

// TranslateBoxes translates with box tokens, as in training.
func (m *instaModel) TranslateBoxes(x, box *tensor.Tensor, rng *rand.Rand) *tensor.Tensor {
	fake, _, _ := m.Model.Translate(x, m.RandomStyle(x.Dim(0), rng), box)
	return fake
}
