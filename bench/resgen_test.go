package bench

import (
	"math/rand/v2"
	"testing"

	"i2i/nn"
	"i2i/tensor"
)

func TestResGenMatchesSpec(t *testing.T) {
	g := NewResGen(rand.New(rand.NewPCG(1, 1)))
	if n := nn.NumParams(g); n != 6132739 {
		t.Fatalf("resgen has %d parameters, the benchmark README says 6,132,739", n)
	}
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = g.Forward(tensor.New(1, 3, 32, 32)) })
	if !tensor.SameShape(y.Shape(), []int{1, 3, 32, 32}) {
		t.Fatalf("output shape %v", y.Shape())
	}
}

func TestRunRejectsUnknownGroup(t *testing.T) {
	if _, err := Run(Options{Only: []string{"gpu"}}); err == nil {
		t.Fatal("unknown group accepted")
	}
}

// BenchmarkResGenStep is the resgen_train_step_s workload, for profiling.
func BenchmarkResGenStep(b *testing.B) {
	out := map[string]any{}
	benchResGen(out, Options{Reps: b.N, Warmup: 1})
	b.ReportMetric(out["resgen_train_step_s"].(float64), "s/step")
}
