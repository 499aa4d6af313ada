package tensor

import (
	"fmt"

	"i2i/kernel"
)

// MatMul multiplies the last two axes of a [..., M, K] and b [..., K, N],
// broadcasting the leading (batch) axes, as torch.matmul for ≥2-D inputs.
func MatMul(a, b *Tensor) *Tensor {
	na, nb := len(a.shape), len(b.shape)
	if na < 2 || nb < 2 || a.shape[na-1] != b.shape[nb-2] {
		panic(fmt.Sprintf("tensor: matmul of %v and %v", a.shape, b.shape))
	}
	m, k, n := a.shape[na-2], a.shape[na-1], b.shape[nb-1]
	batch := broadcastShape(a.shape[:na-2], b.shape[:nb-2])
	sa, sb := bcastStrides(a.shape[:na-2], batch), bcastStrides(b.shape[:nb-2], batch)
	shape := append(cloneInts(batch), m, n)
	out := New(shape...)
	nbatch := numel(batch)
	ia, ib := batchOffsets(batch, sa), batchOffsets(batch, sb)
	for t := 0; t < nbatch; t++ {
		kernel.Sgemm(false, false, m, n, k, 1, a.Data[ia[t]*m*k:], k, b.Data[ib[t]*k*n:], n, 0, out.Data[t*m*n:], n)
	}
	return record(out, func(g []float32) {
		for t := 0; t < nbatch; t++ {
			gt := g[t*m*n:]
			if a.requiresGrad {
				kernel.Sgemm(false, true, m, k, n, 1, gt, n, b.Data[ib[t]*k*n:], n, 1, a.gradBuf()[ia[t]*m*k:], k)
			}
			if b.requiresGrad {
				kernel.Sgemm(true, false, k, n, m, 1, a.Data[ia[t]*m*k:], k, gt, n, 1, b.gradBuf()[ib[t]*k*n:], n)
			}
		}
	}, a, b)
}

// batchOffsets lists, for each flat batch index, the matrix index in an
// operand with the given broadcast strides (in matrices).
func batchOffsets(batch, st []int) []int {
	offs := make([]int, numel(batch))
	idx := make([]int, len(batch))
	for t := range offs {
		o := 0
		for d := range batch {
			o += idx[d] * st[d]
		}
		offs[t] = o
		for d := len(batch) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < batch[d] {
				break
			}
			idx[d] = 0
		}
	}
	return offs
}

// Linear returns x·wᵀ + b for x [..., in], w [out, in] and b [out] (b may
// be nil), as torch.nn.functional.linear.
func Linear(x, w, b *Tensor) *Tensor {
	in, outF := w.shape[1], w.shape[0]
	if x.shape[len(x.shape)-1] != in {
		panic(fmt.Sprintf("tensor: linear input %v with weight %v", x.shape, w.shape))
	}
	rows := len(x.Data) / in
	shape := cloneInts(x.shape)
	shape[len(shape)-1] = outF
	out := New(shape...)
	kernel.Sgemm(false, true, rows, outF, in, 1, x.Data, in, w.Data, in, 0, out.Data, outF)
	if b != nil {
		for r := 0; r < rows; r++ {
			row := out.Data[r*outF : (r+1)*outF]
			for j := range row {
				row[j] += b.Data[j]
			}
		}
	}
	return record(out, func(g []float32) {
		if x.requiresGrad {
			gx, beta := x.gradOut()
			kernel.Sgemm(false, false, rows, in, outF, 1, g, outF, w.Data, in, beta, gx, in)
		}
		if w.requiresGrad {
			gw, beta := w.gradOut()
			kernel.Sgemm(true, false, outF, in, rows, 1, g, outF, x.Data, in, beta, gw, in)
		}
		if b != nil && b.requiresGrad {
			gb := b.gradBuf()
			for r := 0; r < rows; r++ {
				for j, v := range g[r*outF : (r+1)*outF] {
					gb[j] += v
				}
			}
		}
	}, x, w, b)
}
