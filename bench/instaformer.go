package bench

import (
	"math/rand/v2"

	"i2i/models/instaformer"
	"i2i/nn"
	"i2i/tensor"
)

// benchBoxes is the peer's 1×nb×5 box tensor: `valid` random boxes of
// class 0, the rest padding rows (−1, 0, 0, 0, 0).
func benchBoxes(nb, valid int, rng *rand.Rand) *tensor.Tensor {
	b := tensor.New(1, nb, 5)
	for i := 0; i < nb; i++ {
		r := b.Data[i*5 : i*5+5]
		if i >= valid {
			r[0] = -1
			continue
		}
		x := [2]float32{rng.Float32(), rng.Float32()}
		y := [2]float32{rng.Float32(), rng.Float32()}
		r[1], r[2], r[3], r[4] = min(x[0], x[1]), min(y[0], y[1]), max(x[0], x[1]), max(y[0], y[1])
	}
	return b
}

// benchInstaFormer times one training step of InstaFormer at the spec's
// default widths on 1×3×128×128 (D update, then G and F update with every
// loss) and the test-time forward (random style, no boxes).
func benchInstaFormer(out map[string]any, o Options) error {
	rng := rand.New(rand.NewPCG(4, 4))
	m, err := instaformer.New(instaformer.DefaultConfig(128), rng)
	if err != nil {
		return err
	}
	g := 0
	for _, mod := range m.Generator() {
		g += nn.NumParams(mod)
	}
	out["instaformer_params_g"] = g
	out["instaformer_params_d"] = nn.NumParams(m.D)
	tr := instaformer.NewTrainer(m)
	a, b := tensor.New(1, 3, 128, 128), tensor.New(1, 3, 128, 128)
	nn.InitUniform(a, -1, 1, rng)
	nn.InitUniform(b, -1, 1, rng)
	boxA, boxB := benchBoxes(20, 5, rng), benchBoxes(20, 5, rng)
	var stepErr error
	out["instaformer_train_step_s"] = median(o, func() {
		if _, _, err := tr.Step(a, b, boxA, boxB, rng); err != nil {
			stepErr = err
		}
	})
	if stepErr != nil {
		return stepErr
	}
	out["instaformer_forward_s"] = median(o, func() {
		tensor.NoGrad(func() { m.Translate(a, m.RandomStyle(1, rng), nil) })
	})
	return nil
}
