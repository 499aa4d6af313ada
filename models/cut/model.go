package cut

import (
	"fmt"
	"math"
	"math/rand/v2"

	"i2i/nn"
	"i2i/optim"
	"i2i/tensor"
)

// Model is CUT or FastCUT: generator G, PatchGAN D and patch sampler F,
// named as the checkpoint files <epoch>_net_{G,D,F}.pth (unprefixed keys
// inside each; here "G.", "D.", "F.").
type Model struct {
	nn.Base
	Cfg  Config
	G    *Generator
	D    *Discriminator
	F    *PatchSampleF
	OptG *optim.Adam
	OptD *optim.Adam
	OptF *optim.Adam
}

// New builds CUT/FastCUT with init_net(init_type, init_gain) on G, D and F
// and Adam(lr, β1, β2) for each (F too, unlike InstaFormer).
func New(c Config, rng *rand.Rand) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Cfg: c}
	m.G = m.Child("G", NewGenerator(c.generator(), rng)).(*Generator)
	d, err := NewDiscriminator(c.discriminator(), rng)
	if err != nil {
		return nil, err
	}
	m.D = m.Child("D", d).(*Discriminator)
	if err := nn.InitNet(m.G, c.InitType, c.InitGain, rng); err != nil {
		return nil, err
	}
	nn.InitNet(m.D, c.InitType, c.InitGain, rng)
	ch, err := m.featChannels()
	if err != nil {
		return nil, err
	}
	m.F = m.Child("F", NewPatchSampleF(c.NetFNC)).(*PatchSampleF)
	m.F.Create(ch, rng)
	nn.Train(m, true)
	adam := func(ms nn.Module) *optim.Adam {
		return optim.NewAdam(nn.Parameters(ms), optim.AdamConfig{LR: c.LR, Beta1: c.Beta1, Beta2: c.Beta2, Eps: 1e-8})
	}
	m.OptG, m.OptD, m.OptF = adam(m.G), adam(m.D), adam(m.F)
	return m, nil
}

// featChannels probes G with a small image to learn the channels of the
// NCE layers (the reference learns them in its first forward, spec C6).
func (m *Model) featChannels() ([]int, error) {
	var ch []int
	var err error
	tensor.NoGrad(func() {
		var f []*tensor.Tensor
		f, err = m.G.Encode(tensor.New(1, 3, 16, 16), m.Cfg.NCELayers)
		for _, x := range f {
			ch = append(ch, x.Dim(1))
		}
	})
	return ch, err
}

// Optimizers names the optimisers for checkpoints and schedules.
func (m *Model) Optimizers() map[string]*optim.Adam {
	return map[string]*optim.Adam{"G": m.OptG, "D": m.OptD, "F": m.OptF}
}

// Translate is G(x); the style source is unused (CUT is unimodal).
func (m *Model) Translate(x *tensor.Tensor, _ *rand.Rand) *tensor.Tensor { return m.G.Forward(x) }

// flipW mirrors x [B, C, H, W] along W.
func flipW(x *tensor.Tensor) *tensor.Tensor {
	w := x.Dim(3)
	idx := make([]int, w)
	for i := range idx {
		idx[i] = w - 1 - i
	}
	return tensor.IndexSelect(x, 3, idx)
}

// NCELoss is calculate_NCE_loss(src, tgt): query features of tgt (flipped
// back when the batch was flipped for equivariance), key features of src,
// λ_NCE-weighted multilayer PatchNCE.
func (m *Model) NCELoss(src, tgt *tensor.Tensor, flipped bool, ids [][]int, rng *rand.Rand) (*tensor.Tensor, error) {
	q, err := m.G.Encode(tgt, m.Cfg.NCELayers)
	if err != nil {
		return nil, err
	}
	if flipped {
		for i := range q {
			q[i] = flipW(q[i])
		}
	}
	k, _ := m.G.Encode(src, m.Cfg.NCELayers)
	c := NCEConfig{NumPatches: m.Cfg.NumPatches, T: m.Cfg.NCET, AllNegatives: m.Cfg.AllNegatives}
	l, _ := MultilayerNCE(q, k, m.F, c, m.Cfg.LambdaNCE, ids, rng)
	return l, nil
}

// Step is optimize_parameters(): forward (A and, with identity NCE, B
// through G together; FastCUT flips the batch with probability ½), the D
// update, then the G and F update against the updated D (spec §7, C7).
// Boxes are unused.
func (m *Model) Step(a, b, _, _ *tensor.Tensor, rng *rand.Rand) (map[string]float64, error) {
	n := a.Dim(0)
	real := a
	if m.Cfg.NCEIdt {
		real = tensor.Cat(0, a, b)
	}
	flipped := m.Cfg.FlipEquivariance && rng.Float64() < 0.5
	if flipped {
		real = flipW(real)
	}
	fake := m.G.Forward(real)
	fakeB := tensor.Slice(fake, 0, 0, n)

	nn.SetRequiresGrad(m.D, true)
	m.OptD.ZeroGrad()
	dFake := nn.LSGANLoss(m.D.Forward(tensor.Detach(fakeB)), false)
	dReal := nn.LSGANLoss(m.D.Forward(b), true)
	dLoss := tensor.MulScalar(tensor.Add(dFake, dReal), 0.5)
	out := map[string]float64{"D_fake": float64(dFake.Item()), "D_real": float64(dReal.Item()), "D": float64(dLoss.Item())}
	if err := finiteLoss("D", out["D"]); err != nil {
		return out, err
	}
	dLoss.Backward()
	m.OptD.Step()

	nn.SetRequiresGrad(m.D, false)
	defer nn.SetRequiresGrad(m.D, true)
	m.OptG.ZeroGrad()
	m.OptF.ZeroGrad()
	gan := tensor.MulScalar(nn.LSGANLoss(m.D.Forward(fakeB), true), m.Cfg.LambdaGAN)
	nce, err := m.NCELoss(a, fakeB, flipped, nil, rng)
	if err != nil {
		return out, err
	}
	out["G_GAN"], out["NCE"] = float64(gan.Item()), float64(nce.Item())
	both := nce
	if m.Cfg.NCEIdt {
		idtB := tensor.Slice(fake, 0, n, 2*n)
		nceY, _ := m.NCELoss(b, idtB, flipped, nil, rng)
		out["NCE_Y"] = float64(nceY.Item())
		both = tensor.MulScalar(tensor.Add(nce, nceY), 0.5)
	}
	g := tensor.Add(gan, both)
	out["G"] = float64(g.Item())
	if err := finiteLoss("G", out["G"]); err != nil {
		return out, err
	}
	g.Backward()
	m.OptG.Step()
	m.OptF.Step()
	return out, nil
}

func finiteLoss(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("loss %s is %v", name, v)
	}
	return nil
}
