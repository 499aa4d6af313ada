package instaformer

import (
	"fmt"
	"math"
	"math/rand/v2"

	"i2i/models/cut"
	"i2i/nn"
	"i2i/optim"
	"i2i/tensor"
)

// Draws are the random choices of one training step. Nil fields are drawn
// from the step's random source; tests set them to replay the reference's.
type Draws struct {
	Z       *tensor.Tensor // style code of the I2I path [B, S, 1, 1]
	NCEIDs  [][]int        // patch ids per NCE layer
	InstIDs []int          // positions of the instance NCE (a permutation of 0..63)
}

// Losses are the scalar terms of one step; G terms are weighted.
type Losses struct {
	DFake, DReal, D                    float64
	GAN, Recon, Style, NCE, InstNCE, G float64
}

// Map returns the losses by their metric names.
func (l Losses) Map() map[string]float64 {
	return map[string]float64{"D_fake": l.DFake, "D_real": l.DReal, "D": l.D, "G_GAN": l.GAN,
		"recon": l.Recon, "style": l.Style, "NCE": l.NCE, "instNCE": l.InstNCE, "G": l.G}
}

// Trainer runs train.py's iteration (spec §11) with its three optimisers.
type Trainer struct {
	M                *Model
	OptG, OptD, OptF *optim.Adam
}

// NewTrainer puts the model in training mode and creates Adam for G and D
// (betas 0.5, 0.999) and for the heads (0.9, 0.999; Q10), constant LR.
func NewTrainer(m *Model) *Trainer {
	nn.Train(m, true)
	c := m.Cfg
	params := func(ms []nn.Module) []*tensor.Tensor {
		var ps []*tensor.Tensor
		for _, x := range ms {
			ps = append(ps, nn.Parameters(x)...)
		}
		return ps
	}
	return &Trainer{M: m,
		OptG: optim.NewAdam(params(m.Generator()), optim.AdamConfig{LR: c.LR, Beta1: c.Beta1, Beta2: c.Beta2, Eps: 1e-8}),
		OptD: optim.NewAdam(nn.Parameters(m.D), optim.AdamConfig{LR: c.LR, Beta1: c.Beta1, Beta2: c.Beta2, Eps: 1e-8}),
		OptF: optim.NewAdam(params(m.Heads()), optim.AdamConfig{LR: c.LR, Beta1: c.HeadBeta1, Beta2: c.HeadBeta2, Eps: 1e-8}),
	}
}

// Forward holds the tensors of the I2I and RECON passes.
type Forward struct {
	A, B, ABox, BBox *tensor.Tensor
	Fake, Recon      *tensor.Tensor
	FeatsA           []*tensor.Tensor // content-encoder features of A (NCE keys)
	RealROI          *tensor.Tensor   // box features of content(A), or nil
	StyleB           *tensor.Tensor   // StyleEncoder(B), not detached (Q13)
}

// Forward runs the I2I pass (A with a random style and A's boxes) and the
// RECON pass (B with its own style and boxes). Boxes may be nil.
func (t *Trainer) Forward(a, b, aBox, bBox *tensor.Tensor, dr *Draws, rng *rand.Rand) *Forward {
	m := t.M
	f := &Forward{A: a, B: b, ABox: aBox, BBox: bBox}
	contentA, feats := m.Content.Forward(a, m.Cfg.NCELayers)
	f.FeatsA = feats
	z := dr.Z
	if z == nil {
		z = m.RandomStyle(a.Dim(0), rng)
	}
	m.Agg.Transformer.AssignAdaIN(m.MLP.Forward(z))
	if aBox != nil {
		f.RealROI = BoxFeatures(contentA, aBox)
	}
	tokens, _ := m.Agg.Forward(contentA, aBox) // the unused box decoding is skipped (Q8)
	f.Fake = m.Dec.Forward(tokens)

	contentB, _ := m.Content.Forward(b, nil)
	f.StyleB = m.Style.Forward(b)
	m.Agg.Transformer.AssignAdaIN(m.MLP.Forward(f.StyleB))
	tokensB, _ := m.Agg.Forward(contentB, bBox)
	f.Recon = m.Dec.Forward(tokensB)
	return f
}

// DLoss is 0.5·(mean(D(fake.detach())²) + mean((D(B) − 1)²)).
func (t *Trainer) DLoss(f *Forward) (total, fake, real *tensor.Tensor) {
	fake = nn.LSGANLoss(t.M.D.Forward(tensor.Detach(f.Fake)), false)
	real = nn.LSGANLoss(t.M.D.Forward(f.B), true)
	return tensor.MulScalar(tensor.Add(fake, real), 0.5), fake, real
}

