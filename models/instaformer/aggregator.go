package instaformer

import (
	"fmt"
	"math"
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// PatchEmbed is the "stem" patch embedding (spec §6.1): three stride-2 3×3
// convs and a 1×1 conv with nothing between them, so the map is linear and
// always downsamples by 8 (Q6). Its output is flattened to tokens B×N×E.
type PatchEmbed struct {
	nn.Base
	Proj *nn.Sequential
}

// NewPatchEmbed builds the stem from C to E channels.
func NewPatchEmbed(c, e int, rng *rand.Rand) *PatchEmbed {
	c1 := c * (e / c) / 2
	conv := func(in, out, k, s, p int) *nn.Conv2d {
		return nn.NewConv2d(nn.ConvSpec{In: in, Out: out, Kernel: k, Stride: s, Padding: p}, rng)
	}
	p := &PatchEmbed{}
	p.Proj = p.Child("proj", nn.NewSequential(conv(c, c1, 3, 2, 1), conv(c1, c1, 3, 2, 1), conv(c1, e, 3, 2, 1),
		conv(e, e, 1, 1, 0))).(*nn.Sequential)
	return p
}

// Forward maps x [B, C, s, s] to tokens [B, (s/8)², E] in row-major order.
func (p *PatchEmbed) Forward(x *tensor.Tensor) *tensor.Tensor {
	y := p.Proj.Forward(x)
	b, e := y.Dim(0), y.Dim(1)
	return tensor.Permute(tensor.Reshape(y, b, e, -1), 0, 2, 1)
}

// PositionalEncoding holds the sinusoid table pe [L, 1, d] (a state_dict
// buffer): pe[p, 2i] = sin(p·exp(−2i·ln 10000/d)), pe[p, 2i+1] = cos(…).
type PositionalEncoding struct {
	nn.Base
	PE *tensor.Tensor
}

// NewPositionalEncoding computes the table in float32, as the reference does.
func NewPositionalEncoding(d, maxLen int) *PositionalEncoding {
	pe := tensor.New(maxLen, 1, d)
	for i := 0; i < d; i += 2 {
		div := float32(math.Exp(float64(float32(i) * float32(-math.Log(10000)/float64(d)))))
		for p := 0; p < maxLen; p++ {
			a := float32(p) * div
			pe.Data[p*d+i] = float32(math.Sin(float64(a)))
			if i+1 < d {
				pe.Data[p*d+i+1] = float32(math.Cos(float64(a)))
			}
		}
	}
	e := &PositionalEncoding{}
	e.PE = e.Buffer("pe", pe)
	return e
}

// row returns PE[p], a d-vector.
func (e *PositionalEncoding) row(p int) []float32 {
	d := e.PE.Dim(2)
	return e.PE.Data[p*d : (p+1)*d]
}

// adainNorm is blocks.AdaptiveInstanceNorm2d used on tokens: each (sample,
// channel) is normalised over the tokens (eps 1e-6) and scaled by weights
// assigned from the mapping MLP before the forward pass (spec §6.4, Q3).
// running_mean/var are dummy buffers kept for loading (Q22).
type adainNorm struct {
	nn.Base
	weight, bias *tensor.Tensor // [B, E], assigned per forward
}

func newAdaINNorm(e int) *adainNorm {
	n := &adainNorm{}
	n.Buffer("running_mean", tensor.New(e))
	n.Buffer("running_var", tensor.Full(1, e))
	return n
}

// preAdaIN applies fn(AdaIN(x)) (keys "norm" and "fn").
type preAdaIN struct {
	nn.Base
	norm *adainNorm
	fn   nn.Layer
}

func newPreAdaIN(e int, fn nn.Layer) *preAdaIN {
	p := &preAdaIN{}
	p.norm = p.Child("norm", newAdaINNorm(e)).(*adainNorm)
	p.fn = p.Child("fn", fn).(nn.Layer)
	return p
}

func (p *preAdaIN) Forward(x *tensor.Tensor) *tensor.Tensor { return p.forward(x, nil, nil) }

// forward optionally restricts the AdaIN statistics and the attended keys
// to the tokens of mask [B, T, 1] (keyBias is the same mask as logit bias).
func (p *preAdaIN) forward(x, mask, keyBias *tensor.Tensor) *tensor.Tensor {
	if mask == nil {
		return p.fn.Forward(nn.AdaINTokens(x, p.norm.weight, p.norm.bias, 1e-6))
	}
	y := nn.AdaINTokensMasked(x, mask, p.norm.weight, p.norm.bias, 1e-6)
	if a, ok := p.fn.(*nn.Attention); ok {
		return a.ForwardMasked(y, keyBias)
	}
	return p.fn.Forward(y)
}

// Transformer is the AdaIN transformer: depth blocks of
// x = Attn(AdaIN(x)) + x; x = FF(AdaIN(x)) + x, no final norm.
type Transformer struct {
	nn.Base
	Layers *nn.List
	blocks [][2]*preAdaIN
	embed  int
}

// NewTransformer builds depth blocks of width e.
func NewTransformer(e, depth, heads, dimHead, ffDim int, rng *rand.Rand) *Transformer {
	t := &Transformer{embed: e}
	t.Layers = t.Child("layers", &nn.List{}).(*nn.List)
	for i := 0; i < depth; i++ {
		attn := newPreAdaIN(e, nn.NewAttention(e, heads, dimHead, true, rng))
		ff := newPreAdaIN(e, nn.NewFeedForward(e, ffDim, rng))
		pair := &nn.List{}
		pair.Append(attn)
		pair.Append(ff)
		t.Layers.Append(pair)
		t.blocks = append(t.blocks, [2]*preAdaIN{attn, ff})
	}
	return t
}

// AssignAdaIN is utils.assign_adain_params: each AdaIN layer in order
// (block 0 attention, block 0 FF, block 1 …) takes bias = p[:, :E] and
// weight = p[:, E:2E], and p advances by 2E only while more columns remain,
// so the official 2E-wide output gives every layer the same pair (Q1, Q2).
func (t *Transformer) AssignAdaIN(p *tensor.Tensor) {
	e := t.embed
	off := 0
	for _, blk := range t.blocks {
		for _, l := range blk {
			l.norm.bias = tensor.Slice(p, 1, off, off+e)
			l.norm.weight = tensor.Slice(p, 1, off+e, off+2*e)
			if p.Dim(1) > off+2*e {
				off += 2 * e
			}
		}
	}
}

// Forward runs the blocks over tokens x [B, T, E].
func (t *Transformer) Forward(x *tensor.Tensor) *tensor.Tensor { return t.ForwardMasked(x, nil) }

// ForwardMasked runs the blocks with the tokens whose mask [B, T, 1] is 0
// left out of the AdaIN statistics and of the attended keys (nil: none).
func (t *Transformer) ForwardMasked(x, mask *tensor.Tensor) *tensor.Tensor {
	var keyBias *tensor.Tensor
	if mask != nil {
		b, n := mask.Dim(0), mask.Dim(1)
		keyBias = tensor.New(b, 1, 1, n)
		for i, v := range mask.Data {
			if v == 0 {
				keyBias.Data[i] = -1e9
			}
		}
	}
	for _, blk := range t.blocks {
		x = tensor.Add(blk[0].forward(x, mask, keyBias), x)
		x = tensor.Add(blk[1].forward(x, mask, keyBias), x)
	}
	return x
}

// Aggregator is Transformer_Aggregator (spec §6): patch tokens of the
// content, optional instance tokens from box RoIs, positional codes, the
// AdaIN transformer.
type Aggregator struct {
	nn.Base
	PatchEmbed, BoxEmbed   *PatchEmbed
	PosX, PosY, PosH, PosW *PositionalEncoding
	Transformer            *Transformer
	side, embed            int
	// MaskPadding leaves padding boxes out of attention and of the AdaIN
	// statistics (the intent; the code attends to them, Q4).
	MaskPadding bool
}

// NewAggregator builds the aggregator for a content map C×side×side.
func NewAggregator(c, side, e, depth, heads, ffDim int, rng *rand.Rand) *Aggregator {
	a := &Aggregator{side: side, embed: e}
	a.PatchEmbed = a.Child("patch_embed", NewPatchEmbed(c, e, rng)).(*PatchEmbed)
	a.BoxEmbed = a.Child("box_embed", NewPatchEmbed(c, e, rng)).(*PatchEmbed)
	d := e / 4
	a.PosX = a.Child("pos_embed_x", NewPositionalEncoding(d, side)).(*PositionalEncoding)
	a.PosY = a.Child("pos_embed_y", NewPositionalEncoding(d, side)).(*PositionalEncoding)
	a.PosH = a.Child("pos_embed_h", NewPositionalEncoding(d, side)).(*PositionalEncoding)
	a.PosW = a.Child("pos_embed_w", NewPositionalEncoding(d, side)).(*PositionalEncoding)
	a.Transformer = a.Child("transformer", NewTransformer(e, depth, heads, c, ffDim, rng)).(*Transformer)
	return a
}

// PatchCode is the patch tokens' positional code [1, N, E] (spec §6.2):
// token (r, c) gets concat(½(PE[8r+3]+PE[8r+4]), ½(PE[8c+3]+PE[8c+4]),
// PE[7], PE[7]) — the bilinear resize of the per-pixel code, whose last half
// is the constant patch extent (Q5).
func (a *Aggregator) PatchCode() *tensor.Tensor {
	g := a.side / 8
	d := a.embed / 4
	out := tensor.New(1, g*g, a.embed)
	avg := func(pe *PositionalEncoding, i int, dst []float32) {
		x, y := pe.row(8*i+3), pe.row(8*i+4)
		for k := range dst {
			dst[k] = 0.5*x[k] + 0.5*y[k]
		}
	}
	for r := 0; r < g; r++ {
		for c := 0; c < g; c++ {
			tok := out.Data[(r*g+c)*a.embed:]
			avg(a.PosX, r, tok[:d])
			avg(a.PosY, c, tok[d:2*d])
			copy(tok[2*d:3*d], a.PosW.row(7))
			copy(tok[3*d:4*d], a.PosH.row(7))
		}
	}
	return out
}

// BoxCode is the instance tokens' positional code [B, nb, E] (spec §6.3):
// concat(PE[yc], PE[xc], PE[h], PE[w]) with the box centre and size in
// content cells, truncated toward zero with the (L−1) scale (Q5).
func (a *Aggregator) BoxCode(box *tensor.Tensor) *tensor.Tensor {
	b, nb := box.Dim(0), box.Dim(1)
	d := a.embed / 4
	l := float32(a.side - 1)
	out := tensor.New(b, nb, a.embed)
	for i := 0; i < b*nb; i++ {
		r := box.Data[i*5 : i*5+5]
		x1, y1, x2, y2 := r[1], r[2], r[3], r[4]
		xc, yc := int((x1+x2)/2*l), int((y1+y2)/2*l)
		w, h := int((x2-x1)*l), int((y2-y1)*l)
		tok := out.Data[i*a.embed:]
		copy(tok[:d], a.PosX.row(yc))
		copy(tok[d:2*d], a.PosY.row(xc))
		copy(tok[2*d:3*d], a.PosH.row(h))
		copy(tok[3*d:4*d], a.PosW.row(w))
	}
	return out
}

// BoxFeatures is extract_box_feature: RoIAlign 8×8 (aligned=False,
// spatial scale 1, adaptive sampling) of x [B, C, s, s] inside the boxes
// [B, nb, 5] (normalised corners scaled by s), rows of padding boxes
// (class −1) zeroed. The result is [B·nb, C, 8, 8], sample-major.
func BoxFeatures(x, box *tensor.Tensor) *tensor.Tensor {
	b, nb := box.Dim(0), box.Dim(1)
	h, w := float32(x.Dim(2)), float32(x.Dim(3))
	rois := tensor.New(b*nb, 5)
	mask := tensor.New(b*nb, 1, 1, 1)
	for i := 0; i < b*nb; i++ {
		r := box.Data[i*5 : i*5+5]
		copy(rois.Data[i*5:], []float32{float32(i / nb), r[1] * w, r[2] * h, r[3] * w, r[4] * h})
		if r[0] != -1 {
			mask.Data[i] = 1
		}
	}
	roi := tensor.RoIAlign(x, rois, tensor.RoIAlignOpts{OutH: 8, OutW: 8, SpatialScale: 1, SamplingRatio: -1})
	return tensor.Mul(roi, mask)
}

// CheckBoxes rejects box tensors the reference would index wrongly: a
// coordinate outside [0, 1] (Q16) or a shape other than [B, nb, 5].
func CheckBoxes(box *tensor.Tensor) error {
	if box.Dims() != 3 || box.Dim(2) != 5 {
		return fmt.Errorf("instaformer: boxes must be [B, nb, 5], got %v", box.Shape())
	}
	for i := 0; i < box.Numel(); i += 5 {
		for _, v := range box.Data[i+1 : i+5] {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("instaformer: box %d has coordinate %v outside [0, 1]", i/5, v)
			}
		}
	}
	return nil
}

