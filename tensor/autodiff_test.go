package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gradCheck compares the analytic gradient of sum(f(xs)·r) with central
// finite differences for every element of every input.
func gradCheck(t *testing.T, name string, f func(xs []*Tensor) *Tensor, shapes ...[]int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(len(name))))
	xs := make([]*Tensor, len(shapes))
	for i, s := range shapes {
		xs[i] = Randn(rng, s...).SetRequiresGrad(true)
	}
	out := f(xs)
	r := Randn(rng, out.Shape()...)
	loss := func() float64 {
		var s float64
		NoGrad(func() {
			o := f(xs)
			for i, v := range o.Data {
				s += float64(v) * float64(r.Data[i])
			}
		})
		return s
	}
	BackwardWith([]*Tensor{out}, []*Tensor{r})
	const h = 1e-2
	for i, x := range xs {
		for j := range x.Data {
			orig := x.Data[j]
			x.Data[j] = orig + h
			up := loss()
			x.Data[j] = orig - h
			down := loss()
			x.Data[j] = orig
			num := (up - down) / (2 * h)
			got := float64(x.GradTensor().Data[j])
			if math.Abs(num-got) > 2e-2*(1+math.Abs(num)) {
				t.Fatalf("%s: d/dx%d[%d] analytic %v, numeric %v", name, i, j, got, num)
			}
		}
	}
}

func TestGradients(t *testing.T) {
	gradCheck(t, "broadcast add/mul/div", func(x []*Tensor) *Tensor {
		return Div(Mul(Add(x[0], x[1]), x[1]), AddScalar(Square(x[2]), 1))
	}, []int{2, 3, 4}, []int{3, 1}, []int{4})
	gradCheck(t, "sub/neg/exp/log", func(x []*Tensor) *Tensor {
		return Sub(Exp(MulScalar(x[0], 0.3)), Log(AddScalar(Square(x[1]), 1)))
	}, []int{3, 4}, []int{1, 4})
	gradCheck(t, "sum/mean axes", func(x []*Tensor) *Tensor {
		return Add(SumAxes(x[0], false, 0, 2), MeanAxes(x[0], false, 2, 0))
	}, []int{2, 3, 4})
	gradCheck(t, "permute/slice/cat/index", func(x []*Tensor) *Tensor {
		p := Permute(x[0], 2, 0, 1)
		s := Slice(p, 1, 1, 2)
		c := Cat(1, s, p)
		return IndexSelect(c, 2, []int{2, 0, 2})
	}, []int{2, 3, 4})
	gradCheck(t, "matmul broadcast", func(x []*Tensor) *Tensor { return MatMul(x[0], x[1]) },
		[]int{2, 1, 3, 4}, []int{3, 4, 2})
	gradCheck(t, "conv strided grouped dilated", func(x []*Tensor) *Tensor {
		return Conv2d(x[0], x[1], x[2], ConvOpts{Stride: [2]int{2, 1}, Padding: [2]int{1, 2}, Dilation: [2]int{1, 2}, Groups: 2})
	}, []int{2, 4, 7, 6}, []int{6, 2, 3, 3}, []int{6})
	gradCheck(t, "conv transpose", func(x []*Tensor) *Tensor {
		return ConvTranspose2d(x[0], x[1], x[2], ConvOpts{Stride: [2]int{2, 2}, Padding: [2]int{1, 1}, OutputPadding: [2]int{1, 0}})
	}, []int{1, 3, 4, 3}, []int{3, 2, 3, 3}, []int{2})
	gradCheck(t, "norms", func(x []*Tensor) *Tensor {
		a := InstanceNorm2d(x[0], 1e-5)
		b := LayerNormMUNIT(x[0], 1e-5)
		c, _ := BatchNorm2dTrain(x[0], 1e-5)
		return Add(Add(a, b), c)
	}, []int{2, 3, 4, 5})
	gradCheck(t, "pools and resampling", func(x []*Tensor) *Tensor {
		a := AvgPool2d(x[0], PoolOpts{Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Padding: [2]int{1, 1}})
		b := UpsampleBilinear(a, 5, 7)
		c := UpsampleNearest(AdaptiveAvgPool2d(x[0], 2, 3), 5, 7)
		return Mul(b, c)
	}, []int{1, 2, 6, 7})
	gradCheck(t, "softmax and pad", func(x []*Tensor) *Tensor {
		p := Pad(x[0], 2, 1, 1, 2, PadReflect, 0)
		return Mul(Softmax(p, 1), LogSoftmax(Pad(x[0], 3, 0, 0, 3, PadReplicate, 0), 3))
	}, []int{1, 3, 4, 5})
}

func TestNoGradRecordsNothing(t *testing.T) {
	x := Full(2, 3).SetRequiresGrad(true)
	var y *Tensor
	NoGrad(func() { y = Mul(x, x) })
	if y.RequiresGrad() || !y.IsLeaf() {
		t.Fatal("NoGrad recorded a graph")
	}
	if !GradEnabled() {
		t.Fatal("gradients still disabled after NoGrad")
	}
}

func TestDetachStopsGradient(t *testing.T) {
	x := Full(3, 2).SetRequiresGrad(true)
	y := Sum(Mul(x, Detach(x)))
	y.Backward()
	if x.Grad[0] != 3 {
		t.Fatalf("grad %v, want 3 (detached factor is a constant)", x.Grad[0])
	}
}

func TestGradientsAccumulateAcrossCalls(t *testing.T) {
	x := FromSlice([]float32{1, 2}, 2).SetRequiresGrad(true)
	Sum(MulScalar(x, 3)).Backward()
	Sum(Square(x)).Backward()
	if x.Grad[0] != 3+2 || x.Grad[1] != 3+4 {
		t.Fatalf("accumulated grad %v", x.Grad)
	}
	x.ZeroGrad()
	if x.Grad != nil {
		t.Fatal("ZeroGrad kept the gradient")
	}
}

func TestBackwardReleasesGraph(t *testing.T) {
	x := Full(1, 4).SetRequiresGrad(true)
	h := Mul(x, x)
	y := Sum(h)
	y.Backward()
	if h.node != nil || h.Grad != nil || y.node != nil {
		t.Fatal("intermediate graph or gradient kept after backward")
	}
	if x.Grad == nil {
		t.Fatal("leaf lost its gradient")
	}
}

func TestSharedSubexpression(t *testing.T) {
	// y = (a·a) + (a·a) through one node used twice: dy/da = 4a.
	a := FromSlice([]float32{1.5}, 1).SetRequiresGrad(true)
	s := Mul(a, a)
	Sum(Add(s, s)).Backward()
	if a.Grad[0] != 6 {
		t.Fatalf("grad %v, want 6", a.Grad[0])
	}
}
