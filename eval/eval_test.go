package eval

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"i2i/data"
)

func randomPlanes(w, h int, rng *rand.Rand) *Planes {
	p := &Planes{W: w, H: h}
	for c := range p.C {
		p.C[c] = make([]float64, w*h)
		for i := range p.C[c] {
			p.C[c][i] = rng.Float64()
		}
	}
	return p
}

func TestMetricsOnKnownPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := randomPlanes(20, 16, rng)
	s := Compare(a, a, SSIMMap(a, a), nil)
	if s.L1 != 0 || s.PSNR != 100 || math.Abs(s.SSIM-1) > 1e-12 {
		t.Fatalf("identical images: %+v", s)
	}
	b := &Planes{W: a.W, H: a.H}
	for c := range b.C {
		b.C[c] = make([]float64, len(a.C[c]))
		for i, v := range a.C[c] {
			b.C[c][i] = v + 0.1
		}
	}
	s = Compare(b, a, SSIMMap(b, a), nil)
	if math.Abs(s.L1-0.1) > 1e-12 || math.Abs(s.PSNR-20) > 1e-9 {
		t.Fatalf("shift by 0.1: L1 %v (want 0.1), PSNR %v (want 20 dB)", s.L1, s.PSNR)
	}
	noise := randomPlanes(20, 16, rng)
	if sn := Compare(noise, a, SSIMMap(noise, a), nil); sn.SSIM > 0.2 || sn.SSIM >= s.SSIM {
		t.Fatalf("SSIM of unrelated noise %v should be near 0 and below a shifted copy's %v", sn.SSIM, s.SSIM)
	}
}

func TestBoxMaskAndRegions(t *testing.T) {
	boxes := []data.Box{{Class: data.Car, X1: 2, Y1: 1, X2: 6, Y2: 4}, {Class: data.Car, X1: 4, Y1: 1, X2: 8, Y2: 4}, {Class: data.Sign, X1: 0, Y1: 0, X2: 1, Y2: 1}}
	_, n := BoxMask(boxes, data.Car, 10, 10)
	if n != 6*3 { // union of x 2..8, y 1..4
		t.Fatalf("car mask has %d pixels, want 18", n)
	}
	if _, n := BoxMask(boxes, data.Person, 10, 10); n != 0 {
		t.Fatalf("no person boxes but %d pixels", n)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	gt := randomPlanes(10, 10, rng)
	r := NewReport("same", "noise")
	if err := r.Add(map[string]*Planes{"same": gt, "noise": randomPlanes(10, 10, rng)}, gt, boxes); err != nil {
		t.Fatal(err)
	}
	if r.Counts["car"] != 1 || r.Counts["person"] != 0 || r.Scores["same"]["car"].L1 != 0 || r.Scores["noise"]["car"].L1 == 0 {
		t.Fatalf("report: %+v", r)
	}
	var sb strings.Builder
	r.WriteTable(&sb)
	if !strings.Contains(sb.String(), "car") || strings.Contains(sb.String(), "person") {
		t.Fatalf("table:\n%s", sb.String())
	}
	if err := r.Add(map[string]*Planes{"same": gt}, gt, nil); err == nil {
		t.Fatal("a missing method was accepted")
	}
}

func TestColourTransferMatchesTargetStatistics(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := randomPlanes(32, 32, rng)
	for i := range p.C[0] {
		p.C[0][i] = 0.25 + 0.5*p.C[0][i] // a narrower red channel, in range
	}
	target := ColourStats{Mean: [3]float64{0.3, 0.4, 0.5}, Std: [3]float64{0.1, 0.05, 0.2}}
	var acc ColourAccumulator
	acc.Add(ColourTransfer(p, target))
	got := acc.Stats()
	for c := 0; c < 3; c++ {
		if math.Abs(got.Mean[c]-target.Mean[c]) > 1e-3 || math.Abs(got.Std[c]-target.Std[c]) > 2e-3 {
			t.Errorf("channel %d: mean %.4f std %.4f, want %.4f %.4f", c, got.Mean[c], got.Std[c], target.Mean[c], target.Std[c])
		}
	}
}
