package data_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"i2i/data"
)

func batches(t *testing.T, l *data.Loader, n int) [][]float32 {
	t.Helper()
	var out [][]float32
	for i := 0; i < n; i++ {
		b, err := l.Next()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append(append(append([]float32{}, b.A.Data...), b.B.Data...), b.ABoxes.Data...))
	}
	return out
}

func newLoader(t *testing.T, ds *data.Dataset, workers int, seed uint64) *data.Loader {
	t.Helper()
	l, err := data.NewLoader(ds, ds.Select("sunny", "train"), ds.Select("night", "train"), data.LoaderConfig{
		BatchSize: 2, Workers: workers, Seed: seed, Shuffle: true, MaxBoxes: 8, MaskW: 8, MaskH: 6,
		Pipeline: data.Pipeline{CropW: 48, CropH: 40, Flip: true, MinBoxSize: 1, MinVisible: 0.3}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l
}

// The same seed gives the same batches whatever the number of workers; a
// restored position continues exactly; another seed differs.
func TestLoaderDeterministicAndResumable(t *testing.T) {
	ds, err := data.Open(synthSet(t), data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	one := batches(t, newLoader(t, ds, 1, 7), 12) // 12 batches of 2 span 2+ epochs of 9
	three := batches(t, newLoader(t, ds, 3, 7), 12)
	if !reflect.DeepEqual(one, three) {
		t.Fatal("batches depend on the number of workers")
	}
	l := newLoader(t, ds, 2, 7)
	batches(t, l, 5)
	st := l.State()
	if st.Epoch != 1 || st.Index != 1 {
		t.Fatalf("state after 10 items of 9-item epochs: %+v", st)
	}
	r := newLoader(t, ds, 2, 7)
	r.Restore(st)
	if !reflect.DeepEqual(batches(t, r, 7), one[5:]) {
		t.Fatal("resumed loader differs from the uninterrupted one")
	}
	if reflect.DeepEqual(batches(t, newLoader(t, ds, 1, 8), 3), one[:3]) {
		t.Fatal("another seed gave the same batches")
	}
	b, _ := newLoader(t, ds, 1, 7).Next()
	if got := b.A.Shape(); !reflect.DeepEqual(got, []int{2, 3, 40, 48}) {
		t.Fatalf("A shape %v", got)
	}
	if !reflect.DeepEqual(b.AMasks.Shape(), []int{2, 4, 6, 8}) || !reflect.DeepEqual(b.ABoxes.Shape(), []int{2, 8, 5}) {
		t.Fatalf("mask %v boxes %v", b.AMasks.Shape(), b.ABoxes.Shape())
	}
}

// A corrupt image is skipped with a warning naming it, or is an error with Strict.
func TestLoaderSkipsCorruptImages(t *testing.T) {
	dir := synthSet(t)
	ds, err := data.Open(dir, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "sunny", "train", "000002.png")
	b, _ := os.ReadFile(bad)
	os.WriteFile(bad, b[:len(b)/2], 0o644) // truncated
	var warnings []string
	l, _ := data.NewLoader(ds, ds.Select("sunny", "train"), ds.Select("night", "train"), data.LoaderConfig{
		BatchSize: 3, Seed: 1, Warn: func(s string) { warnings = append(warnings, s) }})
	defer l.Close()
	for i := 0; i < 3; i++ {
		if _, err := l.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if l.Stats.SkippedImages != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], "000002.png") {
		t.Fatalf("skipped %d, warnings %q", l.Stats.SkippedImages, warnings)
	}
	s, _ := data.NewLoader(ds, ds.Select("sunny", "train"), ds.Select("night", "train"), data.LoaderConfig{
		BatchSize: 9, Seed: 1, Strict: true})
	defer s.Close()
	if _, err := s.Next(); err == nil || !strings.Contains(err.Error(), "000002.png") {
		t.Fatalf("strict loader: %v", err)
	}
}
