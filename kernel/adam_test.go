package kernel

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The assembly Adam update gives the Go loop's bits.
func TestAdamStepSameBitsBothPaths(t *testing.T) {
	if !AsmSupported() {
		t.Skip("no assembly on this CPU")
	}
	r := rand.New(rand.NewPCG(5, 5))
	n := 1000 + 5 // a tail past the groups of eight
	d, g, m, v := randSlice(r, n), randSlice(r, n), randSlice(r, n), randSlice(r, n)
	for i := range v {
		v[i] *= v[i]
	}
	k := &AdamConsts{Beta1: 0.5, C1: 0.5, Beta2: 0.999, C2: 1 - 0.999, BC2Sqrt: 0.0447, Eps: 1e-8, StepSize: 4e-4}
	run := func(asm bool) [][]float32 {
		defer SetAsm(SetAsm(asm))
		dd, mm, vv := slices.Clone(d), slices.Clone(m), slices.Clone(v)
		for range 3 {
			AdamStep(dd, g, mm, vv, k)
		}
		return [][]float32{dd, mm, vv}
	}
	a, b := run(true), run(false)
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("array %d differs between the assembly and Go", i)
		}
	}
	if slices.Equal(a[0], d) {
		t.Fatal("the parameters did not move")
	}
}
