package data

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// The fuzz targets check that no input makes a parser panic, and that
// whatever parses writes back to text that parses to the same thing. Their
// seed corpora are in testdata/fuzz/<target>/; run one with
// go test ./data -fuzz FuzzReadINIT.

func FuzzReadINIT(f *testing.F) {
	f.Add("# 0\na.png\n10 10\n0\n1\n1 1 2 3 4\n\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		ss, err := ReadINIT(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteINIT(&buf, ss); err != nil {
			t.Fatal(err)
		}
		back, err := ReadINIT(&buf, "again")
		if err != nil || !reflect.DeepEqual(normalise(back), normalise(ss)) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, back, ss)
		}
	})
}

// normalise treats nil and empty box lists alike, and paths with inner
// spaces the way the line-based formats read them.
func normalise(ss []Sample) []Sample {
	out := make([]Sample, len(ss))
	for i, s := range ss {
		if len(s.Boxes) == 0 {
			s.Boxes = nil
		}
		out[i] = s
	}
	return out
}

func FuzzReadMGUIT(f *testing.F) {
	f.Add("night/a.png\n572 360\n1 4 8 12 16\n")
	f.Fuzz(func(t *testing.T, s string) {
		smp, err := ReadMGUIT(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		WriteMGUIT(&buf, smp)
		back, err := ReadMGUIT(&buf, "again")
		if err != nil || !reflect.DeepEqual(normalise([]Sample{back}), normalise([]Sample{smp})) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, back, smp)
		}
	})
}

func FuzzReadInstaFormer(f *testing.F) {
	f.Add("1 0.1 0.2 0.3 0.4\n3 0 0 1 1\n", 640, 360)
	f.Fuzz(func(t *testing.T, s string, w, h int) {
		if w <= 0 || h <= 0 || w > 1<<14 || h > 1<<14 {
			return
		}
		bs, err := ReadInstaFormer(strings.NewReader(s), "fuzz", w, h)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteInstaFormer(&buf, Sample{W: w, H: h, Boxes: bs}); err != nil {
			t.Fatal(err)
		}
		back, err := ReadInstaFormer(&buf, "again", w, h)
		if err != nil || len(back) != len(bs) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzReadCOCO(f *testing.F) {
	f.Add(`{"images":[{"id":1,"file_name":"a.jpg","width":10,"height":10}],"annotations":[{"image_id":1,"category_id":3,"bbox":[1,2,3,4]}],"categories":[{"id":3,"name":"car"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		ss, err := ReadCOCO(strings.NewReader(s), "fuzz", nil)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteCOCO(&buf, ss); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCOCO(&buf, "again", nil)
		if err != nil || len(back) != len(ss) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzReadKITTI(f *testing.F) {
	f.Add("Car 0.00 0 -1.58 587.01 173.33 614.12 200.12 1.65 1.67 3.64 -0.65 1.71 46.70 -1.59\n")
	f.Fuzz(func(t *testing.T, s string) {
		bs, err := ReadKITTI(strings.NewReader(s), "fuzz", nil)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		WriteKITTI(&buf, bs)
		back, err := ReadKITTI(&buf, "again", nil)
		if err != nil || len(back) != len(bs) {
			t.Fatalf("round trip: %v\n%q", err, buf.String())
		}
	})
}
