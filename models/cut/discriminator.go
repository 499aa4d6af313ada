package cut

import (
	"fmt"
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// DiscriminatorConfig are the options of NLayerDiscriminator (specs/cut.md
// §4, specs/instaformer.md §8).
type DiscriminatorConfig struct {
	InputNC, NDF, Layers int
	// Norm is "instance" (CUT; convs then carry biases) or "batch"
	// (InstaFormer; the middle convs have no bias).
	Norm        string
	NoAntialias bool
}

// Discriminator is the PatchGAN NLayerDiscriminator: 4×4 convs with zero
// padding 1, LeakyReLU 0.2, anti-aliased Downsample after every hidden conv
// but the last, one logit per patch.
type Discriminator struct {
	nn.Base
	Model *nn.Sequential
}

// NewDiscriminator builds the PatchGAN with PyTorch's default initialisation.
func NewDiscriminator(c DiscriminatorConfig, rng *rand.Rand) (*Discriminator, error) {
	var norm func(int) nn.Layer
	switch c.Norm {
	case "instance", "":
		norm = func(ch int) nn.Layer { return nn.NewInstanceNorm2d(ch, 1e-5, false) }
	case "batch":
		norm = func(ch int) nn.Layer { return nn.NewBatchNorm2d(ch) }
	default:
		return nil, fmt.Errorf("cut: discriminator norm %q (instance or batch)", c.Norm)
	}
	useBias := c.Norm != "batch"
	conv := func(in, out, s int, bias bool) *nn.Conv2d {
		return nn.NewConv2d(nn.ConvSpec{In: in, Out: out, Kernel: 4, Stride: s, Padding: 1, NoBias: !bias}, rng)
	}
	m := nn.NewSequential()
	stride := 1
	if c.NoAntialias {
		stride = 2
	}
	m.Append(conv(c.InputNC, c.NDF, stride, true))
	m.Append(nn.LeakyReLU(0.2))
	if !c.NoAntialias {
		m.Append(nn.NewDownsample(c.NDF))
	}
	mult := 1
	for n := 1; n < c.Layers; n++ {
		prev := mult
		mult = min(1<<n, 8)
		m.Append(conv(c.NDF*prev, c.NDF*mult, stride, useBias))
		m.Append(norm(c.NDF * mult))
		m.Append(nn.LeakyReLU(0.2))
		if !c.NoAntialias {
			m.Append(nn.NewDownsample(c.NDF * mult))
		}
	}
	prev := mult
	mult = min(1<<c.Layers, 8)
	m.Append(conv(c.NDF*prev, c.NDF*mult, 1, useBias))
	m.Append(norm(c.NDF * mult))
	m.Append(nn.LeakyReLU(0.2))
	m.Append(conv(c.NDF*mult, 1, 1, true))
	d := &Discriminator{}
	d.Model = d.Child("model", m).(*nn.Sequential)
	return d, nil
}

// Forward returns the patch logits [B, 1, h, w].
func (d *Discriminator) Forward(x *tensor.Tensor) *tensor.Tensor { return d.Model.Forward(x) }
