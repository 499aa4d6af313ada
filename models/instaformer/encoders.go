package instaformer

import (
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// encoderTrunk appends layers 0–11 shared by the content and style encoders
// (spec §3): reflection pad 3, conv 7×7, IN, ReLU, conv 3×3, IN, ReLU,
// Downsample, conv 3×3, IN, ReLU, Downsample.
func encoderTrunk(m *nn.Sequential, inputNC, ngf int, rng *rand.Rand) {
	conv := func(in, out, k, p int) *nn.Conv2d {
		return nn.NewConv2d(nn.ConvSpec{In: in, Out: out, Kernel: k, Padding: p}, rng)
	}
	in := func(c int) nn.Layer { return nn.NewInstanceNorm2d(c, 1e-5, false) }
	m.Append(nn.Pad2d(3, tensor.PadReflect))
	m.Append(conv(inputNC, ngf, 7, 0))
	m.Append(in(ngf))
	m.Append(nn.ReLU())
	m.Append(conv(ngf, 2*ngf, 3, 1))
	m.Append(in(2 * ngf))
	m.Append(nn.ReLU())
	m.Append(nn.NewDownsample(2 * ngf))
	m.Append(conv(2*ngf, 4*ngf, 3, 1))
	m.Append(in(4 * ngf))
	m.Append(nn.ReLU())
	m.Append(nn.NewDownsample(4 * ngf))
}

// ContentEncoder maps an image B×3×H×H to the content B×C×H/4×H/4.
type ContentEncoder struct {
	nn.Base
	Model *nn.Sequential
}

// NewContentEncoder builds it with PyTorch's default initialisation.
func NewContentEncoder(inputNC, ngf int, rng *rand.Rand) *ContentEncoder {
	e := &ContentEncoder{}
	m := nn.NewSequential()
	encoderTrunk(m, inputNC, ngf, rng)
	e.Model = e.Child("model", m).(*nn.Sequential)
	return e
}

// Forward returns the content and the outputs of the given layers (layer 0
// is the padded image, 4 and 8 the 3×3 convs before their norms).
func (e *ContentEncoder) Forward(x *tensor.Tensor, layers []int) (*tensor.Tensor, []*tensor.Tensor) {
	return e.Model.ForwardFeatures(x, layers, false)
}

// StyleEncoder maps an image to a style code B×S×1×1: the content trunk,
// a global average pool and a 1×1 conv.
type StyleEncoder struct {
	nn.Base
	Model *nn.Sequential
}

// NewStyleEncoder builds it with PyTorch's default initialisation.
func NewStyleEncoder(inputNC, ngf, styleDim int, rng *rand.Rand) *StyleEncoder {
	e := &StyleEncoder{}
	m := nn.NewSequential()
	encoderTrunk(m, inputNC, ngf, rng)
	m.Append(&nn.Func{F: func(x *tensor.Tensor) *tensor.Tensor { return tensor.AdaptiveAvgPool2d(x, 1, 1) }})
	m.Append(nn.NewConv2d(nn.ConvSpec{In: 4 * ngf, Out: styleDim, Kernel: 1}, rng))
	e.Model = e.Child("model", m).(*nn.Sequential)
	return e
}

// Forward returns the style code.
func (e *StyleEncoder) Forward(x *tensor.Tensor) *tensor.Tensor { return e.Model.Forward(x) }

// LinearBlock is Linear ("fc") followed by an optional ReLU.
type LinearBlock struct {
	nn.Base
	FC   *nn.Linear
	ReLU bool
}

// Forward applies the block.
func (l *LinearBlock) Forward(x *tensor.Tensor) *tensor.Tensor {
	y := l.FC.Forward(x)
	if l.ReLU {
		y = tensor.ReLU(y)
	}
	return y
}

// MappingMLP (MLP_Adain) maps a style code to the AdaIN parameters:
// S → dim (ReLU) → dim (ReLU) → out.
type MappingMLP struct {
	nn.Base
	Model *nn.Sequential
}

// NewMappingMLP builds the three-block MLP of spec §5.
func NewMappingMLP(in, dim, out int, rng *rand.Rand) *MappingMLP {
	block := func(i, o int, relu bool) *LinearBlock {
		b := &LinearBlock{ReLU: relu}
		b.FC = b.Child("fc", nn.NewLinear(i, o, true, rng)).(*nn.Linear)
		return b
	}
	m := &MappingMLP{}
	m.Model = m.Child("model", nn.NewSequential(block(in, dim, true), block(dim, dim, true), block(dim, out, false))).(*nn.Sequential)
	return m
}

// Forward flattens the code to B×S and returns B×out.
func (m *MappingMLP) Forward(z *tensor.Tensor) *tensor.Tensor {
	return m.Model.Forward(tensor.Reshape(z, z.Dim(0), -1))
}
