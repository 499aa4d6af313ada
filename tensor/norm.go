package tensor

import (
	"math"

	"i2i/kernel"
)

// groupLayout views a tensor as [A, R1, C, R2]: statistics are taken for
// each (a, c) group over its R1·R2 elements at ((a·R1+r1)·C+c)·R2+r2.
type groupLayout struct{ A, R1, C, R2 int }

func (l groupLayout) groups() int { return l.A * l.C }
func (l groupLayout) size() int   { return l.R1 * l.R2 }

// each calls fn with the offset of every contiguous run of the group.
func (l groupLayout) each(gi int, fn func(off int)) {
	a, c := gi/l.C, gi%l.C
	for r1 := 0; r1 < l.R1; r1++ {
		fn(((a*l.R1+r1)*l.C + c) * l.R2)
	}
}

// stdKind selects the denominator of a standardisation.
type stdKind int

const (
	// biasedEpsInside: (x−μ)/sqrt(σ²+eps) with the biased variance (BatchNorm,
	// InstanceNorm, AdaIN, nn.LayerNorm).
	biasedEpsInside stdKind = iota
	// unbiasedEpsOutside: (x−μ)/(s+eps) with the unbiased standard deviation s
	// (MUNIT's LayerNorm, specs/munit.md).
	unbiasedEpsOutside
)

// GroupStats are the per-group mean and biased variance of a standardisation.
type GroupStats struct {
	Mean, Var []float64
	N         int // elements per group
}

// standardize normalises every group of x to zero mean and unit spread.
func standardize(x *Tensor, l groupLayout, eps float64, kind stdKind) (*Tensor, GroupStats) {
	ng, n := l.groups(), l.size()
	out := &Tensor{Data: make([]float32, len(x.Data)), shape: x.shape}
	mean := make([]float64, ng)
	variance := make([]float64, ng)
	scale := make([]float64, ng) // 1/denominator
	kernel.ParallelFor(ng, 1, func(lo, hi int) {
		for gi := lo; gi < hi; gi++ {
			var s float64
			l.each(gi, func(off int) {
				for _, v := range x.Data[off : off+l.R2] {
					s += float64(v)
				}
			})
			m := s / float64(n)
			var ss float64
			l.each(gi, func(off int) {
				for _, v := range x.Data[off : off+l.R2] {
					d := float64(v) - m
					ss += d * d
				}
			})
			mean[gi], variance[gi] = m, ss/float64(n)
			if kind == biasedEpsInside {
				scale[gi] = 1 / math.Sqrt(ss/float64(n)+eps)
			} else {
				scale[gi] = 1 / (math.Sqrt(ss/float64(n-1)) + eps)
			}
			k := scale[gi]
			l.each(gi, func(off int) {
				for i, v := range x.Data[off : off+l.R2] {
					out.Data[off+i] = float32((float64(v) - m) * k)
				}
			})
		}
	})
	stats := GroupStats{Mean: mean, Var: variance, N: n}
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		kernel.ParallelFor(ng, 1, func(lo, hi int) {
			for gi := lo; gi < hi; gi++ {
				var sg, sgy float64
				l.each(gi, func(off int) {
					for i, gv := range g[off : off+l.R2] {
						sg += float64(gv)
						sgy += float64(gv) * float64(out.Data[off+i])
					}
				})
				k := scale[gi]
				mg := sg / float64(n)
				if kind == biasedEpsInside {
					// dx = k·(g − mean(g) − y·mean(g·y))
					mgy := sgy / float64(n)
					l.each(gi, func(off int) {
						for i, gv := range g[off : off+l.R2] {
							gx[off+i] += float32(k * (float64(gv) - mg - float64(out.Data[off+i])*mgy))
						}
					})
					continue
				}
				// y = d·k with k = 1/(s+eps), s = sqrt(Σd²/(n−1)):
				// dx = k·(g − mean(g)) − k·Σ(g·y)·d/((n−1)·s)
				s := math.Sqrt(variance[gi] * float64(n) / float64(n-1))
				c := sgy * k / (float64(n-1) * s)
				m := mean[gi]
				l.each(gi, func(off int) {
					for i, gv := range g[off : off+l.R2] {
						d := float64(x.Data[off+i]) - m
						gx[off+i] += float32(k*(float64(gv)-mg) - c*d)
					}
				})
			}
		})
	}, x), stats
}

// InstanceNorm2d normalises each (sample, channel) plane of x [N, C, H, W]
// over its H·W values (biased variance, eps inside the square root).
func InstanceNorm2d(x *Tensor, eps float64) *Tensor {
	n, c := x.shape[0], x.shape[1]
	y, _ := standardize(x, groupLayout{A: n * c, R1: 1, C: 1, R2: len(x.Data) / (n * c)}, eps, biasedEpsInside)
	return y
}

// LayerNorm normalises over the last axis and applies the optional
// per-feature weight and bias (torch.nn.LayerNorm with one normalised axis).
func LayerNorm(x, weight, bias *Tensor, eps float64) *Tensor {
	d := x.shape[len(x.shape)-1]
	y, _ := standardize(x, groupLayout{A: len(x.Data) / d, R1: 1, C: 1, R2: d}, eps, biasedEpsInside)
	return affineOptional(y, weight, bias)
}

// LayerNormSample normalises each sample of x [N, ...] over all its other
// axes, as F.layer_norm(x, x.shape[1:]) (biased variance, eps inside).
func LayerNormSample(x *Tensor, eps float64) *Tensor {
	n := x.shape[0]
	y, _ := standardize(x, groupLayout{A: n, R1: 1, C: 1, R2: len(x.Data) / n}, eps, biasedEpsInside)
	return y
}

// LayerNormMUNIT normalises each sample over all its values with the
// unbiased standard deviation and eps added to it: (x−μ)/(σ+eps)
// (the reference's LayerNorm, specs/munit.md).
func LayerNormMUNIT(x *Tensor, eps float64) *Tensor {
	n := x.shape[0]
	y, _ := standardize(x, groupLayout{A: n, R1: 1, C: 1, R2: len(x.Data) / n}, eps, unbiasedEpsOutside)
	return y
}

// BatchNorm2dTrain normalises each channel of x [N, C, H, W] over N·H·W with
// batch statistics and returns them (mean and biased variance) so that the
// caller can update running statistics.
func BatchNorm2dTrain(x *Tensor, eps float64) (*Tensor, GroupStats) {
	n, c := x.shape[0], x.shape[1]
	return standardize(x, groupLayout{A: 1, R1: n, C: c, R2: len(x.Data) / (n * c)}, eps, biasedEpsInside)
}

// TokenInstanceNorm normalises x [B, T, D] for each (sample, feature) over
// the T tokens (InstaFormer's AdaIN over tokens).
func TokenInstanceNorm(x *Tensor, eps float64) *Tensor {
	b, t, d := x.shape[0], x.shape[1], x.shape[2]
	y, _ := standardize(x, groupLayout{A: b, R1: t, C: d, R2: 1}, eps, biasedEpsInside)
	return y
}

// affineOptional returns y·w + b with either factor optional.
func affineOptional(y, w, b *Tensor) *Tensor {
	if w != nil {
		y = Mul(y, w)
	}
	if b != nil {
		y = Add(y, b)
	}
	return y
}
