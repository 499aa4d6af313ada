package cut

import (
	"math/rand/v2"
	"testing"

	"i2i/tensor"
)

func TestImagePool(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	p := NewImagePool(2)
	x := tensor.Randn(rng, 2, 3, 4, 4)
	if got := p.Query(x, rng); got.Data[5] != x.Data[5] || len(p.Images) != 2 {
		t.Fatal("a filling pool must return its input")
	}
	// Once full, each returned image is the new one or a stored one.
	y := tensor.Randn(rng, 2, 3, 4, 4)
	st := p.State()
	old := map[float32]bool{}
	for _, img := range st {
		old[img.Data[0]] = true
	}
	got := p.Query(y, rng)
	for i := 0; i < 2; i++ {
		v := got.Data[i*48]
		if v != y.Data[i*48] && !old[v] {
			t.Fatalf("image %d is neither new nor from the pool", i)
		}
	}
	q := NewImagePool(2)
	if err := q.LoadState(p.State()); err != nil || len(q.Images) != 2 || q.Images[1].Data[7] != p.Images[1].Data[7] {
		t.Fatalf("state round trip: %v", err)
	}
	if NewImagePool(0).Query(y, rng) != y {
		t.Fatal("a disabled pool must pass images through")
	}
}

func TestFlipTwiceIsIdentity(t *testing.T) {
	x := tensor.Randn(rand.New(rand.NewPCG(2, 2)), 1, 2, 3, 5)
	y := flipW(x)
	if y.Data[0] != x.Data[4] {
		t.Fatal("flipW does not mirror W")
	}
	z := flipW(y)
	for i := range x.Data {
		if z.Data[i] != x.Data[i] {
			t.Fatal("flipping twice changed the tensor")
		}
	}
}

func TestNCELayerOutOfRange(t *testing.T) {
	c, _ := Default("cut", 32)
	c.NGF, c.Blocks, c.NDF, c.NetFNC, c.NumPatches = 4, 1, 4, 8, 8
	c.NCELayers = []int{0, 40}
	if _, err := New(c, rand.New(rand.NewPCG(3, 3))); err == nil {
		t.Fatal("an NCE layer past the generator was accepted")
	}
	if _, err := Default("pix2pix", 64); err == nil {
		t.Fatal("unknown mode accepted")
	}
}
