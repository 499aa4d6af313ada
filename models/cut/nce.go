package cut

import (
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// NCEConfig are the PatchNCE settings shared by CUT and InstaFormer.
type NCEConfig struct {
	NumPatches   int
	T            float32 // temperature nce_T
	AllNegatives bool    // nce_includes_all_negatives_from_minibatch
}

// MultilayerNCE is calculate_NCE_loss / compute_NCE_loss: positions are
// drawn on the source (key) features, the same positions are taken on the
// query features (of the generated image), both go through F, and the
// per-layer PatchNCE means are averaged over the layers. weight multiplies
// each layer's loss before the mean (λ_NCE in CUT, spec C5). ids replays
// stored draws (nil draws from rng); the ids used are returned.
func MultilayerNCE(q, k []*tensor.Tensor, f *PatchSampleF, c NCEConfig, weight float32, ids [][]int, rng *rand.Rand) (*tensor.Tensor, [][]int) {
	kPool, used := f.Forward(k, c.NumPatches, ids, rng)
	qPool, _ := f.Forward(q, c.NumPatches, used, rng)
	var terms []*tensor.Tensor
	for l := range qPool {
		batch := q[l].Dim(0) // the true batch size (spec C9)
		loss := tensor.Mean(nn.PatchNCE(qPool[l], kPool[l], batch, c.T, c.AllNegatives))
		if weight != 1 {
			loss = tensor.MulScalar(loss, weight)
		}
		terms = append(terms, loss)
	}
	return tensor.MulScalar(tensor.AddN(terms...), 1/float32(len(terms))), used
}
