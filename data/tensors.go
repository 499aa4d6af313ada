package data

import (
	"image"

	"i2i/tensor"
)

// ToCHW writes the RGB of img into dst (3×H×W) scaled to [−1, 1], as
// torchvision's ToTensor then Normalize(0.5, 0.5) do.
func ToCHW(img *image.RGBA, dst []float32) {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				dst[c*w*h+y*w+x] = float32(row[4*x+c])/127.5 - 1
			}
		}
	}
}

// ImageTensor converts images of one size into a [B, 3, H, W] tensor in [−1, 1].
func ImageTensor(imgs []*image.RGBA) *tensor.Tensor {
	w, h := imgs[0].Bounds().Dx(), imgs[0].Bounds().Dy()
	t := tensor.New(len(imgs), 3, h, w)
	for i, img := range imgs {
		ToCHW(img, t.Data[i*3*h*w:(i+1)*3*h*w])
	}
	return t
}

// FromCHW converts a 3×H×W slice in [−1, 1] back to an image, clamping.
func FromCHW(src []float32, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			o := img.PixOffset(x, y)
			for c := 0; c < 3; c++ {
				v := (src[c*w*h+y*w+x] + 1) * 127.5
				img.Pix[o+c] = uint8(min(max(v+0.5, 0), 255))
			}
			img.Pix[o+3] = 255
		}
	}
	return img
}

// BoxTensor packs each image's boxes into a [B, maxBoxes, 5] tensor of rows
// (class, x1, y1, x2, y2) with coordinates divided by the image size w×h;
// unused rows are (−1, 0, 0, 0, 0), the padding InstaFormer expects. Boxes
// beyond maxBoxes are left out and counted in truncated.
func BoxTensor(boxes [][]Box, maxBoxes, w, h int) (t *tensor.Tensor, truncated int) {
	t = tensor.New(len(boxes), maxBoxes, 5)
	for i, bs := range boxes {
		for j := 0; j < maxBoxes; j++ {
			row := t.Data[(i*maxBoxes+j)*5:]
			if j >= len(bs) {
				row[0] = -1
				continue
			}
			b := bs[j]
			row[0], row[1], row[2] = float32(b.Class), float32(b.X1/float64(w)), float32(b.Y1/float64(h))
			row[3], row[4] = float32(b.X2/float64(w)), float32(b.Y2/float64(h))
		}
		truncated += max(0, len(bs)-maxBoxes)
	}
	return t, truncated
}

// ClassMasks paints each image's boxes (in pixels of a w×h image) into a
// [B, 1+NumClasses, fh, fw] mask at feature resolution: channel 1..3 is 1
// where the centre of a feature cell lies inside a box of that class, and
// channel 0 (background) is 1 where no class is. Class channels may overlap.
func ClassMasks(boxes [][]Box, w, h, fw, fh int) *tensor.Tensor {
	const c = 1 + NumClasses
	t := tensor.New(len(boxes), c, fh, fw)
	sx, sy := float64(w)/float64(fw), float64(h)/float64(fh)
	for i, bs := range boxes {
		m := t.Data[i*c*fh*fw : (i+1)*c*fh*fw]
		for _, b := range bs {
			if !b.Class.Valid() {
				continue
			}
			// Cells whose centre (x+½)·sx lies in [X1, X2).
			x0, x1 := cellRange(b.X1, b.X2, sx, fw)
			y0, y1 := cellRange(b.Y1, b.Y2, sy, fh)
			plane := m[int(b.Class)*fh*fw:]
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					plane[y*fw+x] = 1
				}
			}
		}
		for p := 0; p < fh*fw; p++ {
			if m[fh*fw+p] == 0 && m[2*fh*fw+p] == 0 && m[3*fh*fw+p] == 0 {
				m[p] = 1
			}
		}
	}
	return t
}

// cellRange is the cells [lo, hi) whose centres (i+½)·s lie in [a, b).
func cellRange(a, b, s float64, n int) (lo, hi int) {
	lo = max(0, ceilInt(a/s-0.5))
	hi = min(n, ceilInt(b/s-0.5))
	return lo, max(lo, hi)
}

func ceilInt(v float64) int {
	i := int(v)
	if float64(i) < v {
		i++
	}
	return i
}
