package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"i2i/tensor"
)

func testRNG() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func TestStateDictNamesFollowPyTorch(t *testing.T) {
	rng := testRNG()
	s := NewSequential(
		Pad2d(1, tensor.PadReflect),
		NewConv2d(ConvSpec{In: 3, Out: 4, Kernel: 3}, rng),
		NewBatchNorm2d(4),
		ReLU(),
	)
	pre := NewPreNorm(8, 1e-6, NewAttention(8, 2, 4, false, rng))
	m := &struct{ Base }{}
	m.Child("body", s)
	m.Child("attn", pre)
	var names []string
	for _, n := range Walk(m) {
		names = append(names, n.Name)
	}
	want := []string{"body.1.weight", "body.1.bias", "body.2.weight", "body.2.bias",
		"body.2.running_mean", "body.2.running_var", "body.2.num_batches_tracked",
		"attn.norm.weight", "attn.norm.bias", "attn.fn.to_qkv.weight", "attn.fn.to_out.0.weight", "attn.fn.to_out.0.bias"}
	if !slices.Equal(names, want) {
		t.Fatalf("names\n got %v\nwant %v", names, want)
	}
	if n := len(Parameters(m)); n != len(want)-3 {
		t.Fatalf("%d parameters, want %d (buffers excluded)", n, len(want)-3)
	}
}

func TestLoadStateDict(t *testing.T) {
	l := NewLinear(3, 2, true, testRNG())
	src := map[string]*tensor.Tensor{
		"weight": tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3),
		"bias":   tensor.FromSlice([]float32{7, 8}, 2),
	}
	if err := LoadStateDict(l, src, true); err != nil {
		t.Fatal(err)
	}
	if l.Weight.Data[5] != 6 || l.Bias.Data[1] != 8 {
		t.Fatal("values not copied")
	}
	src["extra"] = tensor.Scalar(1)
	delete(src, "bias")
	err := LoadStateDict(l, src, true)
	if err == nil || !strings.Contains(err.Error(), "missing bias") || !strings.Contains(err.Error(), "unexpected extra") {
		t.Fatalf("strict load error: %v", err)
	}
	if err := LoadStateDict(l, src, false); err != nil {
		t.Fatalf("non-strict load: %v", err)
	}
	src["weight"] = tensor.New(3, 2)
	if err := LoadStateDict(l, src, false); err == nil || !strings.Contains(err.Error(), "weight") {
		t.Fatalf("shape mismatch not reported: %v", err)
	}
}

func TestTrainModeAndBatchNorm(t *testing.T) {
	bn := NewBatchNorm2d(2)
	s := NewSequential(bn)
	Train(s, true)
	if !bn.Training() {
		t.Fatal("Train did not reach the child")
	}
	x := tensor.FromSlice([]float32{1, 3, 10, 20, 5, 7, 30, 40}, 2, 2, 2, 1)
	s.Forward(x)
	// Channel 0 holds 1,3,5,7: mean 4, unbiased var 20/3.
	if got := bn.RunningMean.Data[0]; got < 0.399 || got > 0.401 {
		t.Fatalf("running mean %v, want 0.4", got)
	}
	if got := bn.RunningVar.Data[0]; got < 0.9+0.1*20/3-1e-4 || got > 0.9+0.1*20/3+1e-4 {
		t.Fatalf("running var %v", got)
	}
	Train(s, false)
	y := s.Forward(x)
	want := (1 - bn.RunningMean.Data[0]) / float32(sqrt64(float64(bn.RunningVar.Data[0])+1e-5))
	if d := y.Data[0] - want; d > 1e-5 || d < -1e-5 {
		t.Fatalf("eval output %v, want %v", y.Data[0], want)
	}
}

func TestInitialisersAreSeeded(t *testing.T) {
	a := NewConv2d(ConvSpec{In: 4, Out: 8, Kernel: 3}, rand.New(rand.NewPCG(5, 5)))
	b := NewConv2d(ConvSpec{In: 4, Out: 8, Kernel: 3}, rand.New(rand.NewPCG(5, 5)))
	if !slices.Equal(a.Weight.Data, b.Weight.Data) {
		t.Fatal("same seed, different weights")
	}
	bound := float32(1 / sqrt64(36))
	for _, v := range a.Weight.Data {
		if v < -bound || v > bound {
			t.Fatalf("default init value %v outside ±%v", v, bound)
		}
	}
	w := tensor.New(64, 32, 3, 3)
	InitKaimingNormal(w, 0, testRNG())
	var ss float64
	for _, v := range w.Data {
		ss += float64(v) * float64(v)
	}
	if std := sqrt64(ss / float64(w.Numel())); std < 0.078 || std > 0.089 { // sqrt(2/288) = 0.0833
		t.Fatalf("kaiming std %v, want about 0.083", std)
	}
}

