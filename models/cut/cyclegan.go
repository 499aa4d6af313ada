package cut

import (
	"fmt"
	"math/rand/v2"

	"i2i/nn"
	"i2i/optim"
	"i2i/tensor"
)

// CycleGAN is the cycle_gan model of the CUT repository (spec §9): G_A
// (A→B), G_B (B→A), D_A (judges B), D_B (judges A), cycle and identity L1
// terms, LSGAN, and image pools of past fakes for the discriminators.
type CycleGAN struct {
	nn.Base
	Cfg          Config
	GA, GB       *Generator
	DA, DB       *Discriminator
	PoolA, PoolB *ImagePool
	OptG, OptD   *optim.Adam
}

// NewCycleGAN builds the four networks with init_net and two Adams.
func NewCycleGAN(c Config, rng *rand.Rand) (*CycleGAN, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m := &CycleGAN{Cfg: c, PoolA: NewImagePool(c.PoolSize), PoolB: NewImagePool(c.PoolSize)}
	m.GA = m.Child("G_A", NewGenerator(c.generator(), rng)).(*Generator)
	m.GB = m.Child("G_B", NewGenerator(c.generator(), rng)).(*Generator)
	for _, name := range []string{"D_A", "D_B"} {
		d, err := NewDiscriminator(c.discriminator(), rng)
		if err != nil {
			return nil, err
		}
		m.Child(name, d)
		if name == "D_A" {
			m.DA = d
		} else {
			m.DB = d
		}
	}
	if err := nn.InitNet(m, c.InitType, c.InitGain, rng); err != nil {
		return nil, err
	}
	nn.Train(m, true)
	cfg := optim.AdamConfig{LR: c.LR, Beta1: c.Beta1, Beta2: c.Beta2, Eps: 1e-8}
	m.OptG = optim.NewAdam(append(nn.Parameters(m.GA), nn.Parameters(m.GB)...), cfg)
	m.OptD = optim.NewAdam(append(nn.Parameters(m.DA), nn.Parameters(m.DB)...), cfg)
	return m, nil
}

// Optimizers names the optimisers for checkpoints and schedules.
func (m *CycleGAN) Optimizers() map[string]*optim.Adam {
	return map[string]*optim.Adam{"G": m.OptG, "D": m.OptD}
}

// Translate is G_A(x).
func (m *CycleGAN) Translate(x *tensor.Tensor, _ *rand.Rand) *tensor.Tensor { return m.GA.Forward(x) }

// Step runs optimize_parameters: the G step first (D frozen), then the D
// step on pooled fakes (the opposite order to CUT, spec C7). The missing
// opt.amp of the reference is taken as False (C12). Boxes are unused.
func (m *CycleGAN) Step(a, b, _, _ *tensor.Tensor, rng *rand.Rand) (map[string]float64, error) {
	c := m.Cfg
	fakeB := m.GA.Forward(a)
	recA := m.GB.Forward(fakeB)
	fakeA := m.GB.Forward(b)
	recB := m.GA.Forward(fakeA)

	nn.SetRequiresGrad(m.DA, false)
	nn.SetRequiresGrad(m.DB, false)
	m.OptG.ZeroGrad()
	out := map[string]float64{}
	var terms []*tensor.Tensor
	add := func(name string, l *tensor.Tensor, w float32) {
		l = tensor.MulScalar(l, w)
		out[name] = float64(l.Item())
		terms = append(terms, l)
	}
	if c.LambdaIdt > 0 {
		add("idt_A", tensor.L1Loss(m.GA.Forward(b), b), c.LambdaB*c.LambdaIdt)
		add("idt_B", tensor.L1Loss(m.GB.Forward(a), a), c.LambdaA*c.LambdaIdt)
	}
	add("G_A", nn.LSGANLoss(m.DA.Forward(fakeB), true), 1)
	add("G_B", nn.LSGANLoss(m.DB.Forward(fakeA), true), 1)
	add("cycle_A", tensor.L1Loss(recA, a), c.LambdaA)
	add("cycle_B", tensor.L1Loss(recB, b), c.LambdaB)
	g := tensor.AddN(terms...)
	out["G"] = float64(g.Item())
	if err := finiteLoss("G", out["G"]); err != nil {
		return out, err
	}
	g.Backward()
	m.OptG.Step()

	nn.SetRequiresGrad(m.DA, true)
	nn.SetRequiresGrad(m.DB, true)
	m.OptD.ZeroGrad()
	dLoss := func(d *Discriminator, real, fake *tensor.Tensor) *tensor.Tensor {
		return tensor.MulScalar(tensor.Add(nn.LSGANLoss(d.Forward(real), true), nn.LSGANLoss(d.Forward(fake), false)), 0.5)
	}
	dA := dLoss(m.DA, b, m.PoolB.Query(tensor.Detach(fakeB), rng))
	dB := dLoss(m.DB, a, m.PoolA.Query(tensor.Detach(fakeA), rng))
	out["D_A"], out["D_B"] = float64(dA.Item()), float64(dB.Item())
	if err := finiteLoss("D", out["D_A"]+out["D_B"]); err != nil {
		return out, err
	}
	tensor.BackwardWith([]*tensor.Tensor{dA, dB}, []*tensor.Tensor{tensor.Scalar(1), tensor.Scalar(1)})
	m.OptD.Step()
	return out, nil
}

// ImagePool is CycleGAN's history of generated images: until it holds Size
// images each query returns the new one and keeps a copy; after that, each
// image is, with probability ½, swapped for a random stored one.
type ImagePool struct {
	Size   int
	Images []*tensor.Tensor // [1, C, H, W] each
}

// NewImagePool makes a pool of the given size (0 disables it).
func NewImagePool(size int) *ImagePool { return &ImagePool{Size: size} }

// Query returns a batch of the same shape as x mixing x with the history.
func (p *ImagePool) Query(x *tensor.Tensor, rng *rand.Rand) *tensor.Tensor {
	if p.Size == 0 {
		return x
	}
	var out []*tensor.Tensor
	for i := 0; i < x.Dim(0); i++ {
		img := tensor.Slice(x, 0, i, i+1).Clone()
		switch {
		case len(p.Images) < p.Size:
			p.Images = append(p.Images, img)
			out = append(out, img)
		case rng.Float64() > 0.5:
			j := rng.IntN(p.Size)
			out = append(out, p.Images[j])
			p.Images[j] = img
		default:
			out = append(out, img)
		}
	}
	return tensor.Cat(0, out...)
}

// State returns the stored images by name ("<i>") for checkpoints.
func (p *ImagePool) State() map[string]*tensor.Tensor {
	st := map[string]*tensor.Tensor{}
	for i, img := range p.Images {
		st[fmt.Sprint(i)] = img
	}
	return st
}

// LoadState restores what State returned.
func (p *ImagePool) LoadState(st map[string]*tensor.Tensor) error {
	p.Images = p.Images[:0]
	for i := 0; i < len(st); i++ {
		img, ok := st[fmt.Sprint(i)]
		if !ok {
			return fmt.Errorf("image pool: entry %d missing", i)
		}
		p.Images = append(p.Images, img)
	}
	return nil
}
