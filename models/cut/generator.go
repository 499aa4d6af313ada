package cut

import (
	"fmt"
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// GeneratorConfig are the options of ResnetGenerator (specs/cut.md §3).
type GeneratorConfig struct {
	InputNC, OutputNC, NGF, Blocks int
	// NoAntialias uses stride-2 convs to downsample; NoAntialiasUp uses
	// ConvTranspose2d to upsample (the classic CycleGAN layout).
	NoAntialias, NoAntialiasUp bool
}

// Generator is ResnetGenerator: a flat Sequential "model" whose indices are
// the PatchNCE layer ids (0 is the padded input, 4 and 8 the pre-norm conv
// outputs, 12… the residual blocks).
type Generator struct {
	nn.Base
	Model *nn.Sequential
}

// NewGenerator builds the generator with PyTorch's default initialisation;
// call nn.InitNet for the repository's init_net.
func NewGenerator(c GeneratorConfig, rng *rand.Rand) *Generator {
	g := &Generator{}
	m := nn.NewSequential()
	conv := func(in, out, k, s, p int) *nn.Conv2d {
		return nn.NewConv2d(nn.ConvSpec{In: in, Out: out, Kernel: k, Stride: s, Padding: p}, rng)
	}
	norm := func(c int) nn.Layer { return nn.NewInstanceNorm2d(c, 1e-5, false) }
	ngf := c.NGF
	m.Append(nn.Pad2d(3, tensor.PadReflect))
	m.Append(conv(c.InputNC, ngf, 7, 1, 0))
	m.Append(norm(ngf))
	m.Append(nn.ReLU())
	for i := 0; i < 2; i++ {
		mult := 1 << i
		if c.NoAntialias {
			m.Append(conv(ngf*mult, ngf*mult*2, 3, 2, 1))
			m.Append(norm(ngf * mult * 2))
			m.Append(nn.ReLU())
		} else {
			m.Append(conv(ngf*mult, ngf*mult*2, 3, 1, 1))
			m.Append(norm(ngf * mult * 2))
			m.Append(nn.ReLU())
			m.Append(nn.NewDownsample(ngf * mult * 2))
		}
	}
	for i := 0; i < c.Blocks; i++ {
		m.Append(NewResnetBlock(4*ngf, rng))
	}
	for i := 0; i < 2; i++ {
		mult := 1 << (2 - i)
		if c.NoAntialiasUp {
			m.Append(nn.NewConvTranspose2d(nn.ConvSpec{In: ngf * mult, Out: ngf * mult / 2, Kernel: 3, Stride: 2,
				Padding: 1, OutputPadding: 1}, rng))
		} else {
			m.Append(nn.NewUpsample(ngf * mult))
			m.Append(conv(ngf*mult, ngf*mult/2, 3, 1, 1))
		}
		m.Append(norm(ngf * mult / 2))
		m.Append(nn.ReLU())
	}
	m.Append(nn.Pad2d(3, tensor.PadReflect))
	m.Append(conv(ngf, c.OutputNC, 7, 1, 0))
	m.Append(nn.Tanh())
	g.Model = g.Child("model", m).(*nn.Sequential)
	return g
}

// Forward translates x [B, 3, H, W] (H, W multiples of 4).
func (g *Generator) Forward(x *tensor.Tensor) *tensor.Tensor { return g.Model.Forward(x) }

// Encode returns the features of the given layer indices, running the
// network only as far as the last of them (encode_only=True).
func (g *Generator) Encode(x *tensor.Tensor, layers []int) ([]*tensor.Tensor, error) {
	for _, l := range layers {
		if l < 0 || l >= len(g.Model.Layers) {
			return nil, fmt.Errorf("cut: NCE layer %d outside the generator's 0..%d", l, len(g.Model.Layers)-1)
		}
	}
	_, f := g.Model.ForwardFeatures(x, layers, true)
	return f, nil
}

// ResnetBlock is x + conv_block(x) with conv_block = [ReflectionPad 1, Conv
// 3×3, IN, ReLU, ReflectionPad 1, Conv 3×3, IN] (no ReLU after the sum).
type ResnetBlock struct {
	nn.Base
	ConvBlock *nn.Sequential
}

// NewResnetBlock builds a block of dim channels.
func NewResnetBlock(dim int, rng *rand.Rand) *ResnetBlock {
	conv := func() *nn.Conv2d { return nn.NewConv2d(nn.ConvSpec{In: dim, Out: dim, Kernel: 3}, rng) }
	b := &ResnetBlock{}
	b.ConvBlock = b.Child("conv_block", nn.NewSequential(
		nn.Pad2d(1, tensor.PadReflect), conv(), nn.NewInstanceNorm2d(dim, 1e-5, false), nn.ReLU(),
		nn.Pad2d(1, tensor.PadReflect), conv(), nn.NewInstanceNorm2d(dim, 1e-5, false))).(*nn.Sequential)
	return b
}

// Forward returns x + conv_block(x).
func (b *ResnetBlock) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(x, b.ConvBlock.Forward(x))
}
