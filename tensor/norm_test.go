package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The fused norm and ReLU must give the values and gradients of the two
// operations in sequence, also when the input already holds a gradient.
func TestInstanceNorm2dReLUMatchesSequence(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := Randn(rng, 2, 3, 5, 7).SetRequiresGrad(true)
	w := Randn(rng, 2, 3, 5, 7)
	run := func(f func(*Tensor) *Tensor) ([]float32, []float32) {
		x.ZeroGrad()
		for rep := 0; rep < 2; rep++ { // the second pass adds to the gradient
			y := f(x)
			Sum(Mul(y, w)).Backward()
		}
		y := f(x)
		return append([]float32(nil), y.Data...), append([]float32(nil), x.Grad...)
	}
	yf, gf := run(func(x *Tensor) *Tensor { return InstanceNorm2dReLU(x, 1e-5) })
	ys, gs := run(func(x *Tensor) *Tensor { return ReLU(InstanceNorm2d(x, 1e-5)) })
	zeros := 0
	for i := range ys {
		if ys[i] == 0 {
			zeros++
		}
		if math.Abs(float64(yf[i]-ys[i])) > 1e-6 {
			t.Fatalf("value [%d]: fused %v, in sequence %v", i, yf[i], ys[i])
		}
		if math.Abs(float64(gf[i]-gs[i])) > 1e-5 {
			t.Fatalf("gradient [%d]: fused %v, in sequence %v", i, gf[i], gs[i])
		}
	}
	if zeros == 0 || zeros == len(ys) {
		t.Fatalf("%d of %d outputs are zero: the ReLU is not exercised", zeros, len(ys))
	}
}
