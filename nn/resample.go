package nn

import "i2i/tensor"

// Downsample is the anti-aliased stride-2 blur of CUT (models/networks.py
// Downsample, reused by InstaFormer): reflection pad 1, depthwise 3×3
// [1,2,1]⊗[1,2,1]/16 at stride 2. The filter is kept as the state_dict
// buffer "filt" [C, 1, 3, 3] for loading; the forward pass uses the
// separable form, which is the same filter.
type Downsample struct {
	Base
	Filt *tensor.Tensor
}

// NewDownsample builds a Downsample for c channels.
func NewDownsample(c int) *Downsample {
	d := &Downsample{}
	k := [3]float32{1, 2, 1}
	f := tensor.New(c, 1, 3, 3)
	for ch := 0; ch < c; ch++ {
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				f.Data[ch*9+i*3+j] = k[i] * k[j] / 16
			}
		}
	}
	d.Filt = d.Buffer("filt", f)
	return d
}

// Forward halves the last two axes (rounding up).
func (d *Downsample) Forward(x *tensor.Tensor) *tensor.Tensor { return tensor.BlurDown2(x) }

// Upsample is the anti-aliased ×2 upsampler of CUT: replicate pad 1, a
// depthwise transposed conv with 4·[1,3,3,1]⊗[1,3,3,1]/64 at stride 2 and a
// one-pixel crop, which is exactly bilinear ×2 with align_corners=False
// (specs/cut.md §2). The filter is the buffer "filt" [C, 1, 4, 4].
type Upsample struct {
	Base
	Filt *tensor.Tensor
}

// NewUpsample builds an Upsample for c channels.
func NewUpsample(c int) *Upsample {
	u := &Upsample{}
	k := [4]float32{1, 3, 3, 1}
	f := tensor.New(c, 1, 4, 4)
	for ch := 0; ch < c; ch++ {
		for i := 0; i < 4; i++ {
			for j := 0; j < 4; j++ {
				f.Data[ch*16+i*4+j] = 4 * k[i] * k[j] / 64
			}
		}
	}
	u.Filt = u.Buffer("filt", f)
	return u
}

// Forward doubles the last two axes.
func (u *Upsample) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.UpsampleBilinear(x, 2*x.Dim(-2), 2*x.Dim(-1))
}
