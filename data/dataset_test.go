package data_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"i2i/data"
	"i2i/data/synth"
)

// synthSet renders a small synthetic data set once per test binary.
func synthSet(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "synth")
	if _, err := synth.Generate(synth.Options{Out: dir, N: 12, W: 64, H: 48, Domains: []string{"sunny", "night"},
		Seed: 3, TestFrac: 0.25}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func sameBoxes(t *testing.T, a, b []data.Box, tol float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d boxes vs %d", len(a), len(b))
	}
	for i := range a {
		d := max(abs(a[i].X1-b[i].X1), abs(a[i].Y1-b[i].Y1), abs(a[i].X2-b[i].X2), abs(a[i].Y2-b[i].Y2))
		if a[i].Class != b[i].Class || d > tol {
			t.Fatalf("box %d: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func abs(v float64) float64 { return max(v, -v) }

// Every writable layout reads back to the same samples.
func TestWriteOpenRoundTrip(t *testing.T) {
	src := synthSet(t)
	ds, err := data.Open(src, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Samples) != 24 || !reflect.DeepEqual(ds.Domains(), []string{"night", "sunny"}) {
		t.Fatalf("opened %d samples in %v", len(ds.Samples), ds.Domains())
	}
	for _, f := range []string{data.FormatINIT, data.FormatMGUIT, data.FormatInstaFormer} {
		out := filepath.Join(t.TempDir(), f)
		if _, err := data.Write(ds, out, data.WriteOptions{Format: f}); err != nil {
			t.Fatal(f, err)
		}
		if got, err := data.Detect(out); err != nil || got != f {
			t.Fatalf("detect %s: %q, %v", f, got, err)
		}
		back, err := data.Open(out, data.OpenOptions{Format: f})
		if err != nil {
			t.Fatal(f, err)
		}
		for _, dom := range []string{"sunny", "night"} {
			for _, split := range []string{"train", "test"} {
				a, b := ds.Select(dom, split), back.Select(dom, split)
				if len(a) != len(b) || len(a) == 0 {
					t.Fatalf("%s %s/%s: %d samples read back, want %d", f, dom, split, len(b), len(a))
				}
				for i := range a {
					if a[i].Stem() != b[i].Stem() || a[i].W != b[i].W || a[i].H != b[i].H {
						t.Fatalf("%s: sample %+v read back as %+v", f, a[i], b[i])
					}
					sameBoxes(t, a[i].Boxes, b[i].Boxes, 1e-9)
					if _, err := os.Stat(back.Abs(b[i])); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	// One domain and split through COCO and KITTI, with a resize.
	one := &data.Dataset{Root: ds.Root, Samples: ds.Select("sunny", "train")}
	for _, f := range []string{data.FormatCOCO, data.FormatKITTI} {
		out := filepath.Join(t.TempDir(), f)
		if _, err := data.Write(one, out, data.WriteOptions{Format: f, W: 128, H: 96}); err != nil {
			t.Fatal(err)
		}
		path := out
		if f == data.FormatCOCO {
			path = filepath.Join(out, "annotations.json")
		}
		back, err := data.Open(path, data.OpenOptions{Domain: "sunny"})
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range one.Samples {
			b := back.Samples[i]
			if b.W != 128 || b.H != 96 {
				t.Fatalf("%s: size %dx%d", f, b.W, b.H)
			}
			sameBoxes(t, data.ScaleBoxes(s.Boxes, 2, 2), b.Boxes, 1e-9)
		}
	}
	if _, err := data.Write(ds, t.TempDir(), data.WriteOptions{Format: data.FormatKITTI}); err == nil {
		t.Fatal("KITTI writer accepted two domains")
	}
}

func TestFolderLayout(t *testing.T) {
	src := synthSet(t)
	root := t.TempDir()
	for _, d := range []string{"trainA", "trainB"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	b, _ := os.ReadFile(filepath.Join(src, "sunny", "train", "000000.png"))
	os.WriteFile(filepath.Join(root, "trainA", "a.png"), b, 0o644)
	os.WriteFile(filepath.Join(root, "trainB", "b.png"), b, 0o644)
	ds, err := data.Open(root, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Samples) != 2 || ds.Samples[0].Domain != "A" || ds.Samples[1].Domain != "B" {
		t.Fatalf("%+v", ds.Samples)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := data.Open(t.TempDir(), data.OpenOptions{}); err == nil || !strings.Contains(err.Error(), "--format") {
		t.Fatalf("empty dir: %v", err)
	}
	if _, err := data.Open(t.TempDir(), data.OpenOptions{Format: "voc"}); err == nil || !strings.Contains(err.Error(), "known") {
		t.Fatalf("unknown format: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sunny_train.txt"), []byte("# 0\na.png\n10 10\n0\n1\n1 1 1 x 5\n"), 0o644)
	_, err := data.Open(dir, data.OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "sunny_train.txt:6") {
		t.Fatalf("malformed line: %v", err)
	}
}
