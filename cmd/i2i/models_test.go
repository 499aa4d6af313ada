package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The quick demo renders data, trains, translates, evaluates and writes a
// report that holds the table, the grid and the loss plot.
func TestDemoQuick(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	log, err := run(t, demoCmd(), "--quick", "--out", out, "--steps", "6")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, log)
	}
	for _, want := range []string{"report:", "colour transfer", "identity", "L1 (image)"} {
		if !strings.Contains(log, want) {
			t.Errorf("demo output lacks %q:\n%s", want, log)
		}
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<table>", "grid.png", "<svg", "colour transfer", "instNCE"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, f := range []string{"grid.png", "run/config.json", "run/metrics.jsonl", "translations"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}

	// The same run through the separate commands.
	run1 := filepath.Join(out, "run")
	js, err := run(t, evalCmd(), "--run", run1, "--data", filepath.Join(out, "data"), "--json", "--quiet")
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, js)
	}
	var rep struct {
		Images int                                      `json:"images"`
		Scores map[string]map[string]map[string]float64 `json:"scores"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil || rep.Images == 0 || rep.Scores["identity"]["image"]["l1"] <= 0 {
		t.Fatalf("eval json: %v\n%s", err, js)
	}
	for _, flags := range [][]string{{"--ref-style"}, {"--boxes"}} {
		args := append([]string{"--run", run1, "--data", filepath.Join(out, "data"), "--limit", "1", "--quiet"}, flags...)
		if msg, err := run(t, evalCmd(), args...); err != nil || !strings.Contains(msg, "1 test images") {
			t.Errorf("eval %v: %v\n%s", flags, err, msg)
		}
	}
	tr := filepath.Join(t.TempDir(), "tr")
	msg, err := run(t, translateCmd(), "--run", run1, "--in", filepath.Join(out, "data", "sunny", "test"), "--out", tr,
		"--styles", "2", "--quiet")
	if err != nil || !strings.Contains(msg, "translated") {
		t.Fatalf("translate: %v\n%s", err, msg)
	}
	if names, _ := filepath.Glob(filepath.Join(tr, "*_s1.png")); len(names) == 0 {
		t.Error("no second-style outputs")
	}
	ref := filepath.Join(out, "data", "night", "train", "000000.png")
	one := filepath.Join(out, "data", "sunny", "test", "000022.png")
	if _, err := run(t, translateCmd(), "--run", run1, "--in", one, "--out", tr, "--style-ref", ref); err != nil {
		t.Fatalf("translate --style-ref: %v", err)
	}
	for _, args := range [][]string{
		{"--run", run1, "--weights", "x", "--in", one, "--out", tr},
		{"--run", run1, "--in", one, "--out", tr, "--styles", "0"},
		{"--run", filepath.Join(out, "nope"), "--in", one, "--out", tr},
	} {
		if _, err := run(t, translateCmd(), args...); err == nil {
			t.Errorf("translate %v accepted", args)
		}
	}
}

func TestTrainCommandResumes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	if _, err := run(t, synthCmd(), "--out", dir, "--n", "4", "--size", "64x64", "--domains", "sunny,night", "--quiet"); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(cfg, []byte(`{"cut": {"ngf": 4, "n_blocks": 1, "ndf": 4, "netf_nc": 16, "num_patches": 16, "nce_layers": [0, 4, 8, 12]}}`), 0o644)
	rdir := filepath.Join(t.TempDir(), "run")
	msg, err := run(t, trainCmd(), "--model", "cut", "--data", dir, "--size", "64", "--out", rdir, "--config", cfg,
		"--steps", "2", "--quiet")
	if err != nil || !strings.Contains(msg, "trained 2 steps") {
		t.Fatalf("train: %v\n%s", err, msg)
	}
	msg, err = run(t, trainCmd(), "--resume", rdir, "--quiet")
	if err != nil || !strings.Contains(msg, "trained 2 steps") {
		t.Fatalf("resume of a finished run: %v\n%s", err, msg)
	}
	for _, args := range [][]string{
		{"--model", "pix2pix", "--data", dir, "--out", t.TempDir()},
		{"--model", "cut", "--data", dir, "--out", filepath.Join(t.TempDir(), "r"), "--batch", "0"},
		{"--model", "instaformer", "--data", dir, "--out", filepath.Join(t.TempDir(), "r"), "--size", "100"},
		{"--model", "cut", "--data", dir, "--out", rdir},
	} {
		if _, err := run(t, trainCmd(), args...); err == nil {
			t.Errorf("train %v accepted", args)
		}
	}
}
