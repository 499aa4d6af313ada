package instaformer

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"i2i/tensor"
)

// BenchmarkTrainStep times one training step of the demo's model (96 px,
// reduced widths).
func BenchmarkTrainStep(b *testing.B) {
	for _, v := range []struct{ size, ngf int }{{96, 16}, {96, 8}, {128, 8}} {
		b.Run(fmt.Sprintf("%dpx_ngf%d", v.size, v.ngf), func(b *testing.B) { benchStep(b, v.size, v.ngf) })
	}
}

func benchStep(b *testing.B, size, ngf int) {
	c := DefaultConfig(size)
	c.NGF, c.Embed, c.Depth, c.Heads, c.FFDim, c.MLPDim = ngf, 512, 2, 4, 512, 64
	c.NDF, c.HeadNC, c.InstHeadNC, c.NumPatches, c.NumBox = 16, 64, 32, 64, 8
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := New(c, rng)
	if err != nil {
		b.Fatal(err)
	}
	tr := NewTrainer(m)
	a, bb := tensor.Randn(rng, 1, 3, size, size), tensor.Randn(rng, 1, 3, size, size)
	box := tensor.FromSlice([]float32{1, 0.1, 0.5, 0.3, 0.8, 3, 0.6, 0.4, 0.7, 0.9, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0,
		-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0}, 1, 8, 5)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := tr.Step(a, bb, box, box, rng); err != nil {
			b.Fatal(err)
		}
	}
}
