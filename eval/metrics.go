package eval

import (
	"image"
	"math"

	"i2i/data"
)

// Planes is an RGB image as three float64 planes in [0, 1].
type Planes struct {
	W, H int
	C    [3][]float64
}

// FromImage converts an image to planes.
func FromImage(img image.Image) *Planes {
	b := img.Bounds()
	p := &Planes{W: b.Dx(), H: b.Dy()}
	for c := range p.C {
		p.C[c] = make([]float64, p.W*p.H)
	}
	rgba, ok := img.(*image.RGBA)
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			var r, g, bl uint32
			if ok {
				o := rgba.PixOffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl = uint32(rgba.Pix[o])*257, uint32(rgba.Pix[o+1])*257, uint32(rgba.Pix[o+2])*257
			} else {
				r, g, bl, _ = img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			}
			i := y*p.W + x
			p.C[0][i], p.C[1][i], p.C[2][i] = float64(r)/65535, float64(g)/65535, float64(bl)/65535
		}
	}
	return p
}

// Mask marks the pixels of a region; nil means the whole image.
type Mask []bool

// BoxMask marks the pixels whose centres lie inside any box of class
// (boxes in pixels of a w×h image).
func BoxMask(boxes []data.Box, class data.Class, w, h int) (Mask, int) {
	m := make(Mask, w*h)
	n := 0
	for _, b := range boxes {
		if b.Class != class {
			continue
		}
		x0, x1 := max(int(math.Ceil(b.X1-0.5)), 0), min(int(math.Ceil(b.X2-0.5)), w)
		y0, y1 := max(int(math.Ceil(b.Y1-0.5)), 0), min(int(math.Ceil(b.Y2-0.5)), h)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if !m[y*w+x] {
					m[y*w+x] = true
					n++
				}
			}
		}
	}
	return m, n
}

// Scores are the errors of a prediction inside a region.
type Scores struct {
	L1   float64 `json:"l1"`   // mean absolute error, [0, 1] pixel units
	PSNR float64 `json:"psnr"` // 10·log10(1/MSE) in dB (capped at 100 for MSE 0)
	SSIM float64 `json:"ssim"` // mean SSIM (Gaussian window 11, σ 1.5)
}

// Compare scores pred against gt inside mask (nil: everywhere), with the
// SSIM map computed once per pair by the caller (SSIMMap).
func Compare(pred, gt *Planes, ssim []float64, mask Mask) Scores {
	var l1, se, ss float64
	n := 0
	for i := 0; i < pred.W*pred.H; i++ {
		if mask != nil && !mask[i] {
			continue
		}
		for c := 0; c < 3; c++ {
			d := pred.C[c][i] - gt.C[c][i]
			l1 += math.Abs(d)
			se += d * d
		}
		ss += ssim[i]
		n++
	}
	if n == 0 {
		return Scores{}
	}
	mse := se / float64(3*n)
	psnr := 100.0
	if mse > 0 {
		psnr = min(100, 10*math.Log10(1/mse))
	}
	return Scores{L1: l1 / float64(3*n), PSNR: psnr, SSIM: ss / float64(n)}
}

// SSIMMap returns the per-pixel SSIM of a against b averaged over the
// channels (Wang et al. 2004: Gaussian window 11×11, σ 1.5, K1 0.01, K2
// 0.03, dynamic range 1). Near the borders the window is cut to the image
// and renormalised, so every pixel has a value and regions near the edge
// can be scored.
func SSIMMap(a, b *Planes) []float64 {
	const c1, c2 = 0.01 * 0.01, 0.03 * 0.03
	w, h := a.W, a.H
	k := gaussian(11, 1.5)
	out := make([]float64, w*h)
	blur := func(src []float64) []float64 { return separable(src, w, h, k) }
	for c := 0; c < 3; c++ {
		x, y := a.C[c], b.C[c]
		xx, yy, xy := make([]float64, w*h), make([]float64, w*h), make([]float64, w*h)
		for i := range x {
			xx[i], yy[i], xy[i] = x[i]*x[i], y[i]*y[i], x[i]*y[i]
		}
		mx, my, sxx, syy, sxy := blur(x), blur(y), blur(xx), blur(yy), blur(xy)
		for i := range out {
			vx, vy, cov := sxx[i]-mx[i]*mx[i], syy[i]-my[i]*my[i], sxy[i]-mx[i]*my[i]
			out[i] += ((2*mx[i]*my[i] + c1) * (2*cov + c2)) / ((mx[i]*mx[i] + my[i]*my[i] + c1) * (vx + vy + c2)) / 3
		}
	}
	return out
}

func gaussian(n int, sigma float64) []float64 {
	k := make([]float64, n)
	var s float64
	for i := range k {
		d := float64(i - n/2)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		s += k[i]
	}
	for i := range k {
		k[i] /= s
	}
	return k
}

// separable filters src with k along both axes, renormalising the weights
// that fall inside the image.
func separable(src []float64, w, h int, k []float64) []float64 {
	tmp := make([]float64, w*h)
	out := make([]float64, w*h)
	for y := 0; y < h; y++ { // rows: n = w samples 1 apart
		filter1D(src[y*w:], tmp[y*w:], w, 1, k)
	}
	for x := 0; x < w; x++ { // columns: n = h samples w apart
		filter1D(tmp[x:], out[x:], h, w, k)
	}
	return out
}

// filter1D filters the n samples src[0], src[step], … into dst likewise.
func filter1D(src, dst []float64, n, step int, k []float64) {
	r := len(k) / 2
	for i := 0; i < n; i++ {
		var s, ws float64
		for j := max(-r, -i); j <= min(r, n-1-i); j++ {
			s += k[j+r] * src[(i+j)*step]
			ws += k[j+r]
		}
		dst[i*step] = s / ws
	}
}