// Forward embeds the content x [B, C, s, s] (and, when box is non-nil, the
// boxes [B, nb, 5] as extra tokens, padding rows included, Q4) and runs the
// transformer; AssignAdaIN must have been called. It returns the patch
// tokens [B, N, E] and the box tokens [B, nb, E] (nil without boxes).
func (a *Aggregator) Forward(x, box *tensor.Tensor) (*tensor.Tensor, *tensor.Tensor) {
	t := tensor.Add(a.PatchEmbed.Forward(x), a.PatchCode())
	n := t.Dim(1)
	if box != nil {
		b, nb := box.Dim(0), box.Dim(1)
		roi := BoxFeatures(x, box)
		tok := tensor.Reshape(a.BoxEmbed.Forward(roi), b, nb, a.embed)
		tok = tensor.Add(tok, a.BoxCode(box))
		t = tensor.Cat(1, t, tok)
	}
	var mask *tensor.Tensor
	if box != nil && a.MaskPadding {
		b, nb := box.Dim(0), box.Dim(1)
		mask = tensor.Full(1, b, n+nb, 1)
		for i := 0; i < b; i++ {
			for j := 0; j < nb; j++ {
				if box.Data[(i*nb+j)*5] == -1 {
					mask.Data[i*(n+nb)+n+j] = 0
				}
			}
		}
	}
	t = a.Transformer.ForwardMasked(t, mask)
	if box == nil {
		return t, nil
	}
	return tensor.Slice(t, 1, 0, n), tensor.Slice(t, 1, n, t.Dim(1))
}
