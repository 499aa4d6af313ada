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
