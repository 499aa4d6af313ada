package synth

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"i2i/data"
)

func luma(img *image.RGBA, r image.Rectangle) (mean, peak float64) {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			v := (0.299*float64(p.R) + 0.587*float64(p.G) + 0.114*float64(p.B)) / 255
			mean += v
			peak = max(peak, v)
			n++
		}
	}
	return mean / float64(max(n, 1)), peak
}

func boxRect(b data.Box) image.Rectangle {
	return image.Rect(int(b.X1), int(b.Y1), int(b.X2+0.999), int(b.Y2+0.999))
}

// Render is a pure function of the scene, and a scene survives JSON.
func TestRenderDeterministic(t *testing.T) {
	s := NewScene(42, 96, 80)
	if !reflect.DeepEqual(s, NewScene(42, 96, 80)) {
		t.Fatal("NewScene is not deterministic")
	}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Scene
	if err := json.Unmarshal(js, &back); err != nil || !reflect.DeepEqual(back, s) {
		t.Fatalf("scene JSON round trip: %v", err)
	}
	for _, d := range Domains {
		a, ba, _ := Render(s, d)
		b, bb, _ := Render(back, d)
		if !bytes.Equal(a.Pix, b.Pix) || !reflect.DeepEqual(ba, bb) {
			t.Fatalf("%s: two renders differ", d)
		}
	}
	if _, _, err := Render(s, "foggy"); err == nil {
		t.Fatal("unknown domain accepted")
	}
}

// The boxes are the same in every domain; night is dark overall but the
// cars carry their own lights; rain and cloud lower the contrast.
func TestDomainsLookTheirPart(t *testing.T) {
	var nightMean, sunnyMean, carPeak, carScenes float64
	for seed := uint64(1); seed <= 20; seed++ {
		s := NewScene(seed, 128, 128)
		sun, sb, _ := Render(s, "sunny")
		night, nb, _ := Render(s, "night")
		for _, d := range []string{"cloudy", "rainy"} {
			_, b, _ := Render(s, d)
			if !reflect.DeepEqual(b, sb) {
				t.Fatalf("seed %d: %s boxes differ from sunny", seed, d)
			}
		}
		if !reflect.DeepEqual(nb, sb) {
			t.Fatalf("seed %d: night boxes differ", seed)
		}
		m1, _ := luma(sun, sun.Bounds())
		m2, _ := luma(night, night.Bounds())
		sunnyMean += m1
		nightMean += m2
		for _, b := range nb {
			if b.Class == data.Car && b.Area() > 60 {
				_, p := luma(night, boxRect(b))
				carPeak += p
				carScenes++
				break
			}
		}
	}
	sunnyMean, nightMean = sunnyMean/20, nightMean/20
	if nightMean > 0.35*sunnyMean {
		t.Fatalf("night mean luminance %.3f is not much below sunny %.3f", nightMean, sunnyMean)
	}
	if carScenes < 5 || carPeak/carScenes < 0.6 || carPeak/carScenes < 4*nightMean {
		t.Fatalf("cars at night peak at %.2f on average over %v scenes; their lights should shine", carPeak/carScenes, carScenes)
	}
}

func TestBoxesInsideImage(t *testing.T) {
	counts := map[data.Class]int{}
	for seed := uint64(1); seed <= 50; seed++ {
		_, bs, _ := Render(NewScene(seed, 100, 70), "cloudy")
		for _, b := range bs {
			counts[b.Class]++
			if b.X1 < 0 || b.Y1 < 0 || b.X2 > 100 || b.Y2 > 70 || b.W() < minBoxPixels || b.H() < minBoxPixels {
				t.Fatalf("seed %d: box %+v", seed, b)
			}
		}
	}
	for _, c := range data.Classes {
		if counts[c] < 10 {
			t.Fatalf("only %d boxes of class %v in 50 scenes", counts[c], c)
		}
	}
}

// Generate writes the same files whatever the number of workers.
func TestGenerateLayoutAndDeterminism(t *testing.T) {
	o := Options{N: 6, W: 48, H: 40, Domains: []string{"sunny", "rainy"}, Seed: 9, TestFrac: 0.34}
	dirs := []string{t.TempDir(), t.TempDir()}
	for i, w := range []int{1, 3} {
		o.Out, o.Workers = dirs[i], w
		m, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		if m.Counts["rainy"]["test"] != 2 || m.Counts["sunny"]["train"] != 4 || len(m.Classes) != 3 {
			t.Fatalf("manifest %+v", m)
		}
	}
	for _, rel := range []string{"sunny/train/000000.png", "rainy/test/000005.png", "sunny_train.txt", "rainy_test.txt",
		"scenes/test/000004.json", "manifest.json"} {
		a, err1 := os.ReadFile(filepath.Join(dirs[0], rel))
		b, err2 := os.ReadFile(filepath.Join(dirs[1], rel))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s differs between 1 and 3 workers (%v %v)", rel, err1, err2)
		}
	}
	for _, bad := range []Options{{N: 0, W: 64, H: 64, Domains: Domains}, {N: 1, W: 8, H: 64, Domains: Domains},
		{N: 1, W: 64, H: 64, Domains: []string{"snowy"}}, {N: 1, W: 64, H: 64, Domains: Domains, TestFrac: 1}} {
		if _, err := Generate(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

// BenchmarkRender times one 256×256 scene in one domain.
func BenchmarkRender(b *testing.B) {
	for _, d := range []string{"sunny", "night", "rainy"} {
		b.Run(d, func(b *testing.B) {
			i := uint64(0)
			for b.Loop() {
				i++
				Render(NewScene(i, 256, 256), d)
			}
		})
	}
}
