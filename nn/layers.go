package nn

import (
	"math/rand/v2"

	"i2i/tensor"
)

// Conv2d is torch.nn.Conv2d: weight [Cout, Cin/groups, K, K] and optional
// bias [Cout]. A padding mode other than zeros pads first and then
// convolves without padding, as PyTorch does.
type Conv2d struct {
	Base
	Weight, Bias *tensor.Tensor
	Opts         tensor.ConvOpts
	PadMode      tensor.PadMode
}

// ConvSpec are the hyperparameters of a Conv2d or ConvTranspose2d.
type ConvSpec struct {
	In, Out, Kernel  int
	Stride, Padding  int
	Dilation, Groups int
	OutputPadding    int
	NoBias           bool
	PadMode          tensor.PadMode
}

func (s ConvSpec) opts() tensor.ConvOpts {
	o := tensor.ConvOpts{Stride: [2]int{s.Stride, s.Stride}, Padding: [2]int{s.Padding, s.Padding},
		Dilation: [2]int{s.Dilation, s.Dilation}, Groups: s.Groups,
		OutputPadding: [2]int{s.OutputPadding, s.OutputPadding}}
	return o
}

// NewConv2d builds a Conv2d with PyTorch's default initialisation from rng.
func NewConv2d(s ConvSpec, rng *rand.Rand) *Conv2d {
	g := max(s.Groups, 1)
	c := &Conv2d{Opts: s.opts(), PadMode: s.PadMode}
	c.Weight = c.Param("weight", tensor.New(s.Out, s.In/g, s.Kernel, s.Kernel))
	if !s.NoBias {
		c.Bias = c.Param("bias", tensor.New(s.Out))
	}
	InitDefault(c.Weight, c.Bias, rng)
	return c
}

// Forward convolves x [N, Cin, H, W].
func (c *Conv2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	o := c.Opts
	if c.PadMode != tensor.PadConstant && o.Padding != [2]int{} {
		x = tensor.Pad(x, o.Padding[1], o.Padding[1], o.Padding[0], o.Padding[0], c.PadMode, 0)
		o.Padding = [2]int{}
	}
	return tensor.Conv2d(x, c.Weight, c.Bias, o)
}

// ConvTranspose2d is torch.nn.ConvTranspose2d: weight [Cin, Cout/groups, K, K].
type ConvTranspose2d struct {
	Base
	Weight, Bias *tensor.Tensor
	Opts         tensor.ConvOpts
}

// NewConvTranspose2d builds a ConvTranspose2d with PyTorch's default
// initialisation (fan_in computed from weight dim 1, as PyTorch does).
func NewConvTranspose2d(s ConvSpec, rng *rand.Rand) *ConvTranspose2d {
	g := max(s.Groups, 1)
	c := &ConvTranspose2d{Opts: s.opts()}
	c.Weight = c.Param("weight", tensor.New(s.In, s.Out/g, s.Kernel, s.Kernel))
	if !s.NoBias {
		c.Bias = c.Param("bias", tensor.New(s.Out))
	}
	InitDefault(c.Weight, c.Bias, rng)
	return c
}

// Forward applies the transposed convolution.
func (c *ConvTranspose2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.ConvTranspose2d(x, c.Weight, c.Bias, c.Opts)
}

// Linear is torch.nn.Linear: y = x·Wᵀ + b with W [out, in].
type Linear struct {
	Base
	Weight, Bias *tensor.Tensor
}

// NewLinear builds a Linear layer with PyTorch's default initialisation.
func NewLinear(in, out int, bias bool, rng *rand.Rand) *Linear {
	l := &Linear{}
	l.Weight = l.Param("weight", tensor.New(out, in))
	if bias {
		l.Bias = l.Param("bias", tensor.New(out))
	}
	InitDefault(l.Weight, l.Bias, rng)
	return l
}

// Forward applies the affine map to the last axis of x.
func (l *Linear) Forward(x *tensor.Tensor) *tensor.Tensor { return tensor.Linear(x, l.Weight, l.Bias) }
