package nn

import (
	"i2i/tensor"
)

// InstanceNorm2d is torch.nn.InstanceNorm2d without running statistics:
// each (sample, channel) plane is normalised; with Affine a per-channel
// weight and bias follow.
type InstanceNorm2d struct {
	Base
	Eps          float64
	Weight, Bias *tensor.Tensor
}

// NewInstanceNorm2d builds an InstanceNorm2d (weight 1, bias 0 when affine).
func NewInstanceNorm2d(c int, eps float64, affine bool) *InstanceNorm2d {
	n := &InstanceNorm2d{Eps: eps}
	if affine {
		n.Weight = n.Param("weight", tensor.Full(1, c))
		n.Bias = n.Param("bias", tensor.New(c))
	}
	return n
}

// Forward normalises x [N, C, H, W].
func (n *InstanceNorm2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	y := tensor.InstanceNorm2d(x, n.Eps)
	if n.Weight != nil {
		c := x.Dim(1)
		y = tensor.Add(tensor.Mul(y, tensor.Reshape(n.Weight, c, 1, 1)), tensor.Reshape(n.Bias, c, 1, 1))
	}
	return y
}

// CanFuseReLU reports whether ForwardReLU is fused: without affine
// parameters.
func (n *InstanceNorm2d) CanFuseReLU() bool { return n.Weight == nil }

// ForwardReLU returns ReLU(Forward(x)) in one pass.
func (n *InstanceNorm2d) ForwardReLU(x *tensor.Tensor) *tensor.Tensor {
	return tensor.InstanceNorm2dReLU(x, n.Eps)
}

// BatchNorm2d is torch.nn.BatchNorm2d: batch statistics in training mode
// (updating the running mean and the running unbiased variance with
// momentum), running statistics in eval mode.
type BatchNorm2d struct {
	Base
	Eps, Momentum                       float64
	Weight, Bias                        *tensor.Tensor
	RunningMean, RunningVar, NumBatches *tensor.Tensor
}

// NewBatchNorm2d builds an affine BatchNorm2d with PyTorch's defaults.
func NewBatchNorm2d(c int) *BatchNorm2d {
	b := &BatchNorm2d{Eps: 1e-5, Momentum: 0.1}
	b.Weight = b.Param("weight", tensor.Full(1, c))
	b.Bias = b.Param("bias", tensor.New(c))
	b.RunningMean = b.Buffer("running_mean", tensor.New(c))
	b.RunningVar = b.Buffer("running_var", tensor.Full(1, c))
	b.NumBatches = b.Buffer("num_batches_tracked", tensor.Scalar(0))
	return b
}

// Forward normalises x [N, C, H, W].
func (b *BatchNorm2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	c := x.Dim(1)
	var y *tensor.Tensor
	if b.Training() {
		var st tensor.GroupStats
		y, st = tensor.BatchNorm2dTrain(x, b.Eps)
		m := b.Momentum
		for i := 0; i < c; i++ {
			unbiased := st.Var[i] * float64(st.N) / float64(max(st.N-1, 1))
			b.RunningMean.Data[i] = float32((1-m)*float64(b.RunningMean.Data[i]) + m*st.Mean[i])
			b.RunningVar.Data[i] = float32((1-m)*float64(b.RunningVar.Data[i]) + m*unbiased)
		}
		b.NumBatches.Data[0]++
	} else {
		scale := tensor.New(c, 1, 1)
		shift := tensor.New(c, 1, 1)
		for i := 0; i < c; i++ {
			inv := 1 / sqrt64(float64(b.RunningVar.Data[i])+b.Eps)
			scale.Data[i] = float32(inv)
			shift.Data[i] = float32(-float64(b.RunningMean.Data[i]) * inv)
		}
		y = tensor.Add(tensor.Mul(x, scale), shift)
	}
	return tensor.Add(tensor.Mul(y, tensor.Reshape(b.Weight, c, 1, 1)), tensor.Reshape(b.Bias, c, 1, 1))
}

// LayerNorm is torch.nn.LayerNorm over the last axis with per-feature
// weight and bias.
type LayerNorm struct {
	Base
	Eps          float64
	Weight, Bias *tensor.Tensor
}

// NewLayerNorm builds a LayerNorm of d features (weight 1, bias 0).
func NewLayerNorm(d int, eps float64) *LayerNorm {
	l := &LayerNorm{Eps: eps}
	l.Weight = l.Param("weight", tensor.Full(1, d))
	l.Bias = l.Param("bias", tensor.New(d))
	return l
}

