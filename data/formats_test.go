package data

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// randomSamples makes samples with integer-ish and fractional boxes.
func randomSamples(rng *rand.Rand, n int) []Sample {
	var out []Sample
	for i := 0; i < n; i++ {
		s := Sample{Path: "sunny/train/" + string(rune('a'+i)) + ".png", W: 640, H: 360}
		for j := rng.IntN(4); j > 0; j-- {
			x, y := float64(rng.IntN(600)), float64(rng.IntN(300))
			s.Boxes = append(s.Boxes, Box{Classes[rng.IntN(3)], x, y, x + 1 + float64(rng.IntN(40)) + 0.25, y + 1 + float64(rng.IntN(60))})
		}
		out = append(out, s)
	}
	return out
}

func TestINITParsesTextSample(t *testing.T) {
	txt := "# 0\nsunny/video_data_20180703/jig_KYT01/1_00286.png\n1920 1208\n0\n2\n1 100 200 300 400\n3 10.5 20 30 60\n\n\n" +
		"# 1\nsunny/x/1_00287.png\n1920 1208 3\n0\n0\n\n\n"
	ss, err := ReadINIT(strings.NewReader(txt), "sunny_train.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{
		{Path: "sunny/video_data_20180703/jig_KYT01/1_00286.png", W: 1920, H: 1208,
			Boxes: []Box{{Car, 100, 200, 300, 400}, {Person, 10.5, 20, 30, 60}}},
		{Path: "sunny/x/1_00287.png", W: 1920, H: 1208},
	}
	if !reflect.DeepEqual(ss, want) {
		t.Fatalf("got %+v\nwant %+v", ss, want)
	}
}

func TestINITErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]int{
		"# 0\na.png\n10 10\n0\n2\n1 1 1 5 5\n":         7, // file ends inside the record
		"# 0\na.png\n10 10\n0\n1\n9 1 1 5 5\n":         6, // unknown class
		"# 0\na.png\n10 10\n0\n1\n1 1 x 5 5\n":         6, // not a number
		"# 0\na.png\nten ten\n0\n0\n":                  3, // bad size
		"# 0\na.png\n10 10\n1\n0\n":                    4, // not "0"
		"a.png\n":                                      1, // no record header
		"# 0\na.png\n10 10\n0\nmany\n":                 5, // bad count
		"# 0\na.png\n10 10\n0\n1\n1 1 1 5 5 6\n\n\n":   6, // too many fields
		"# 0\na.png\n10 10\n0\n1\n1 1 1 NaN 5\n\n\n":   6, // NaN
		"# 0\na.png\n10 10\n0\n1\n1 1 1 1e300 5\n\n\n": 6, // absurd
	}
	for txt, line := range cases {
		_, err := ReadINIT(strings.NewReader(txt), "x.txt")
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%q: got %v, want a ParseError", txt, err)
		}
		if pe.File != "x.txt" || pe.Line != line || pe.Want == "" {
			t.Errorf("%q: error %q at line %d, want line %d", txt, err, pe.Line, line)
		}
	}
	_, err := ReadINIT(strings.NewReader("# 0\na.png\n10 10\n0\n1\nbus 1 1 5 5\n"), "x.txt")
	if err == nil || !strings.Contains(err.Error(), "known: car, sign, person") {
		t.Errorf("unknown class error does not list the known ones: %v", err)
	}
}

func TestINITRoundTrip(t *testing.T) {
	ss := randomSamples(rand.New(rand.NewPCG(1, 1)), 6)
	var buf bytes.Buffer
	if err := WriteINIT(&buf, ss); err != nil {
		t.Fatal(err)
	}
	got, err := ReadINIT(&buf, "rt")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ss) {
		t.Fatalf("round trip changed the samples:\n%+v\n%+v", got, ss)
	}
}

