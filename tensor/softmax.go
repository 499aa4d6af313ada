package tensor

import (
	"fmt"
	"math"
)

// Softmax normalises exp(x) along axis ax.
func Softmax(x *Tensor, ax int) *Tensor { return softmax(x, ax, false) }

// LogSoftmax returns log(Softmax(x, ax)), computed stably.
func LogSoftmax(x *Tensor, ax int) *Tensor { return softmax(x, ax, true) }

func softmax(x *Tensor, ax int, logOut bool) *Tensor {
	ax = axis(ax, len(x.shape))
	outer, n, inner := split3(x.shape, ax)
	out := &Tensor{Data: make([]float32, len(x.Data)), shape: x.shape}
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			base := o*n*inner + i
			m := float32(math.Inf(-1))
			for k := 0; k < n; k++ {
				m = max(m, x.Data[base+k*inner])
			}
			var s float64
			for k := 0; k < n; k++ {
				s += math.Exp(float64(x.Data[base+k*inner] - m))
			}
			ls := math.Log(s)
			for k := 0; k < n; k++ {
				v := float64(x.Data[base+k*inner]-m) - ls
				if logOut {
					out.Data[base+k*inner] = float32(v)
				} else {
					out.Data[base+k*inner] = float32(math.Exp(v))
				}
			}
		}
	}
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		for o := 0; o < outer; o++ {
			for i := 0; i < inner; i++ {
				base := o*n*inner + i
				var s float64
				for k := 0; k < n; k++ {
					j := base + k*inner
					if logOut {
						s += float64(g[j])
					} else {
						s += float64(g[j]) * float64(out.Data[j])
					}
				}
				for k := 0; k < n; k++ {
					j := base + k*inner
					if logOut {
						// dx = g − softmax·Σg
						gx[j] += g[j] - float32(math.Exp(float64(out.Data[j]))*s)
					} else {
						// dx = y·(g − Σ g·y)
						gx[j] += out.Data[j] * (g[j] - float32(s))
					}
				}
			}
		}
	}, x)
}

// CrossEntropy is the mean negative log-likelihood of integer targets under
// softmax(logits) with classes on axis 1: logits [N, C, ...], targets with
// one entry per [N, ...] position.
func CrossEntropy(logits *Tensor, targets []int) *Tensor {
	_, c, inner := split3(logits.shape, 1)
	if len(targets)*c != len(logits.Data) {
		panic(fmt.Sprintf("tensor: %d targets for logits %v", len(targets), logits.shape))
	}
	for _, t := range targets {
		if t < 0 || t >= c {
			panic(fmt.Sprintf("tensor: target class %d outside [0,%d)", t, c))
		}
	}
	lsm := LogSoftmax(logits, 1)
	// Gather −log p[target] with a one-hot weight, then average.
	onehot := New(logits.shape...)
	for p, t := range targets {
		o, i := p/inner, p%inner
		onehot.Data[(o*c+t)*inner+i] = -1 / float32(len(targets))
	}
	return Sum(Mul(lsm, onehot))
}
