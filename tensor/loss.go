package tensor

import "math"

// L1Loss is mean(|a − b|); the gradient where a == b is 0.
func L1Loss(a, b *Tensor) *Tensor { return Mean(Abs(Sub(a, b))) }

// MSELoss is mean((a − b)²).
func MSELoss(a, b *Tensor) *Tensor { return Mean(Square(Sub(a, b))) }

// BCEWithLogits is the mean binary cross-entropy of sigmoid(x) against soft
// targets t in [0, 1], computed stably as max(x,0) − x·t + log(1+e^−|x|).
func BCEWithLogits(x, t *Tensor) *Tensor {
	n := float64(len(x.Data))
	var s float64
	for i, v := range x.Data {
		xv, tv := float64(v), float64(t.Data[i])
		s += math.Max(xv, 0) - xv*tv + math.Log1p(math.Exp(-math.Abs(xv)))
	}
	out := Scalar(float32(s / n))
	return record(out, func(g []float32) {
		if x.requiresGrad {
			gx := x.gradBuf()
			for i, v := range x.Data {
				sig := 1 / (1 + math.Exp(-float64(v)))
				gx[i] += g[0] * float32((sig-float64(t.Data[i]))/n)
			}
		}
		if t.requiresGrad {
			gt := t.gradBuf()
			for i, v := range x.Data {
				gt[i] += g[0] * float32(-float64(v)/n)
			}
		}
	}, x, t)
}
