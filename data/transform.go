package data

import (
	"image"
	"image/draw"
	"math/rand/v2"

	xdraw "golang.org/x/image/draw"
)

// ResizeImage scales img to w×h with x/image/draw's BiLinear filter, which
// widens its kernel when shrinking (like PIL's bilinear resize that
// torchvision's Resize uses), so downscaled images are anti-aliased.
func ResizeImage(img image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if img.Bounds().Dx() == w && img.Bounds().Dy() == h {
		draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Src)
		return dst
	}
	xdraw.BiLinear.Scale(dst, dst.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return dst
}

// Pipeline is the training-time transform of an image and its boxes:
// resize, then a random crop, then a random horizontal flip. Boxes follow
// the image; boxes cut by the crop are clipped, and boxes that end up too
// small or mostly outside the crop are dropped and counted.
type Pipeline struct {
	ResizeW, ResizeH int     // resize to this size first (0: keep)
	CropW, CropH     int     // random crop of this size (0: no crop)
	Flip             bool    // flip horizontally with probability ½
	MinBoxSize       float64 // drop boxes narrower or lower than this, in pixels
	MinVisible       float64 // drop boxes with less than this fraction of their area inside the crop
}

// Params are the random choices of one application of a Pipeline.
type Params struct {
	CropX, CropY int
	Flip         bool
}

// Draw makes the random choices for an image of size w×h (after resizing).
func (p Pipeline) Draw(w, h int, rng *rand.Rand) Params {
	var q Params
	if p.CropW > 0 && p.CropW < w {
		q.CropX = rng.IntN(w - p.CropW + 1)
	}
	if p.CropH > 0 && p.CropH < h {
		q.CropY = rng.IntN(h - p.CropH + 1)
	}
	if p.Flip {
		q.Flip = rng.IntN(2) == 1
	}
	return q
}

// Apply transforms img and its boxes with random choices from rng; dropped
// counts the boxes lost.
func (p Pipeline) Apply(img image.Image, boxes []Box, rng *rand.Rand) (out *image.RGBA, kept []Box, dropped int) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if p.ResizeW > 0 && p.ResizeH > 0 {
		boxes = ScaleBoxes(boxes, float64(p.ResizeW)/float64(w), float64(p.ResizeH)/float64(h))
		w, h = p.ResizeW, p.ResizeH
	}
	out = ResizeImage(img, w, h) // also copies an unscaled image into RGBA at the origin
	q := p.Draw(w, h, rng)
	cw, ch := w, h
	if p.CropW > 0 && p.CropW < w {
		cw = p.CropW
	}
	if p.CropH > 0 && p.CropH < h {
		ch = p.CropH
	}
	if cw != w || ch != h {
		out = out.SubImage(image.Rect(q.CropX, q.CropY, q.CropX+cw, q.CropY+ch)).(*image.RGBA)
	}
	// Without a crop this still clips boxes that stick out of the image.
	boxes, dropped = CropBoxes(boxes, q.CropX, q.CropY, cw, ch, p.MinVisible)
	if q.Flip {
		out = FlipImage(out)
		boxes = FlipBoxes(boxes, cw)
	}
	kept = boxes[:0:0]
	for _, b := range boxes {
		if b.W() < p.MinBoxSize || b.H() < p.MinBoxSize || b.W() <= 0 || b.H() <= 0 {
			dropped++
			continue
		}
		kept = append(kept, b)
	}
	if out.Bounds().Min != (image.Point{}) {
		out = ResizeImage(out, cw, ch) // re-base the sub-image at the origin
	}
	return out, kept, dropped
}

// ScaleBoxes returns the boxes with x scaled by sx and y by sy.
func ScaleBoxes(boxes []Box, sx, sy float64) []Box {
	out := make([]Box, len(boxes))
	for i, b := range boxes {
		out[i] = Box{b.Class, b.X1 * sx, b.Y1 * sy, b.X2 * sx, b.Y2 * sy}
	}
	return out
}

// CropBoxes moves boxes into the w×h window at (x0, y0) and clips them to
// it. A box keeping less than minVisible of its area, or none, is dropped.
func CropBoxes(boxes []Box, x0, y0, w, h int, minVisible float64) (kept []Box, dropped int) {
	for _, b := range boxes {
		area := b.Area()
		c := Box{b.Class, clamp(b.X1-float64(x0), 0, float64(w)), clamp(b.Y1-float64(y0), 0, float64(h)),
			clamp(b.X2-float64(x0), 0, float64(w)), clamp(b.Y2-float64(y0), 0, float64(h))}
		if c.Area() <= 0 || area <= 0 || c.Area() < minVisible*area {
			dropped++
			continue
		}
		kept = append(kept, c)
	}
	return kept, dropped
}

// FlipBoxes mirrors boxes in an image of width w.
func FlipBoxes(boxes []Box, w int) []Box {
	out := make([]Box, len(boxes))
	for i, b := range boxes {
		out[i] = Box{b.Class, float64(w) - b.X2, b.Y1, float64(w) - b.X1, b.Y2}
	}
	return out
}

// FlipImage mirrors img left to right.
func FlipImage(img *image.RGBA) *image.RGBA {
	r := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		src := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		dst := out.Pix[y*out.Stride:]
		for x := 0; x < r.Dx(); x++ {
			copy(dst[4*(r.Dx()-1-x):4*(r.Dx()-x)], src[4*x:4*x+4])
		}
	}
	return out
}
