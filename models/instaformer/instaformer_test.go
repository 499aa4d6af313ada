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

// With MaskPadding, padding box slots do not influence the patch tokens;
// without it (the code) they do (Q4).
func TestMaskPaddingBoxes(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	a := NewAggregator(8, 16, 16, 1, 2, 16, rng)
	a.Transformer.AssignAdaIN(tensor.Randn(rng, 1, 32))
	x := tensor.Randn(rng, 1, 8, 16, 16)
	box1 := tensor.FromSlice([]float32{1, 0.1, 0.2, 0.5, 0.6, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0}, 1, 3, 5)
	box2 := tensor.FromSlice([]float32{1, 0.1, 0.2, 0.5, 0.6, -1, 1, 0, 1, 0, -1, 0.3, 0.3, 0.9, 0.9}, 1, 3, 5)
	diff := func() float32 {
		var d float32
		tensor.NoGrad(func() {
			p1, _ := a.Forward(x, box1)
			p2, _ := a.Forward(x, box2)
			for i := range p1.Data {
				d = max(d, p1.Data[i]-p2.Data[i], p2.Data[i]-p1.Data[i])
			}
		})
		return d
	}
	if d := diff(); d == 0 {
		t.Fatal("without masking, padding slots should change the patch tokens")
	}
	a.MaskPadding = true
	if d := diff(); d > 1e-5 {
		t.Fatalf("with masking, padding slots changed the patch tokens by %g", d)
	}
}
