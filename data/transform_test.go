package data

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func randomBoxes(rng *rand.Rand, w, h, n int) []Box {
	var out []Box
	for i := 0; i < n; i++ {
		x1, y1 := rng.Float64()*float64(w)*1.2-0.1*float64(w), rng.Float64()*float64(h)*1.2-0.1*float64(h)
		out = append(out, Box{Classes[rng.IntN(3)], x1, y1, x1 + 1 + rng.Float64()*float64(w)/3, y1 + 1 + rng.Float64()*float64(h)/3})
	}
	return out
}

// Property: flipping twice is the identity, and a flip keeps widths.
func TestFlipBoxesProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 500; it++ {
		w := 1 + rng.IntN(500)
		bs := randomBoxes(rng, w, 100, 5)
		f := FlipBoxes(bs, w)
		ff := FlipBoxes(f, w)
		for i := range bs {
			if abs(ff[i].X1-bs[i].X1) > 1e-9 || abs(ff[i].X2-bs[i].X2) > 1e-9 || ff[i].Y1 != bs[i].Y1 {
				t.Fatalf("flip twice: %+v → %+v", bs[i], ff[i])
			}
			if abs(f[i].W()-bs[i].W()) > 1e-9 || f[i].X1 > f[i].X2 {
				t.Fatalf("flip changed width: %+v → %+v", bs[i], f[i])
			}
		}
	}
}

// Properties of cropping: kept boxes lie in the window, none is empty, each
// kept box keeps at least minVisible of its area, kept + dropped = all, and a
// box fully inside the window is only shifted.
func TestCropBoxesProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for it := 0; it < 500; it++ {
		W, H := 20+rng.IntN(300), 20+rng.IntN(300)
		bs := randomBoxes(rng, W, H, 8)
		cw, ch := 1+rng.IntN(W), 1+rng.IntN(H)
		x0, y0 := rng.IntN(W-cw+1), rng.IntN(H-ch+1)
		minVis := rng.Float64() * 0.8
		kept, dropped := CropBoxes(bs, x0, y0, cw, ch, minVis)
		if len(kept)+dropped != len(bs) {
			t.Fatalf("kept %d + dropped %d != %d", len(kept), dropped, len(bs))
		}
		for _, k := range kept {
			if k.X1 < 0 || k.Y1 < 0 || k.X2 > float64(cw) || k.Y2 > float64(ch) || k.Area() <= 0 {
				t.Fatalf("kept box %+v outside %dx%d", k, cw, ch)
			}
		}
		j := 0
		for _, b := range bs {
			inside := b.X1 >= float64(x0) && b.Y1 >= float64(y0) && b.X2 <= float64(x0+cw) && b.Y2 <= float64(y0+ch)
			if !inside {
				continue
			}
			found := false
			for _, k := range kept[j:] {
				if abs(k.X1-(b.X1-float64(x0))) < 1e-9 && abs(k.Y2-(b.Y2-float64(y0))) < 1e-9 && abs(k.Area()-b.Area()) < 1e-6 {
					found = true
				}
			}
			if !found {
				t.Fatalf("box %+v inside the crop (%d,%d %dx%d) was changed or dropped: %+v", b, x0, y0, cw, ch, kept)
			}
		}
	}
}

// The crop window of Apply and its boxes stay aligned with the pixels: a
// box painted white in the image is still exactly the white region after
// the transform.
func TestPipelineKeepsBoxesOnTheirPixels(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := Pipeline{CropW: 40, CropH: 30, Flip: true, MinVisible: 0}
	for it := 0; it < 50; it++ {
		img := image.NewRGBA(image.Rect(0, 0, 64, 48))
		x1, y1 := rng.IntN(50), rng.IntN(36)
		b := Box{Car, float64(x1), float64(y1), float64(x1 + 1 + rng.IntN(13)), float64(y1 + 1 + rng.IntN(11))}
		for y := int(b.Y1); y < int(b.Y2); y++ {
			for x := int(b.X1); x < int(b.X2); x++ {
				img.Set(x, y, color.White)
			}
		}
		out, kept, dropped := p.Apply(img, []Box{b}, rng)
		if out.Bounds() != image.Rect(0, 0, 40, 30) {
			t.Fatalf("output bounds %v", out.Bounds())
		}
		white := 0
		for y := 0; y < 30; y++ {
			for x := 0; x < 40; x++ {
				if out.RGBAAt(x, y).R == 255 {
					white++
					if len(kept) == 0 || float64(x) < kept[0].X1 || float64(x) >= kept[0].X2 || float64(y) < kept[0].Y1 || float64(y) >= kept[0].Y2 {
						t.Fatalf("white pixel (%d,%d) outside kept box %+v", x, y, kept)
					}
				}
			}
		}
		if len(kept) == 1 && float64(white) != kept[0].Area() {
			t.Fatalf("box %+v covers %v pixels, %d are white", kept[0], kept[0].Area(), white)
		}
		if len(kept)+dropped != 1 {
			t.Fatal("box neither kept nor dropped")
		}
	}
}

func TestBoxTensorAndMasks(t *testing.T) {
	boxes := [][]Box{{{Car, 0, 0, 8, 8}, {Person, 8, 4, 16, 16}}, {}}
	bt, trunc := BoxTensor(boxes, 1, 16, 16)
	if trunc != 1 || bt.Data[0] != 1 || bt.Data[3] != 0.5 || bt.Data[5] != -1 {
		t.Fatalf("box tensor %v (truncated %d)", bt.Data, trunc)
	}
	m := ClassMasks(boxes, 16, 16, 4, 4)
	// Image 0: car in cells x,y < 2; person in x ≥ 2, y ≥ 1.
	at := func(b, c, y, x int) float32 { return m.Data[((b*4+c)*4+y)*4+x] }
	if at(0, 1, 1, 1) != 1 || at(0, 1, 2, 2) != 0 || at(0, 3, 1, 2) != 1 || at(0, 3, 0, 3) != 0 {
		t.Fatal("class channels wrong")
	}
	if at(0, 0, 0, 3) != 1 || at(0, 0, 0, 0) != 0 || at(1, 0, 2, 2) != 1 {
		t.Fatal("background channel wrong")
	}
}

func TestToCHWRoundTrip(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 11)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	buf := make([]float32, 18)
	ToCHW(img, buf)
	if buf[0] != -1 || buf[17] > 1 || buf[17] < -1 {
		t.Fatalf("range: %v", buf)
	}
	back := FromCHW(buf, 3, 2)
	for i := range back.Pix {
		if back.Pix[i] != img.Pix[i] {
			t.Fatalf("pixel byte %d: %d != %d", i, back.Pix[i], img.Pix[i])
		}
	}
}

func TestPipelineClipsWithoutCrop(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 20, 10))
	boxes := []Box{{Car, -5, 2, 8, 12}, {Sign, 25, 1, 30, 5}, {Person, 3, 3, 3, 8}}
	_, kept, dropped := Pipeline{}.Apply(img, boxes, rand.New(rand.NewPCG(1, 1)))
	if dropped != 2 || len(kept) != 1 || kept[0] != (Box{Car, 0, 2, 8, 10}) {
		t.Fatalf("kept %+v, dropped %d", kept, dropped)
	}
}
