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
	out := empty(x.shape)
	mean := make([]float64, ng)
	variance := make([]float64, ng)
	scale := make([]float64, ng) // 1/denominator
	kernel.ParallelFor(ng, 1, func(lo, hi int) {
		for gi := lo; gi < hi; gi++ {
			var s float64
			l.each(gi, func(off int) { s += kernel.Sum64(x.Data[off : off+l.R2]) })
			m := s / float64(n)
			var ss float64
			l.each(gi, func(off int) { ss += kernel.SqDev64(x.Data[off:off+l.R2], m) })
			mean[gi], variance[gi] = m, ss/float64(n)
			if kind == biasedEpsInside {
				scale[gi] = 1 / math.Sqrt(ss/float64(n)+eps)
			} else {
				scale[gi] = 1 / (math.Sqrt(ss/float64(n-1)) + eps)
			}
			mf, k := float32(m), float32(scale[gi])
			l.each(gi, func(off int) {
				dst := out.Data[off : off+l.R2]
				for i, v := range x.Data[off : off+l.R2] {
					dst[i] = (v - mf) * k
				}
			})
		}
	})
	stats := GroupStats{Mean: mean, Var: variance, N: n}
	return record(out, func(g []float32) {
		gx, beta := x.gradOut()
		kernel.ParallelFor(ng, 1, func(lo, hi int) {
			for gi := lo; gi < hi; gi++ {
				var sg, sgy float64
				l.each(gi, func(off int) {
					a, b := kernel.SumDot64(g[off:off+l.R2], out.Data[off:off+l.R2], false)
					sg += a
					sgy += b
				})
				k := float32(scale[gi])
				mg := float32(sg / float64(n))
				if kind == biasedEpsInside {
					// dx = k·(g − mean(g) − y·mean(g·y))
					mgy := float32(sgy / float64(n))
					l.each(gi, func(off int) {
						dst, ys := gx[off:off+l.R2], out.Data[off:off+l.R2]
						for i, gv := range g[off : off+l.R2] {
							d := k * (gv - mg - ys[i]*mgy)
							if beta != 0 {
								d += dst[i]
							}
							dst[i] = d
						}
					})
					continue
				}
				// y = d·k with k = 1/(s+eps), s = sqrt(Σd²/(n−1)):
				// dx = k·(g − mean(g)) − k·Σ(g·y)·d/((n−1)·s)
				sd := math.Sqrt(variance[gi] * float64(n) / float64(n-1))
				c := float32(sgy * float64(k) / (float64(n-1) * sd))
				m := float32(mean[gi])
				l.each(gi, func(off int) {
					dst, xs := gx[off:off+l.R2], x.Data[off:off+l.R2]
					for i, gv := range g[off : off+l.R2] {
						d := k*(gv-mg) - c*(xs[i]-m)
						if beta != 0 {
							d += dst[i]
						}
						dst[i] = d
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

// InstanceNorm2dReLU is ReLU(InstanceNorm2d(x, eps)) in one pass each way:
// the normalised values are not stored (the backward pass recomputes them
// from x), which saves a tensor and two memory passes over it. The results
// and gradients are those of the two operations in sequence.
func InstanceNorm2dReLU(x *Tensor, eps float64) *Tensor {
	n, c := x.shape[0], x.shape[1]
	ng, size := n*c, len(x.Data)/(n*c)
	out := empty(x.shape)
	mean := make([]float32, ng)
	scale := make([]float32, ng)
	kernel.ParallelFor(ng, 1, func(lo, hi int) {
		for gi := lo; gi < hi; gi++ {
			xs := x.Data[gi*size : (gi+1)*size]
			m := kernel.Sum64(xs) / float64(size)
			k := 1 / math.Sqrt(kernel.SqDev64(xs, m)/float64(size)+eps)
			mf, kf := float32(m), float32(k)
			mean[gi], scale[gi] = mf, kf
			dst := out.Data[gi*size : (gi+1)*size]
			for i, v := range xs {
				dst[i] = max((v-mf)*kf, 0)
			}
		}
	})
	return record(out, func(g []float32) {
		gx, beta := x.gradOut()
		kernel.ParallelFor(ng, 1, func(lo, hi int) {
			for gi := lo; gi < hi; gi++ {
				xs, ys, gs := x.Data[gi*size:(gi+1)*size], out.Data[gi*size:(gi+1)*size], g[gi*size:(gi+1)*size]
				// The ReLU passes g where y > 0, and there ŷ = y.
				sg, sgy := kernel.SumDot64(gs, ys, true)
				k, m := scale[gi], mean[gi]
				mg, mgy := float32(sg/float64(size)), float32(sgy/float64(size))
				dst := gx[gi*size : (gi+1)*size]
				for i, y := range ys {
					gv := kernel.PassIfPositive(gs[i], y)
					// dx = k·(g′ − mean(g′) − ŷ·mean(g′·ŷ)), ŷ = (x − m)·k
					d := k * (gv - mg - (xs[i]-m)*k*mgy)
					if beta != 0 {
						d += dst[i]
					}
					dst[i] = d
				}
			}
		})
	}, x)
}
