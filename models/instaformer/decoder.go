package instaformer

import (
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// Decoder paints tokens back into an image (spec §7): the inverse patch
// embedding (ConvTranspose2d E→C, 8×8, stride 8), then two anti-aliased ×2
// upsamplings each followed by conv 3×3, IN and ReLU, then reflection pad 3,
// conv 7×7 to RGB and tanh.
type Decoder struct {
	nn.Base
	InvPatchEmbed     *nn.Sequential // keys inv_patch_embed.2.* (0, 1 reshape tokens)
	InvPatchEmbedBox  *nn.Sequential // keys inv_patch_embed_box.0.*
	Model             *nn.Sequential
	deconv, boxDeconv *nn.ConvTranspose2d
}

// NewDecoder builds the decoder from E-wide tokens to outputNC channels.
func NewDecoder(e, c, ngf, outputNC int, rng *rand.Rand) *Decoder {
	d := &Decoder{}
	deconv := func() *nn.ConvTranspose2d {
		return nn.NewConvTranspose2d(nn.ConvSpec{In: e, Out: c, Kernel: 8, Stride: 8}, rng)
	}
	d.deconv, d.boxDeconv = deconv(), deconv()
	d.InvPatchEmbed = d.Child("inv_patch_embed", nn.NewSequential(nn.Identity(), nn.Identity(), d.deconv)).(*nn.Sequential)
	d.InvPatchEmbedBox = d.Child("inv_patch_embed_box", nn.NewSequential(d.boxDeconv)).(*nn.Sequential)
	conv := func(in, out, k, p int) *nn.Conv2d {
		return nn.NewConv2d(nn.ConvSpec{In: in, Out: out, Kernel: k, Padding: p}, rng)
	}
	in := func(ch int) nn.Layer { return nn.NewInstanceNorm2d(ch, 1e-5, false) }
	d.Model = d.Child("model", nn.NewSequential(
		nn.NewUpsample(c), conv(c, c/2, 3, 1), in(c/2), nn.ReLU(),
		nn.NewUpsample(c/2), conv(c/2, ngf, 3, 1), in(ngf), nn.ReLU(),
		nn.Pad2d(3, tensor.PadReflect), conv(ngf, outputNC, 7, 0), nn.Tanh())).(*nn.Sequential)
	return d
}

// Forward decodes patch tokens [B, N, E] (N a square g²) into B×3×32g×32g.
func (d *Decoder) Forward(tokens *tensor.Tensor) *tensor.Tensor {
	b, n, e := tokens.Dim(0), tokens.Dim(1), tokens.Dim(2)
	g := isqrt(n)
	x := tensor.Reshape(tensor.Permute(tokens, 0, 2, 1), b, e, g, g)
	return d.Model.Forward(d.deconv.Forward(x))
}

// DecodeBoxes is the box path: each box token [B, nb, E] becomes its own
// 32×32 image, [B·nb, 3, 32, 32]. No loss of the reference uses it (Q8).
func (d *Decoder) DecodeBoxes(tokens *tensor.Tensor) *tensor.Tensor {
	b, nb, e := tokens.Dim(0), tokens.Dim(1), tokens.Dim(2)
	x := tensor.Reshape(tokens, b*nb, e, 1, 1)
	return d.Model.Forward(d.boxDeconv.Forward(x))
}

func isqrt(n int) int {
	g := 0
	for (g+1)*(g+1) <= n {
		g++
	}
	return g
}