// Forward normalises the last axis of x.
func (l *LayerNorm) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.LayerNorm(x, l.Weight, l.Bias, l.Eps)
}

// LayerNormMUNIT is MUNIT's LayerNorm (specs/munit.md): per sample over
// C·H·W with the unbiased std and eps added to it, then per-channel gamma and
// beta (state_dict keys "gamma", "beta").
type LayerNormMUNIT struct {
	Base
	Eps         float64
	Gamma, Beta *tensor.Tensor
}

// NewLayerNormMUNIT builds it with gamma 1 and beta 0 (the reference draws
// gamma from U(0, 1); a model package does that with its own seeded source).
func NewLayerNormMUNIT(c int, eps float64) *LayerNormMUNIT {
	l := &LayerNormMUNIT{Eps: eps}
	l.Gamma = l.Param("gamma", tensor.Full(1, c))
	l.Beta = l.Param("beta", tensor.New(c))
	return l
}

// Forward normalises x [N, C, H, W].
func (l *LayerNormMUNIT) Forward(x *tensor.Tensor) *tensor.Tensor {
	c := x.Dim(1)
	y := tensor.LayerNormMUNIT(x, l.Eps)
	return tensor.Add(tensor.Mul(y, tensor.Reshape(l.Gamma, c, 1, 1)), tensor.Reshape(l.Beta, c, 1, 1))
}

// LayerNormCHW is the DRIT++/MGUIT LayerNorm (specs/drit.md):
// F.layer_norm over (C, H, W) with the biased variance and eps 1e-5 inside
// the square root (the constructor's eps is ignored by the reference), then
// weight and bias of shape [C, 1, 1].
type LayerNormCHW struct {
	Base
	Weight, Bias *tensor.Tensor
}

// NewLayerNormCHW builds it with weight 1 and bias 0.
func NewLayerNormCHW(c int) *LayerNormCHW {
	l := &LayerNormCHW{}
	l.Weight = l.Param("weight", tensor.Full(1, c, 1, 1))
	l.Bias = l.Param("bias", tensor.New(c, 1, 1))
	return l
}

// Forward normalises x [N, C, H, W].
func (l *LayerNormCHW) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(tensor.Mul(tensor.LayerNormSample(x, 1e-5), l.Weight), l.Bias)
}

// AdaIN applies adaptive instance normalisation: each (sample, channel)
// plane of x [N, C, H, W] is normalised (biased variance, eps inside) and
// scaled and shifted by weight and bias of shape [N, C] (or [N·C]), as
// MUNIT's AdaptiveInstanceNorm2d does through batch_norm on x.view(1, N·C, H, W).
func AdaIN(x, weight, bias *tensor.Tensor, eps float64) *tensor.Tensor {
	n, c := x.Dim(0), x.Dim(1)
	y := tensor.InstanceNorm2d(x, eps)
	return tensor.Add(tensor.Mul(y, tensor.Reshape(weight, n, c, 1, 1)), tensor.Reshape(bias, n, c, 1, 1))
}

// AdaINTokens is InstaFormer's AdaIN over tokens: x [B, T, D] is normalised
// per (sample, feature) over the T tokens and scaled/shifted by weight and
// bias [B, D].
func AdaINTokens(x, weight, bias *tensor.Tensor, eps float64) *tensor.Tensor {
	b, d := x.Dim(0), x.Dim(2)
	y := tensor.TokenInstanceNorm(x, eps)
	return tensor.Add(tensor.Mul(y, tensor.Reshape(weight, b, 1, d)), tensor.Reshape(bias, b, 1, d))
}

// AdaINTokensMasked is AdaINTokens with the statistics of each (sample,
// feature) taken over the tokens whose mask [B, T, 1] is 1 only; masked
// tokens are normalised with the same statistics.
func AdaINTokensMasked(x, mask, weight, bias *tensor.Tensor, eps float64) *tensor.Tensor {
	b, d := x.Dim(0), x.Dim(2)
	count := tensor.SumAxes(mask, true, 1) // [B, 1, 1]
	mean := tensor.Div(tensor.SumAxes(tensor.Mul(x, mask), true, 1), count)
	xc := tensor.Sub(x, mean)
	v := tensor.Div(tensor.SumAxes(tensor.Mul(tensor.Square(xc), mask), true, 1), count)
	y := tensor.Div(xc, tensor.Sqrt(tensor.AddScalar(v, float32(eps))))
	return tensor.Add(tensor.Mul(y, tensor.Reshape(weight, b, 1, d)), tensor.Reshape(bias, b, 1, d))
}
