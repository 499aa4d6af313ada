package eval

import "math"

// ColourStats are per-channel means and standard deviations.
type ColourStats struct {
	Mean, Std [3]float64
}

// ColourAccumulator gathers the colour statistics of a set of images
// (the target domain's training images).
type ColourAccumulator struct {
	sum, sq [3]float64
	n       float64
}

// Add includes an image.
func (a *ColourAccumulator) Add(p *Planes) {
	for c := 0; c < 3; c++ {
		for _, v := range p.C[c] {
			a.sum[c] += v
			a.sq[c] += v * v
		}
	}
	a.n += float64(p.W * p.H)
}

// Stats returns the pooled statistics.
func (a *ColourAccumulator) Stats() ColourStats {
	var s ColourStats
	for c := 0; c < 3; c++ {
		s.Mean[c] = a.sum[c] / a.n
		s.Std[c] = math.Sqrt(max(a.sq[c]/a.n-s.Mean[c]*s.Mean[c], 0))
	}
	return s
}

// ColourTransfer is the global colour-transfer baseline: each channel of p
// is standardised with its own mean and deviation and given the target's
// (Reinhard et al. 2001, in RGB), clipped to [0, 1].
func ColourTransfer(p *Planes, target ColourStats) *Planes {
	var acc ColourAccumulator
	acc.Add(p)
	src := acc.Stats()
	out := &Planes{W: p.W, H: p.H}
	for c := 0; c < 3; c++ {
		out.C[c] = make([]float64, len(p.C[c]))
		scale := target.Std[c] / max(src.Std[c], 1e-6)
		for i, v := range p.C[c] {
			out.C[c][i] = min(max((v-src.Mean[c])*scale+target.Mean[c], 0), 1)
		}
	}
	return out
}
