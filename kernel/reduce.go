package kernel

import "math"

// Float64 sums of float32 runs, for the norms: the assembly widens sixteen
// (or eight) floats at a time into independent lanes, Go adds the rest.
// Summation order differs between the two paths only within float64
// rounding.

// Sum64 returns Σ v[i] in float64.
func Sum64(v []float32) float64 {
	var s float64
	i := 0
	if useAsm && len(v) >= 16 {
		s = sum64asm(len(v), &v[0])
		i = len(v) &^ 15
	}
	var s0, s1, s2, s3 float64
	for ; i+4 <= len(v); i += 4 {
		s0 += float64(v[i])
		s1 += float64(v[i+1])
		s2 += float64(v[i+2])
		s3 += float64(v[i+3])
	}
	for ; i < len(v); i++ {
		s0 += float64(v[i])
	}
	return s + (s0 + s1) + (s2 + s3)
}

// SqDev64 returns Σ (v[i] − m)² in float64.
func SqDev64(v []float32, m float64) float64 {
	var s float64
	i := 0
	if useAsm && len(v) >= 16 {
		s = sqDev64asm(len(v), &v[0], m)
		i = len(v) &^ 15
	}
	var s0, s1, s2, s3 float64
	for ; i+4 <= len(v); i += 4 {
		d0, d1, d2, d3 := float64(v[i])-m, float64(v[i+1])-m, float64(v[i+2])-m, float64(v[i+3])-m
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(v); i++ {
		d := float64(v[i]) - m
		s0 += d * d
	}
	return s + (s0 + s1) + (s2 + s3)
}

// SumDot64 returns Σ g[i] and Σ g[i]·y[i] in float64; with positive, only
// over the elements where y[i] > 0 (the gradient through a ReLU whose output
// is y).
func SumDot64(g, y []float32, positive bool) (float64, float64) {
	g = g[:len(y)]
	var a, b float64
	i := 0
	if useAsm && len(y) >= 8 {
		a, b = sumDot64asm(len(y), &g[0], &y[0], positive)
		i = len(y) &^ 7
	}
	var a0, a1, b0, b1 float64
	for ; i+2 <= len(y); i += 2 {
		g0, g1 := g[i], g[i+1]
		if positive {
			g0, g1 = PassIfPositive(g0, y[i]), PassIfPositive(g1, y[i+1])
		}
		a0 += float64(g0)
		a1 += float64(g1)
		b0 += float64(g0) * float64(y[i])
		b1 += float64(g1) * float64(y[i+1])
	}
	for ; i < len(y); i++ {
		gv := g[i]
		if positive {
			gv = PassIfPositive(gv, y[i])
		}
		a0 += float64(gv)
		b0 += float64(gv) * float64(y[i])
	}
	return a + a0 + a1, b + b0 + b1
}

// PassIfPositive returns g where y > 0 and 0 where y is ±0, for y ≥ 0 (a
// ReLU's output), without a branch: which side a ReLU input falls on is a
// coin toss, and a mispredicted branch per element costs four times the
// arithmetic.
func PassIfPositive(g, y float32) float32 {
	u := math.Float32bits(y) &^ (1 << 31)
	mask := uint32(int32(u|-u) >> 31)
	return math.Float32frombits(math.Float32bits(g) & mask)
}
