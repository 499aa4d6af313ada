package optim

import (
	"math"
	"testing"

	"i2i/tensor"
)

func TestSchedules(t *testing.T) {
	lin, err := NewSchedule("linear", 2, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 1, 1, 0.75, 0.5, 0.25}
	for e, w := range want {
		if got := lin.Factor(e); math.Abs(got-w) > 1e-12 {
			t.Fatalf("linear epoch %d: %v, want %v", e, got, w)
		}
	}
	st, _ := NewSchedule("step", 2, 0, 0.5)
	if st.Factor(1) != 1 || st.Factor(2) != 0.5 || st.Factor(5) != 0.25 {
		t.Fatal("step schedule")
	}
	if _, err := NewSchedule("cosine", 1, 1, 0); err == nil {
		t.Fatal("unknown schedule accepted")
	}
	if _, err := NewSchedule("step", 0, 0, 0.5); err == nil {
		t.Fatal("zero step size accepted")
	}
}

func TestAdamWDecouplesDecay(t *testing.T) {
	p := tensor.FromSlice([]float32{1}, 1).SetRequiresGrad(true)
	a := NewAdam([]*tensor.Tensor{p}, AdamConfig{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.5, Decoupled: true})
	p.Grad = []float32{0}
	a.Step()
	// Zero gradient: only the decay acts, p = 1·(1 − 0.1·0.5).
	if math.Abs(float64(p.Data[0])-0.95) > 1e-6 {
		t.Fatalf("AdamW p = %v, want 0.95", p.Data[0])
	}
}

func TestAdamStateRoundTrip(t *testing.T) {
	mk := func() (*tensor.Tensor, *Adam) {
		p := tensor.FromSlice([]float32{1, 2}, 2).SetRequiresGrad(true)
		return p, NewAdam([]*tensor.Tensor{p}, DefaultAdam(0.01))
	}
	p1, a1 := mk()
	for i := 0; i < 3; i++ {
		p1.Grad = []float32{0.5, -1}
		a1.Step()
	}
	p2, a2 := mk()
	copy(p2.Data, p1.Data)
	st := map[string]*tensor.Tensor{}
	for k, v := range a1.State() {
		st[k] = v.Clone()
	}
	if err := a2.LoadState(st); err != nil {
		t.Fatal(err)
	}
	p1.Grad, p2.Grad = []float32{0.3, 0.2}, []float32{0.3, 0.2}
	a1.Step()
	a2.Step()
	if p1.Data[0] != p2.Data[0] || p1.Data[1] != p2.Data[1] {
		t.Fatalf("resumed %v, uninterrupted %v", p2.Data, p1.Data)
	}
	if err := a2.LoadState(map[string]*tensor.Tensor{}); err == nil {
		t.Fatal("empty state accepted")
	}
}

func BenchmarkAdamStep(b *testing.B) {
	p := tensor.New(1 << 22).SetRequiresGrad(true)
	p.Grad = make([]float32, p.Numel())
	for i := range p.Grad {
		p.Grad[i] = float32(i%7) - 3
	}
	opt := NewAdam([]*tensor.Tensor{p}, AdamConfig{LR: 2e-4, Beta1: 0.5, Beta2: 0.999, Eps: 1e-8})
	b.SetBytes(int64(p.Numel()) * 20)
	for i := 0; i < b.N; i++ {
		opt.Step()
	}
}
