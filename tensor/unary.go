package tensor

import (
	"math"

	"i2i/kernel"
)

// unary applies f element-wise; df gives dy/dx from x and y = f(x).
func unary(x *Tensor, f func(x float32) float32, df func(x, y float32) float32) *Tensor {
	out := empty(x.shape)
	kernel.ParallelFor(len(x.Data), parallelGrain, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out.Data[i] = f(x.Data[i])
		}
	})
	return record(out, func(g []float32) {
		dst, beta := x.gradOut()
		kernel.ParallelFor(len(g), parallelGrain, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				d := g[i] * df(x.Data[i], out.Data[i])
				if beta != 0 {
					d += dst[i]
				}
				dst[i] = d
			}
		})
	}, x)
}

// ReLU returns max(x, 0); its gradient at exactly 0 is 0, as in PyTorch.
// It is the commonest activation, so its loops are written out instead of
// going through unary's function values.
func ReLU(x *Tensor) *Tensor {
	out := empty(x.shape)
	kernel.ParallelFor(len(x.Data), parallelGrain, func(lo, hi int) {
		src, dst := x.Data[lo:hi], out.Data[lo:hi]
		for i, v := range src {
			dst[i] = max(v, 0)
		}
	})
	return record(out, func(g []float32) {
		gx, beta := x.gradOut()
		kernel.ParallelFor(len(g), parallelGrain, func(lo, hi int) {
			ys, gs, dst := out.Data[lo:hi], g[lo:hi], gx[lo:hi]
			for i, y := range ys {
				d := kernel.PassIfPositive(gs[i], y) // y > 0 exactly where x > 0
				if beta != 0 {
					d += dst[i]
				}
				dst[i] = d
			}
		})
	}, x)
}

// LeakyReLU returns x for x > 0 and slope·x otherwise; the gradient at 0 is
// the slope, as in PyTorch.
func LeakyReLU(x *Tensor, slope float32) *Tensor {
	return unary(x, func(v float32) float32 {
		if v > 0 {
			return v
		}
		return v * slope
	}, func(v, _ float32) float32 {
		if v > 0 {
			return 1
		}
		return slope
	})
}

// GELU is the exact (erf) Gaussian error linear unit.
func GELU(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 {
		return float32(0.5 * float64(v) * (1 + math.Erf(float64(v)/math.Sqrt2)))
	}, func(v, _ float32) float32 {
		x := float64(v)
		cdf := 0.5 * (1 + math.Erf(x/math.Sqrt2))
		pdf := math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
		return float32(cdf + x*pdf)
	})
}

// Tanh returns tanh(x).
func Tanh(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return float32(math.Tanh(float64(v))) },
		func(_, y float32) float32 { return 1 - y*y })
}

// Sigmoid returns 1/(1+exp(−x)).
func Sigmoid(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return float32(1 / (1 + math.Exp(-float64(v)))) },
		func(_, y float32) float32 { return y * (1 - y) })
}

// Softplus returns log(1+exp(β·x))/β, or x where β·x > threshold (PyTorch).
func Softplus(x *Tensor, beta, threshold float32) *Tensor {
	return unary(x, func(v float32) float32 {
		if v*beta > threshold {
			return v
		}
		return float32(math.Log1p(math.Exp(float64(beta*v))) / float64(beta))
	}, func(v, _ float32) float32 {
		if v*beta > threshold {
			return 1
		}
		z := math.Exp(float64(beta * v))
		return float32(z / (z + 1))
	})
}

// Exp returns e^x.
func Exp(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return float32(math.Exp(float64(v))) },
		func(_, y float32) float32 { return y })
}

// Log returns the natural logarithm.
func Log(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return float32(math.Log(float64(v))) },
		func(v, _ float32) float32 { return 1 / v })
}

// Sqrt returns the square root.
func Sqrt(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return float32(math.Sqrt(float64(v))) },
		func(_, y float32) float32 { return 0.5 / y })
}

// Square returns x².
func Square(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return v * v },
		func(v, _ float32) float32 { return 2 * v })
}

// Abs returns |x|; its gradient at 0 is 0.
func Abs(x *Tensor) *Tensor {
	return unary(x, func(v float32) float32 { return float32(math.Abs(float64(v))) },
		func(v, _ float32) float32 { return sign(v) })
}

// Pow returns x^p.
func Pow(x *Tensor, p float32) *Tensor {
	return unary(x, func(v float32) float32 { return float32(math.Pow(float64(v), float64(p))) },
		func(v, _ float32) float32 { return p * float32(math.Pow(float64(v), float64(p-1))) })
}

func sign(v float32) float32 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// ClampMin returns max(x, lo); the gradient passes where x ≥ lo.
func ClampMin(x *Tensor, lo float32) *Tensor {
	return unary(x, func(v float32) float32 { return max(v, lo) },
		func(v, _ float32) float32 {
			if v >= lo {
				return 1
			}
			return 0
		})
}