// GLoss is compute_G_loss (spec §10) with D frozen: the weighted GAN,
// reconstruction, style, global PatchNCE and instance NCE terms and their
// sum. Terms with weight 0 are skipped; the instance term also needs boxes
// and at least one valid box.
func (t *Trainer) GLoss(f *Forward, dr *Draws, rng *rand.Rand) (*tensor.Tensor, map[string]*tensor.Tensor) {
	m, c := t.M, t.M.Cfg
	terms := map[string]*tensor.Tensor{}
	var sum []*tensor.Tensor
	add := func(name string, w float32, l *tensor.Tensor) {
		l = tensor.MulScalar(l, w)
		terms[name] = l
		sum = append(sum, l)
	}
	if c.WGAN != 0 {
		add("G_GAN", c.WGAN, nn.LSGANLoss(m.D.Forward(f.Fake), true))
	}
	if c.WRecon != 0 {
		add("recon", c.WRecon, tensor.L1Loss(f.Recon, f.B))
	}
	if c.WStyle != 0 {
		add("style", c.WStyle, tensor.L1Loss(m.Style.Forward(f.Recon), f.StyleB))
	}
	var contentFake *tensor.Tensor
	var featsFake []*tensor.Tensor
	if c.WNCE != 0 || (c.WInstNCE != 0 && f.ABox != nil) {
		contentFake, featsFake = m.Content.Forward(f.Fake, c.NCELayers)
	}
	nce := cut.NCEConfig{NumPatches: c.NumPatches, T: c.NCET}
	if c.WNCE != 0 {
		l, ids := cut.MultilayerNCE(featsFake, f.FeatsA, m.Head, nce, 1, dr.NCEIDs, rng)
		dr.NCEIDs = ids
		add("NCE", c.WNCE, l)
	}
	if c.WInstNCE != 0 && f.ABox != nil {
		var valid []int
		for i := 0; i < f.ABox.Dim(0)*f.ABox.Dim(1); i++ {
			if f.ABox.Data[i*5] != -1 {
				valid = append(valid, i)
			}
		}
		if len(valid) > 0 {
			fakeROI := tensor.IndexSelect(BoxFeatures(contentFake, f.ABox), 0, valid)
			realROI := tensor.IndexSelect(f.RealROI, 0, valid)
			var ids [][]int
			if dr.InstIDs != nil {
				ids = [][]int{dr.InstIDs}
			}
			l, used := cut.MultilayerNCE([]*tensor.Tensor{fakeROI}, []*tensor.Tensor{realROI}, m.InstHead,
				cut.NCEConfig{NumPatches: 64, T: c.NCET}, 1, ids, rng)
			dr.InstIDs = used[0]
			add("instNCE", c.WInstNCE, l)
		} else {
			terms["instNCE"] = tensor.Scalar(0) // no valid box: a constant 0 (Q14)
		}
	}
	return tensor.AddN(sum...), terms
}

// Step runs one full iteration: forwards, the D update, then the G and F
// update against the freshly updated D (Q11). A NaN or Inf loss stops before
// any optimiser step that it would poison and is reported as an error.
func (t *Trainer) Step(a, b, aBox, bBox *tensor.Tensor, rng *rand.Rand) (Losses, *Forward, error) {
	var l Losses
	dr := &Draws{}
	f := t.Forward(a, b, aBox, bBox, dr, rng)

	nn.SetRequiresGrad(t.M.D, true)
	t.OptD.ZeroGrad()
	dTotal, dFake, dReal := t.DLoss(f)
	l.DFake, l.DReal, l.D = float64(dFake.Item()), float64(dReal.Item()), float64(dTotal.Item())
	if err := finite("D", l.D); err != nil {
		return l, f, err
	}
	dTotal.Backward()
	t.OptD.Step()

	nn.SetRequiresGrad(t.M.D, false)
	t.OptG.ZeroGrad()
	t.OptF.ZeroGrad()
	gTotal, terms := t.GLoss(f, dr, rng)
	l.G = float64(gTotal.Item())
	for name, v := range terms {
		x := float64(v.Item())
		switch name {
		case "G_GAN":
			l.GAN = x
		case "recon":
			l.Recon = x
		case "style":
			l.Style = x
		case "NCE":
			l.NCE = x
		case "instNCE":
			l.InstNCE = x
		}
	}
	if err := finite("G", l.G); err != nil {
		return l, f, err
	}
	gTotal.Backward()
	t.OptG.Step()
	t.OptF.Step()
	nn.SetRequiresGrad(t.M.D, true)
	return l, f, nil
}

func finite(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("instaformer: loss %s is %v", name, v)
	}
	return nil
}
