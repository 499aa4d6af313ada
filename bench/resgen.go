package bench

import (
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// resBlock is x + IN(Conv3×3(ReLU(IN(Conv3×3(x))))).
type resBlock struct {
	nn.Base
	block *nn.Sequential
}

func newResBlock(c int, rng *rand.Rand) *resBlock {
	r := &resBlock{}
	conv := func() nn.Layer { return nn.NewConv2d(nn.ConvSpec{In: c, Out: c, Kernel: 3, Padding: 1}, rng) }
	r.block = r.Child("block", nn.NewSequential(conv(), nn.NewInstanceNorm2d(c, 1e-5, false), nn.ReLU(),
		conv(), nn.NewInstanceNorm2d(c, 1e-5, false))).(*nn.Sequential)
	return r
}

func (r *resBlock) Forward(x *tensor.Tensor) *tensor.Tensor { return tensor.Add(x, r.block.Forward(x)) }

// NewResGen builds the benchmark generator of ../shared/bench/README.md
// (6,132,739 parameters).
func NewResGen(rng *rand.Rand) *nn.Sequential {
	conv := func(in, out, k, s, p int) nn.Layer {
		return nn.NewConv2d(nn.ConvSpec{In: in, Out: out, Kernel: k, Stride: s, Padding: p}, rng)
	}
	in := func(c int) nn.Layer { return nn.NewInstanceNorm2d(c, 1e-5, false) }
	g := nn.NewSequential(
		nn.Pad2d(3, tensor.PadReflect), conv(3, 64, 7, 1, 0), in(64), nn.ReLU(),
		conv(64, 128, 3, 2, 1), in(128), nn.ReLU(),
		conv(128, 256, 3, 2, 1), in(256), nn.ReLU())
	for i := 0; i < 4; i++ {
		g.Append(newResBlock(256, rng))
	}
	for _, l := range []nn.Layer{
		nn.UpsampleNearest(2), conv(256, 128, 5, 1, 2), in(128), nn.ReLU(),
		nn.UpsampleNearest(2), conv(128, 64, 5, 1, 2), in(64), nn.ReLU(),
		nn.Pad2d(3, tensor.PadReflect), conv(64, 3, 7, 1, 0), nn.Tanh(),
	} {
		g.Append(l)
	}
	return g
}