func TestMGUITRoundTrip(t *testing.T) {
	for _, s := range randomSamples(rand.New(rand.NewPCG(2, 1)), 5) {
		var buf bytes.Buffer
		if err := WriteMGUIT(&buf, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadMGUIT(&buf, "rt")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("got %+v want %+v", got, s)
		}
	}
	// MGUIT's own files have anything on line 2.
	s, err := ReadMGUIT(strings.NewReader("night/a.png 3\nwhatever\n2 4 8 12 16\n"), "l.txt")
	if err != nil || s.Path != "night/a.png" || len(s.Boxes) != 1 || s.Boxes[0] != (Box{Sign, 4, 8, 12, 16}) || s.W != 0 {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestInstaFormerRoundTrip(t *testing.T) {
	for _, s := range randomSamples(rand.New(rand.NewPCG(3, 1)), 5) {
		var buf bytes.Buffer
		if err := WriteInstaFormer(&buf, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadInstaFormer(&buf, "rt", s.W, s.H)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(s.Boxes) {
			t.Fatalf("%d boxes, want %d", len(got), len(s.Boxes))
		}
		for i := range got {
			a, b := got[i], s.Boxes[i]
			if a.Class != b.Class || abs(a.X1-b.X1) > 1e-9 || abs(a.Y2-b.Y2) > 1e-9 || abs(a.X2-b.X2) > 1e-9 || abs(a.Y1-b.Y1) > 1e-9 {
				t.Fatalf("box %d: %+v want %+v", i, a, b)
			}
		}
	}
	if _, err := ReadInstaFormer(strings.NewReader("1 0.1 0.2 1.5 0.3\n"), "g.txt", 10, 10); err == nil {
		t.Fatal("coordinate 1.5 accepted")
	}
}

func abs(v float64) float64 { return max(v, -v) }

func TestCOCORoundTripAndMapping(t *testing.T) {
	ss := randomSamples(rand.New(rand.NewPCG(4, 1)), 5)
	var buf bytes.Buffer
	if err := WriteCOCO(&buf, ss); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCOCO(&buf, "rt.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ss) {
		t.Fatalf("round trip:\n%+v\n%+v", got, ss)
	}
	js := `{"images":[{"id":7,"file_name":"a.jpg","width":100,"height":50}],
	 "annotations":[{"image_id":7,"category_id":3,"bbox":[1,2,10,20]},{"image_id":7,"category_id":8,"bbox":[5,5,5,5]},
	  {"image_id":7,"category_id":13,"bbox":[0,0,4,4]},{"image_id":7,"category_id":1,"bbox":[0,0,9,9],"iscrowd":1},
	  {"image_id":7,"category_id":18,"bbox":[0,0,9,9]}],
	 "categories":[{"id":1,"name":"person"},{"id":3,"name":"car"},{"id":8,"name":"truck"},{"id":13,"name":"stop sign"},{"id":18,"name":"dog"}]}`
	got, err = ReadCOCO(strings.NewReader(js), "c.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Box{{Car, 1, 2, 11, 22}, {Car, 5, 5, 10, 10}, {Sign, 0, 0, 4, 4}}
	if !reflect.DeepEqual(got[0].Boxes, want) {
		t.Fatalf("mapped boxes %+v, want %+v (crowd and dog skipped)", got[0].Boxes, want)
	}
	m, err := ParseClassMap("dog=person", DefaultCOCOMap)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = ReadCOCO(strings.NewReader(js), "c.json", m)
	if len(got[0].Boxes) != 4 || got[0].Boxes[3].Class != Person {
		t.Fatalf("custom map ignored: %+v", got[0].Boxes)
	}
	if _, err := ParseClassMap("dog=cat", nil); err == nil || !strings.Contains(err.Error(), "known") {
		t.Fatalf("bad class map accepted: %v", err)
	}
	for _, bad := range []string{`{"images":[{"id":1}]}`, `{"images":[{"id":1,"file_name":"a"}],"annotations":[{"image_id":2,"category_id":1,"bbox":[1,1,1,1]}],"categories":[{"id":1,"name":"car"}]}`,
		`{"images":[{"id":1,"file_name":"a"}],"annotations":[{"image_id":1,"category_id":1,"bbox":[1,1]}],"categories":[{"id":1,"name":"car"}]}`, `[1,2`} {
		if _, err := ReadCOCO(strings.NewReader(bad), "bad.json", nil); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestKITTIRoundTripAndMapping(t *testing.T) {
	for _, s := range randomSamples(rand.New(rand.NewPCG(5, 1)), 5) {
		var buf bytes.Buffer
		if err := WriteKITTI(&buf, s.Boxes); err != nil {
			t.Fatal(err)
		}
		got, err := ReadKITTI(&buf, "rt", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(s.Boxes) || (len(got) > 0 && !reflect.DeepEqual(got, s.Boxes)) {
			t.Fatalf("got %+v want %+v", got, s.Boxes)
		}
	}
	txt := "Car 0.00 0 -1.58 587.01 173.33 614.12 200.12 1.65 1.67 3.64 -0.65 1.71 46.70 -1.59\n" +
		"DontCare -1 -1 -10 503.89 169.71 590.61 190.13 -1 -1 -1 -1000 -1000 -1000 -10\n" +
		"Pedestrian 0.00 0 -0.2 712.4 143 810.73 307.92 1.89 0.48 1.2 1.84 1.47 8.41 0.01 0.9\n"
	got, err := ReadKITTI(strings.NewReader(txt), "000000.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Class != Car || got[1].Class != Person || got[1].X2 != 810.73 {
		t.Fatalf("got %+v", got)
	}
	_, err = ReadKITTI(strings.NewReader("Car 0 0 0 1 2 3\n"), "000001.txt", nil)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 {
		t.Fatalf("short line: %v", err)
	}
}