// A Sequential fuses InstanceNorm2d with a following ReLU, except where a
// caller asks for the norm's own output.
func TestSequentialFusesNormReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	s := NewSequential(NewInstanceNorm2d(3, 1e-5, false), ReLU(), NewInstanceNorm2d(3, 1e-5, false))
	x := tensor.Randn(rng, 1, 3, 4, 4)
	if _, ok := s.fusedReLU(0); !ok {
		t.Fatal("norm and ReLU not fused")
	}
	if _, ok := s.fusedReLU(1); ok {
		t.Fatal("ReLU fused with the following norm")
	}
	want := tensor.InstanceNorm2d(tensor.ReLU(tensor.InstanceNorm2d(x, 1e-5)), 1e-5)
	got := s.Forward(x)
	_, feats := s.ForwardFeatures(x, []int{0, 1}, false)
	pre := tensor.InstanceNorm2d(x, 1e-5)
	for i := range want.Data {
		if math.Abs(float64(got.Data[i]-want.Data[i])) > 1e-5 {
			t.Fatalf("output [%d] %v, want %v", i, got.Data[i], want.Data[i])
		}
		if feats[0].Data[i] != pre.Data[i] {
			t.Fatalf("feature at the norm [%d] is %v, want the pre-ReLU %v", i, feats[0].Data[i], pre.Data[i])
		}
		if math.Abs(float64(feats[1].Data[i]-max(pre.Data[i], 0))) > 1e-6 {
			t.Fatalf("feature at the ReLU [%d] is %v", i, feats[1].Data[i])
		}
	}
}

// A Sequential hands the tensors between its layers back to the engine's
// pool once they are dead, but never its input, its output or a feature
// asked for, in a graph or not; the gradients are those of the layers run
// one by one.
func TestSequentialRecyclesIntermediates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := NewSequential(NewConv2d(ConvSpec{In: 2, Out: 4, Kernel: 3, Padding: 1}, rng), ReLU(),
		NewConv2d(ConvSpec{In: 4, Out: 4, Kernel: 3, Padding: 1}, rng),
		Identity(), Tanh())
	x := tensor.Randn(rng, 1, 2, 6, 6).SetRequiresGrad(true)
	step := func(manual bool) (y, feat *tensor.Tensor, gx []float32) {
		x.ZeroGrad()
		if manual {
			h := s.Layers[1].Forward(s.Layers[0].Forward(x))
			feat = s.Layers[2].Forward(h)
			y = s.Layers[4].Forward(feat)
		} else {
			var feats []*tensor.Tensor
			y, feats = s.ForwardFeatures(x, []int{3}, false)
			feat = feats[0]
		}
		tensor.Sum(y).Backward()
		return y, feat, slices.Clone(x.Grad)
	}
	y0, f0, g0 := step(true)
	y1, f1, g1 := step(false)
	if x.Data == nil || y1.Data == nil || f1.Data == nil {
		t.Fatal("the input, the output or a feature was recycled")
	}
	if !slices.Equal(y0.Data, y1.Data) || !slices.Equal(f0.Data, f1.Data) || !slices.Equal(g0, g1) {
		t.Fatal("recycling changed the output, the feature or the input gradient")
	}
	var y2 *tensor.Tensor
	tensor.NoGrad(func() { y2 = s.Forward(x) })
	if !slices.Equal(y2.Data, y0.Data) {
		t.Fatal("inference without a graph differs")
	}
}

// A Sequential runs a nearest ×2 upsampling and a following 5×5 "same"
// convolution as tensor.UpsampleConv2d, except where a caller asks for the
// upsampled image itself; the output is that of the layers one by one.
func TestSequentialFusesUpsampleConv(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := NewSequential(UpsampleNearest(2), NewConv2d(ConvSpec{In: 3, Out: 2, Kernel: 5, Padding: 2}, rng), ReLU())
	if _, ok := s.fusedUpsample(0); !ok {
		t.Fatal("upsampling and convolution not fused")
	}
	x := tensor.Randn(rng, 1, 3, 4, 6)
	want := s.Layers[2].Forward(s.Layers[1].Forward(s.Layers[0].Forward(x)))
	got := s.Forward(x)
	up, feats := s.ForwardFeatures(x, []int{0}, false)
	if !tensor.SameShape(got.Shape(), want.Shape()) || !tensor.SameShape(feats[0].Shape(), []int{1, 3, 8, 12}) {
		t.Fatalf("shapes %v and %v", got.Shape(), feats[0].Shape())
	}
	for i := range want.Data {
		if math.Abs(float64(got.Data[i]-want.Data[i])) > 1e-5 || up.Data[i] != want.Data[i] {
			t.Fatalf("output [%d] %v (with the feature %v), want %v", i, got.Data[i], up.Data[i], want.Data[i])
		}
	}
	reflect := NewSequential(UpsampleNearest(2), NewConv2d(ConvSpec{In: 3, Out: 2, Kernel: 5, Padding: 2, PadMode: tensor.PadReflect}, rng))
	if _, ok := reflect.fusedUpsample(0); ok {
		t.Fatal("a reflection-padded convolution was fused")
	}
}
