package kernel

import "math"

// AdamConsts are the per-step constants of an Adam update (see AdamStep).
type AdamConsts struct {
	Beta1, C1    float32 // β₁ and 1 − β₁
	Beta2, C2    float32 // β₂ and 1 − β₂
	BC2Sqrt, Eps float32 // √(1 − β₂ᵗ) and ε
	StepSize     float32 // lr / (1 − β₁ᵗ)
	WeightDecay  float32 // coupled L2 decay λ: the gradient is g + λ·d
}

// AdamStep applies torch.optim.Adam's update to the parameters d with
// gradients g and moment estimates m and v, as
//
//	g += λ·d;  m = β₁·m + (1−β₁)·g;  v = β₂·v + (1−β₂)·g²
//	d −= StepSize · m / (√v / √(1−β₂ᵗ) + ε)
//
// element by element in float32, in that order of operations: the assembly
// (eight elements at a time, without weight decay) and the Go loop give the
// same bits.
func AdamStep(d, g, m, v []float32, k *AdamConsts) {
	n := len(g)
	d, m, v = d[:n], m[:n], v[:n]
	i := 0
	if useAsm && n >= 8 && k.WeightDecay == 0 {
		adamAsm(n, &d[0], &g[0], &m[0], &v[0], k)
		i = n &^ 7
	}
	for ; i < n; i++ {
		gj := g[i]
		if k.WeightDecay != 0 {
			gj += float32(k.WeightDecay * d[i])
		}
		// The conversions keep the compiler from fusing a multiply-add.
		mj := float32(m[i]*k.Beta1) + float32(gj*k.C1)
		vj := float32(v[i]*k.Beta2) + float32(float32(gj*gj)*k.C2)
		m[i], v[i] = mj, vj
		denom := float32(math.Sqrt(float64(vj)))/k.BC2Sqrt + k.Eps
		d[i] -= k.StepSize * (mj / denom)
	}
}
