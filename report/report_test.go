package report

import (
	"os"
	"strings"
	"testing"

	"i2i/eval"
)

func TestWriteReport(t *testing.T) {
	rep := eval.NewReport("model", "identity")
	rep.Scores = map[string]map[string]eval.Scores{
		"model":    {"image": {L1: 0.1, PSNR: 20, SSIM: 0.5}},
		"identity": {"image": {L1: 0.3, PSNR: 10, SSIM: 0.6}},
	}
	rep.Counts = map[string]int{"image": 4}
	var metrics []map[string]float64
	for s := 1; s <= 30; s++ {
		metrics = append(metrics, map[string]float64{"step": float64(s), "G": 10 / float64(s), "D": 0.25, "lr": 2e-4})
	}
	dir := t.TempDir()
	path, err := Write(dir, Page{Title: "t <x>", Summary: []string{"a & b"}, Grid: "grid.png", Eval: rep, Metrics: metrics})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(raw)
	for _, want := range []string{"t &lt;x&gt;", "a &amp; b", `src="grid.png"`, `aria-label="G"`, `aria-label="D"`,
		`<td class="best">0.1000</td>`, `<td class="best">0.6000</td>`} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(html, `aria-label="lr"`) || strings.Count(html, "<svg") != 2 {
		t.Errorf("expected one chart per loss (G, D), got %d", strings.Count(html, "<svg"))
	}
}

func TestMovingAverage(t *testing.T) {
	got := movingAverage([]float64{1, 3, 5, 7}, 2)
	want := []float64{1, 2, 4, 6}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("moving average %v, want %v", got, want)
		}
	}
}
