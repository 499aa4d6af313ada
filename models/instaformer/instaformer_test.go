package instaformer

import (
	"math/rand/v2"
	"strings"
	"testing"

	"i2i/tensor"
)

func TestAdaINAssignment(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const e, depth = 8, 3
	tr := NewTransformer(e, depth, 2, 4, 16, rng)
	// The code's default: a 2E-wide output gives every layer the same pair (Q1).
	p := tensor.Randn(rng, 2, 2*e)
	tr.AssignAdaIN(p)
	for _, blk := range tr.blocks {
		for _, l := range blk {
			if l.norm.bias.Data[3] != p.Data[3] || l.norm.weight.Data[0] != p.Data[e] {
				t.Fatal("shared AdaIN parameters differ between layers")
			}
		}
	}
	// The paper/MUNIT option: one [bias | weight] slice per layer, in order.
	p = tensor.Randn(rng, 2, 2*e*2*depth)
	tr.AssignAdaIN(p)
	row := p.Dim(1)
	for i, blk := range tr.blocks {
		for j, l := range blk {
			off := (2*i + j) * 2 * e
			if l.norm.bias.Data[e+1] != p.Data[row+off+1] || l.norm.weight.Data[0] != p.Data[off+e] {
				t.Fatalf("block %d norm %d does not read its own slice at %d", i, j, off)
			}
		}
	}
}

func TestPerLayerAdaINModelRuns(t *testing.T) {
	c := DefaultConfig(64)
	c.NGF, c.Embed, c.Depth, c.Heads, c.FFDim, c.MLPDim, c.NDF, c.HeadNC, c.InstHeadNC = 4, 32, 2, 2, 32, 16, 4, 16, 16
	c.PerLayerAdaIN = true
	rng := rand.New(rand.NewPCG(2, 2))
	m, err := New(c, rng)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.MLP.Model.Layers[2].(*LinearBlock).FC.Weight.Dim(0); got != 2*32*2*2 {
		t.Fatalf("mapping MLP output %d, want 2·E·2·depth = 256", got)
	}
	x := tensor.Randn(rng, 1, 3, 64, 64)
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = m.TranslateLike(x, x) })
	if s := y.Shape(); s[2] != 64 || s[3] != 64 || y.HasNaN() {
		t.Fatalf("output %v", s)
	}
}

func TestBadInputsAreRejected(t *testing.T) {
	box := tensor.FromSlice([]float32{1, 0.1, 0.2, 1.2, 0.5}, 1, 1, 5)
	if err := CheckBoxes(box); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("box past 1: %v", err)
	}
	if err := CheckBoxes(tensor.New(2, 5)); err == nil {
		t.Error("a 2-D box tensor was accepted")
	}
	for _, mut := range []func(*Config){
		func(c *Config) { c.ImageSize = 100 },
		func(c *Config) { c.Embed = 100 },
		func(c *Config) { c.Depth = 0 },
	} {
		c := DefaultConfig(128)
		mut(&c)
		if c.Validate() == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}
