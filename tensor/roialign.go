package tensor

import (
	"fmt"
	"math"
)

// RoIAlignOpts configure RoIAlign as torchvision.ops.roi_align (0.14).
type RoIAlignOpts struct {
	OutH, OutW   int
	SpatialScale float32
	// SamplingRatio is the number of samples per bin and axis; ≤ 0 means
	// ceil(roi size / output size), chosen per box.
	SamplingRatio int
	// Aligned shifts boxes by −0.5 pixel; without it roi sizes are clamped to 1.
	Aligned bool
}

// RoIAlign pools x [N, C, H, W] inside boxes [K, 5] (batch index, x1, y1,
// x2, y2 in input coordinates) into [K, C, OutH, OutW] by averaging bilinear
// samples, with torchvision's exact geometry in float32: samples outside
// [−1, H]×[−1, W] add 0 but still count in the average.
func RoIAlign(x *Tensor, boxes *Tensor, o RoIAlignOpts) *Tensor {
	n, c, h, w := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	k := boxes.shape[0]
	out := New(k, c, o.OutH, o.OutW)
	plans := make([]roiPlan, k)
	for b := 0; b < k; b++ {
		row := boxes.Data[b*5 : b*5+5]
		bi := int(row[0])
		if bi < 0 || bi >= n {
			panic(fmt.Sprintf("tensor: roi_align box %d has batch index %v for batch %d", b, row[0], n))
		}
		plans[b] = planRoI(row, h, w, o)
	}
	for b, p := range plans {
		img := x.Data[p.batch*c*h*w:]
		for ch := 0; ch < c; ch++ {
			plane := img[ch*h*w:]
			dst := out.Data[(b*c+ch)*o.OutH*o.OutW:]
			p.each(func(bin int, s sample) {
				dst[bin] += (s.w[0]*plane[s.idx[0]] + s.w[1]*plane[s.idx[1]] + s.w[2]*plane[s.idx[2]] + s.w[3]*plane[s.idx[3]]) / p.count
			})
		}
	}
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		for b, p := range plans {
			img := gx[p.batch*c*h*w:]
			for ch := 0; ch < c; ch++ {
				plane := img[ch*h*w:]
				src := g[(b*c+ch)*o.OutH*o.OutW:]
				p.each(func(bin int, s sample) {
					v := src[bin] / p.count
					for t := 0; t < 4; t++ {
						plane[s.idx[t]] += s.w[t] * v
					}
				})
			}
		}
	}, x)
}

// sample is one bilinear sample: four pixel offsets and weights.
type sample struct {
	idx [4]int
	w   [4]float32
}

// roiPlan lists the samples of every output bin of one box.
type roiPlan struct {
	batch   int
	count   float32
	samples [][]sample // per bin
}

func (p roiPlan) each(fn func(bin int, s sample)) {
	for bin, ss := range p.samples {
		for _, s := range ss {
			fn(bin, s)
		}
	}
}

func planRoI(row []float32, h, w int, o RoIAlignOpts) roiPlan {
	var off float32
	if o.Aligned {
		off = 0.5
	}
	x1 := row[1]*o.SpatialScale - off
	y1 := row[2]*o.SpatialScale - off
	x2 := row[3]*o.SpatialScale - off
	y2 := row[4]*o.SpatialScale - off
	rw, rh := x2-x1, y2-y1
	if !o.Aligned {
		rw, rh = max(rw, 1), max(rh, 1)
	}
	bh, bw := rh/float32(o.OutH), rw/float32(o.OutW)
	gh, gw := o.SamplingRatio, o.SamplingRatio
	if o.SamplingRatio <= 0 {
		gh = int(math.Ceil(float64(rh / float32(o.OutH))))
		gw = int(math.Ceil(float64(rw / float32(o.OutW))))
	}
	p := roiPlan{batch: int(row[0]), count: float32(max(gh*gw, 1)), samples: make([][]sample, o.OutH*o.OutW)}
	for ph := 0; ph < o.OutH; ph++ {
		for pw := 0; pw < o.OutW; pw++ {
			var ss []sample
			for iy := 0; iy < gh; iy++ {
				y := y1 + float32(ph)*bh + (float32(iy)+0.5)*bh/float32(gh)
				for ix := 0; ix < gw; ix++ {
					x := x1 + float32(pw)*bw + (float32(ix)+0.5)*bw/float32(gw)
					if s, ok := bilinearSample(y, x, h, w); ok {
						ss = append(ss, s)
					}
				}
			}
			p.samples[ph*o.OutW+pw] = ss
		}
	}
	return p
}

// bilinearSample follows torchvision's bilinear_interpolate.
func bilinearSample(y, x float32, h, w int) (sample, bool) {
	if y < -1 || y > float32(h) || x < -1 || x > float32(w) {
		return sample{}, false
	}
	y, x = max(y, 0), max(x, 0)
	yl, xl := int(y), int(x)
	var yh, xh int
	if yl >= h-1 {
		yl, yh, y = h-1, h-1, float32(h-1)
	} else {
		yh = yl + 1
	}
	if xl >= w-1 {
		xl, xh, x = w-1, w-1, float32(w-1)
	} else {
		xh = xl + 1
	}
	ly, lx := y-float32(yl), x-float32(xl)
	hy, hx := 1-ly, 1-lx
	return sample{
		idx: [4]int{yl*w + xl, yl*w + xh, yh*w + xl, yh*w + xh},
		w:   [4]float32{hy * hx, hy * lx, ly * hx, ly * lx},
	}, true
}
