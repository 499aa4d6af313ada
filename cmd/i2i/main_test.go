package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func run(t *testing.T, cmd *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestWeightsLsAndConvert(t *testing.T) {
	out, err := run(t, weightsCmd(), "ls", "../../weights/testdata/sd.pth")
	if err != nil || !strings.Contains(out, "conv.weight") || !strings.Contains(out, "[2 3 2 2]") {
		t.Fatalf("ls: %v\n%s", err, out)
	}
	dst := filepath.Join(t.TempDir(), "sd.safetensors")
	if _, err := run(t, weightsCmd(), "convert", "../../weights/testdata/sd.pth", dst); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, weightsCmd(), "ls", dst)
	if err != nil || !strings.Contains(out, "fc.weight") || !strings.Contains(out, "F32") {
		t.Fatalf("ls converted: %v\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.pth")
	os.WriteFile(bad, []byte("PK\x03\x04garbage"), 0o644)
	if _, err := run(t, weightsCmd(), "ls", bad); err == nil || !strings.Contains(err.Error(), "bad.pth") {
		t.Fatalf("corrupt file: %v", err)
	}
}

func TestBenchRejectsAbsurdFlags(t *testing.T) {
	if _, err := run(t, benchCmd(), "--reps", "0"); err == nil {
		t.Fatal("--reps 0 accepted")
	}
	if _, err := run(t, benchCmd(), "--only", "nonsense"); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Fatalf("unknown group: %v", err)
	}
}

func TestBenchSgemmJSON(t *testing.T) {
	out, err := run(t, benchCmd(), "--only", "sgemm", "--reps", "1", "--json")
	if err != nil || !strings.Contains(out, `"sgemm_1024_gflops"`) || !strings.Contains(out, `"sgemm_conv_gflops"`) {
		t.Fatalf("bench json: %v\n%s", err, out)
	}
}

func TestSynthConvertStats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	out, err := run(t, synthCmd(), "--out", dir, "--n", "5", "--size", "64x48", "--domains", "sunny,night", "--quiet")
	if err != nil || !strings.Contains(out, "wrote 5 scenes") {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	for _, p := range []string{"sunny/train/000000.png", "night/test/000004.png", "sunny_train.txt", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	mg := filepath.Join(t.TempDir(), "mguit")
	out, err = run(t, dataCmd(), "convert", "--in", dir, "--to", "mguit", "--out", mg, "--size", "572x360")
	if err != nil || !strings.Contains(out, "wrote 10 images") {
		t.Fatalf("convert: %v\n%s", err, out)
	}
	out, err = run(t, dataCmd(), "stats", mg)
	if err != nil || !strings.Contains(out, "night") || !strings.Contains(out, "box size histogram") {
		t.Fatalf("stats: %v\n%s", err, out)
	}
	bad := filepath.Join(mg, "night", "test", "000004.png")
	os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\ntruncated"), 0o644)
	out, err = run(t, dataCmd(), "stats", mg, "--check")
	if err != nil || !strings.Contains(out, "1 unreadable") || !strings.Contains(out, "000004.png") {
		t.Fatalf("stats --check: %v\n%s", err, out)
	}
	if _, err := run(t, dataCmd(), "stats", mg, "--check", "--strict"); err == nil || !strings.Contains(err.Error(), "000004.png") {
		t.Fatalf("stats --strict: %v", err)
	}
	for _, args := range [][]string{{"--out", dir, "--n", "-3"}, {"--out", dir, "--size", "0x9"}, {"--out", dir, "--domains", "foggy"},
		{"--out", dir, "--test-frac", "1.5"}} {
		if _, err := run(t, synthCmd(), args...); err == nil {
			t.Errorf("synth %v accepted", args)
		}
	}
	if _, err := run(t, dataCmd(), "convert", "--in", dir, "--to", "voc", "--out", t.TempDir()); err == nil {
		t.Error("unknown output format accepted")
	}
}
