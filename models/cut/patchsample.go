package cut

import (
	"fmt"
	"math/rand/v2"

	"i2i/nn"
	"i2i/tensor"
)

// PatchSampleF is the patch-sampling projection head F (netF mlp_sample,
// InstaFormer's MLP_Head): for each feature map it picks the same random
// positions in every image of the batch and maps the feature vectors through
// mlp_<i> = Linear(C_i, nc), ReLU, Linear(nc, nc), then L2-normalises them.
//
// The reference creates the MLPs lazily on the first forward (spec C6, Q9);
// here Create builds them once the feature channels are known.
type PatchSampleF struct {
	nn.Base
	NC   int
	MLPs []*nn.Sequential
}

// NewPatchSampleF returns an empty head of width nc; call Create.
func NewPatchSampleF(nc int) *PatchSampleF { return &PatchSampleF{NC: nc} }

// Create builds one MLP per feature map with the given channel counts and
// initialises them as init_net(xavier, 0.02) does.
func (f *PatchSampleF) Create(channels []int, rng *rand.Rand) {
	for i, c := range channels {
		mlp := nn.NewSequential(nn.NewLinear(c, f.NC, true, rng), nn.ReLU(), nn.NewLinear(f.NC, f.NC, true, rng))
		f.Child(fmt.Sprintf("mlp_%d", i), mlp)
		f.MLPs = append(f.MLPs, mlp)
	}
	nn.InitNet(f, "xavier", 0.02, rng)
}

// Created reports whether the MLPs exist.
func (f *PatchSampleF) Created() bool { return len(f.MLPs) > 0 }

// DrawIDs draws min(numPatches, H·W) distinct positions of an H·W map in
// random order (torch.randperm(H·W)[:P]).
func DrawIDs(hw, numPatches int, rng *rand.Rand) []int {
	perm := rng.Perm(hw)
	return perm[:min(numPatches, hw)]
}

// Forward samples each feature map feats[i] [B, C_i, H, W] at ids[i] (drawn
// from rng when ids is nil or ids[i] is nil) and returns the normalised
// projections [B·P, nc] (row b·P + j) and the ids used.
func (f *PatchSampleF) Forward(feats []*tensor.Tensor, numPatches int, ids [][]int, rng *rand.Rand) ([]*tensor.Tensor, [][]int) {
	if len(feats) != len(f.MLPs) {
		panic(fmt.Sprintf("cut: PatchSampleF has %d MLPs, got %d feature maps", len(f.MLPs), len(feats)))
	}
	out := make([]*tensor.Tensor, len(feats))
	used := make([][]int, len(feats))
	for i, x := range feats {
		hw := x.Dim(2) * x.Dim(3)
		var id []int
		if ids != nil && ids[i] != nil {
			id = ids[i]
		} else {
			id = DrawIDs(hw, numPatches, rng)
		}
		s := SamplePositions(x, id)
		s = f.MLPs[i].Forward(s)
		out[i] = nn.CUTNormalize(s)
		used[i] = id
	}
	return out, used
}

// SamplePositions gathers x [B, C, H, W] at flat positions ids (y·W + x)
// into rows [B·P, C], row b·P + j holding image b at ids[j].
func SamplePositions(x *tensor.Tensor, ids []int) *tensor.Tensor {
	b, c, hw := x.Dim(0), x.Dim(1), x.Dim(2)*x.Dim(3)
	s := tensor.IndexSelect(tensor.Reshape(x, b, c, hw), 2, ids) // [B, C, P]
	return tensor.Reshape(tensor.Permute(s, 0, 2, 1), b*len(ids), c)
}
