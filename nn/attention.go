package nn

import (
	"math"
	"math/rand/v2"

	"i2i/tensor"
)

// Attention is multi-head self-attention in the ViT layout used by
// InstaFormer (networks/vit.py): one Linear "to_qkv" whose output is split
// into q | k | v, heads as contiguous dim_head slices, softmax(q·kᵀ·scale)
// over keys, and "to_out.0" mapping the concatenated heads back.
type Attention struct {
	Base
	Heads, DimHead int
	ToQKV          *Linear
	ToOut          *Sequential
}

// NewAttention builds the layer; qkvBias adds a bias to to_qkv.
func NewAttention(dim, heads, dimHead int, qkvBias bool, rng *rand.Rand) *Attention {
	a := &Attention{Heads: heads, DimHead: dimHead}
	inner := heads * dimHead
	a.ToQKV = a.Child("to_qkv", NewLinear(dim, 3*inner, qkvBias, rng)).(*Linear)
	a.ToOut = a.Child("to_out", NewSequential(NewLinear(inner, dim, true, rng), Identity())).(*Sequential)
	return a
}

// Forward attends over the tokens of x [B, T, dim].
func (a *Attention) Forward(x *tensor.Tensor) *tensor.Tensor { return a.ForwardMasked(x, nil) }

// ForwardMasked attends with an additive bias on the logits of each key,
// keyBias [B, 1, 1, T] (0 to keep a key, a large negative value to hide
// it); nil means no mask.
func (a *Attention) ForwardMasked(x, keyBias *tensor.Tensor) *tensor.Tensor {
	b, t := x.Dim(0), x.Dim(1)
	qkv := tensor.Chunk(a.ToQKV.Forward(x), 3, -1)
	heads := func(z *tensor.Tensor) *tensor.Tensor { // b n (h d) -> b h n d
		return tensor.Permute(tensor.Reshape(z, b, t, a.Heads, a.DimHead), 0, 2, 1, 3)
	}
	q, k, v := heads(qkv[0]), heads(qkv[1]), heads(qkv[2])
	scale := float32(math.Pow(float64(a.DimHead), -0.5))
	dots := tensor.MulScalar(tensor.MatMul(q, tensor.Transpose(k, -1, -2)), scale)
	if keyBias != nil {
		dots = tensor.Add(dots, keyBias)
	}
	out := tensor.MatMul(tensor.Softmax(dots, -1), v)
	out = tensor.Reshape(tensor.Permute(out, 0, 2, 1, 3), b, t, a.Heads*a.DimHead)
	return a.ToOut.Forward(out)
}

// FeedForward is the transformer MLP: Linear, GELU, Dropout(0), Linear,
// Dropout(0), registered as "net.0" … "net.4".
type FeedForward struct {
	Base
	Net *Sequential
}

// NewFeedForward builds a dim → hidden → dim MLP.
func NewFeedForward(dim, hidden int, rng *rand.Rand) *FeedForward {
	f := &FeedForward{}
	f.Net = f.Child("net", NewSequential(NewLinear(dim, hidden, true, rng), GELU(), Identity(),
		NewLinear(hidden, dim, true, rng), Identity())).(*Sequential)
	return f
}

// Forward applies the MLP to the last axis.
func (f *FeedForward) Forward(x *tensor.Tensor) *tensor.Tensor { return f.Net.Forward(x) }

// PreNorm applies a LayerNorm ("norm") before a layer ("fn").
type PreNorm struct {
	Base
	Norm *LayerNorm
	Fn   Layer
}

// NewPreNorm wraps fn with a LayerNorm of dim features.
func NewPreNorm(dim int, eps float64, fn Layer) *PreNorm {
	p := &PreNorm{}
	p.Norm = p.Child("norm", NewLayerNorm(dim, eps)).(*LayerNorm)
	p.Fn = p.Child("fn", fn).(Layer)
	return p
}

// Forward returns fn(norm(x)).
func (p *PreNorm) Forward(x *tensor.Tensor) *tensor.Tensor { return p.Fn.Forward(p.Norm.Forward(x)) }
