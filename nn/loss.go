package nn

import "i2i/tensor"

// LSGANLoss is the least-squares GAN loss mean((pred − label)²) with label
// 1 for real and 0 for fake targets.
func LSGANLoss(pred *tensor.Tensor, real bool) *tensor.Tensor {
	label := float32(0)
	if real {
		label = 1
	}
	return tensor.Mean(tensor.Square(tensor.AddScalar(pred, -label)))
}

// CUTNormalize divides each row of x [N, D] by its L2 norm plus 1e-7 (CUT's
// Normalize(2) layer; note the eps is added, unlike F.normalize). The
// forward is the reference's; the backward of an all-zero row is 0 instead
// of PyTorch's NaN (specs/cut.md C8, see tensor.Norm2).
func CUTNormalize(x *tensor.Tensor) *tensor.Tensor {
	norm := tensor.Norm2(x, 1)
	return tensor.Div(x, tensor.AddScalar(norm, 1e-7))
}

// L2Normalize is F.normalize(x, dim=ax): x / max(‖x‖₂, eps).
func L2Normalize(x *tensor.Tensor, ax int, eps float32) *tensor.Tensor {
	norm := tensor.Sqrt(tensor.SumAxes(tensor.Square(x), true, ax))
	return tensor.Div(x, tensor.ClampMin(norm, eps))
}

// PatchNCE is CUT's PatchNCELoss (models/patchnce.py) returning the loss of
// every row: query features q [N·P, D] against keys k [N·P, D] (k is
// detached). The positive of row i is k_i; the negatives are the other keys
// of the same image (batch blocks of P rows), or of the whole minibatch when
// allNegatives is set. Logits are [l_pos, l_neg]/T with the masked diagonal
// set to −10 before the division, as the reference does.
func PatchNCE(q, k *tensor.Tensor, batch int, T float32, allNegatives bool) *tensor.Tensor {
	k = tensor.Detach(k)
	rows, dim := q.Dim(0), q.Dim(1)
	lpos := tensor.SumAxes(tensor.Mul(q, k), true, 1) // [rows, 1]
	b := batch
	if allNegatives {
		b = 1
	}
	p := rows / b
	qb := tensor.Reshape(q, b, p, dim)
	kb := tensor.Reshape(k, b, p, dim)
	lneg := tensor.MatMul(qb, tensor.Transpose(kb, 1, 2)) // [b, p, p]
	keep := tensor.Full(1, p, p)
	fill := tensor.New(p, p)
	for i := 0; i < p; i++ {
		keep.Data[i*p+i] = 0
		fill.Data[i*p+i] = -10
	}
	lneg = tensor.Reshape(tensor.Add(tensor.Mul(lneg, keep), fill), rows, p)
	logits := tensor.MulScalar(tensor.Cat(1, lpos, lneg), 1/T)
	// cross_entropy(·, 0, reduction='none') = −log_softmax(·)[:, 0]
	return tensor.Neg(tensor.Reshape(tensor.Slice(tensor.LogSoftmax(logits, 1), 1, 0, 1), rows))
}
