package train

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"i2i/data/synth"
	"i2i/nn"
	"i2i/tensor"
	"i2i/weights"
)

// scenes renders a tiny sunny/night data set once per test binary.
var scenesDir string

func scenes(t *testing.T) string {
	t.Helper()
	if scenesDir != "" {
		return scenesDir
	}
	dir, err := os.MkdirTemp("", "i2i-train-test-")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Generate(synth.Options{Out: dir, N: 6, W: 64, H: 64, Domains: []string{"sunny", "night"},
		Seed: 3, TestFrac: 0.34}); err != nil {
		t.Fatal(err)
	}
	scenesDir = dir
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if scenesDir != "" {
		os.RemoveAll(scenesDir)
	}
	os.Exit(code)
}

// tinyConfig is a model small enough to train a few steps in a test.
func tinyConfig(t *testing.T, model string) Config {
	t.Helper()
	c, err := DefaultConfig(model, 64)
	if err != nil {
		t.Fatal(err)
	}
	c.Data, c.Steps, c.SampleEvery, c.CheckpointEvery, c.Keep, c.Batch = scenes(t), 4, 2, 1, 2, 2
	if c.InstaFormer != nil {
		ic := c.InstaFormer
		ic.NGF, ic.Embed, ic.Depth, ic.Heads, ic.FFDim, ic.MLPDim = 4, 32, 1, 2, 32, 16
		ic.NDF, ic.HeadNC, ic.InstHeadNC, ic.NumPatches, ic.NumBox = 4, 16, 16, 32, 4
	}
	if c.CUT != nil {
		c.CUT.NGF, c.CUT.Blocks, c.CUT.NDF, c.CUT.NetFNC, c.CUT.NumPatches = 4, 1, 4, 16, 32
		c.CUT.NCELayers = []int{0, 4, 8, 12}
	}
	return c
}

func TestEveryModelTrains(t *testing.T) {
	for _, model := range []string{"instaformer", "cut", "fastcut", "cyclegan"} {
		t.Run(model, func(t *testing.T) {
			c := tinyConfig(t, model)
			out := t.TempDir()
			res, err := Run(context.Background(), c, Options{Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if res.Step != c.Steps {
				t.Fatalf("ran %d steps, want %d", res.Step, c.Steps)
			}
			for k, v := range res.Last {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("loss %s = %v", k, v)
				}
			}
			cks, _ := Checkpoints(out)
			if len(cks) != c.Keep {
				t.Errorf("%d checkpoints kept, want %d: %v", len(cks), c.Keep, cks)
			}
			for _, f := range []string{"config.json", "metrics.jsonl", "samples/step_00000002.png", "samples/step_00000004.png"} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Error(err)
				}
			}
			ms, err := ReadMetrics(out)
			if err != nil || len(ms) != c.Steps {
				t.Fatalf("metrics: %d records, %v", len(ms), err)
			}
			m, ck, err := LoadModel(cks[len(cks)-1])
			if err != nil {
				t.Fatal(err)
			}
			if ck.Step != c.Steps || m == nil {
				t.Errorf("checkpoint step %d", ck.Step)
			}
		})
	}
}

// A run stopped and resumed gives exactly the losses of one never stopped.
func TestResumeIsExact(t *testing.T) {
	for _, model := range []string{"instaformer", "cyclegan"} {
		t.Run(model, func(t *testing.T) {
			c := tinyConfig(t, model)
			c.Steps, c.CheckpointEvery, c.EMA = 5, 0, 0.9
			straight, resumed := t.TempDir(), t.TempDir()
			if _, err := Run(context.Background(), c, Options{Out: straight}); err != nil {
				t.Fatal(err)
			}
			if _, err := Run(context.Background(), c, Options{Out: resumed, StopAfter: 2}); err != nil {
				t.Fatal(err)
			}
			if _, err := Run(context.Background(), c, Options{Out: resumed, StopAfter: 1, Resume: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := Run(context.Background(), Config{}, Options{Out: resumed, Resume: true}); err != nil {
				t.Fatal(err)
			}
			a, _ := ReadMetrics(straight)
			b, _ := ReadMetrics(resumed)
			if len(a) != 5 || len(b) != 5 {
				t.Fatalf("%d and %d metric records, want 5", len(a), len(b))
			}
			for i := range a {
				for k, v := range a[i] {
					if k == "step_s" {
						continue
					}
					if b[i][k] != v {
						t.Errorf("step %d: %s = %v resumed, %v straight", i+1, k, b[i][k], v)
					}
				}
			}
			// The weight averages match too, and differ from the live weights.
			ca, _ := LoadCheckpoint(filepath.Join(straight, "checkpoints", checkpointName(5)))
			cb, _ := LoadCheckpoint(filepath.Join(resumed, "checkpoints", checkpointName(5)))
			ea, eb, live := ca.section("ema."), cb.section("ema."), ca.section("model.")
			if len(ea) == 0 || len(ea) != len(eb) {
				t.Fatalf("%d and %d averaged tensors", len(ea), len(eb))
			}
			moved := false
			for k, v := range ea {
				for i := range v.Data {
					if eb[k].Data[i] != v.Data[i] {
						t.Fatalf("%s differs after resuming", k)
					}
					moved = moved || live[k].Data[i] != v.Data[i]
				}
			}
			if !moved {
				t.Error("the average equals the live weights")
			}
		})
	}
}

func TestInterruptWritesCheckpoint(t *testing.T) {
	c := tinyConfig(t, "cut")
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, c, Options{Out: out})
	if !errors.Is(err, ErrInterrupted) || !res.Interrupted {
		t.Fatalf("got %v, want an interruption", err)
	}
	if _, err := LoadCheckpoint(res.Checkpoint); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), c, Options{Out: out}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("starting over an existing run: %v", err)
	}
}

func TestNaNLossStopsAndKeepsLastGood(t *testing.T) {
	c := tinyConfig(t, "cut")
	c.Steps, c.CheckpointEvery, c.Keep = 2, 1, 10
	out := t.TempDir()
	if _, err := Run(context.Background(), c, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	// Continue the good run with an exploding learning rate.
	good, _ := Latest(out)
	ck, err := LoadCheckpoint(good)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(ck.Config, newRNG(1, initStream))
	if err != nil {
		t.Fatal(err)
	}
	if err := ck.Restore(m); err != nil {
		t.Fatal(err)
	}
	ck.Config.Steps, ck.Config.CUT.LR = 10, 1e36
	if err := SaveCheckpoint(good, m, ck.Config, ck.Step, ck.Loader); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Config{}, Options{Out: out, Resume: true})
	if err == nil {
		t.Fatal("training with an exploding learning rate did not stop")
	}
	msg := err.Error()
	if !strings.Contains(msg, "NaN") && !strings.Contains(msg, "Inf") {
		t.Errorf("error does not name the bad loss: %v", err)
	}
	cks, _ := Checkpoints(out)
	if len(cks) != res.Step || !strings.Contains(msg, filepath.Base(cks[len(cks)-1])) {
		t.Errorf("after %d good steps: checkpoints %v, message %q", res.Step, cks, msg)
	}
}

func TestConfigErrors(t *testing.T) {
	c := tinyConfig(t, "instaformer")
	for name, mut := range map[string]func(*Config){
		"batch":  func(c *Config) { c.Batch = 0 },
		"size":   func(c *Config) { c.Size = 5 },
		"domain": func(c *Config) { c.To = c.From },
		"keep":   func(c *Config) { c.Keep = 0 },
	} {
		x := c
		mut(&x)
		if err := x.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	path := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(path, []byte(`{"model": "instaformer", "stpes": 3}`), 0o644)
	if _, err := ReadConfig(path, c); err == nil || !strings.Contains(err.Error(), "stpes") {
		t.Errorf("unknown key: %v", err)
	}
}

func TestDamagedCheckpoint(t *testing.T) {
	c := tinyConfig(t, "cut")
	c.Steps = 1
	out := t.TempDir()
	res, err := Run(context.Background(), c, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(res.Checkpoint)
	bad := filepath.Join(t.TempDir(), "cut.safetensors")
	os.WriteFile(bad, raw[:len(raw)/2], 0o644)
	if _, _, err := LoadModel(bad); err == nil || !strings.Contains(err.Error(), "cut.safetensors") {
		t.Errorf("truncated checkpoint: %v", err)
	}
	if _, _, err := Open(filepath.Join(out, "missing")); err == nil {
		t.Error("a missing run was accepted")
	}
	if _, err := Latest(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("empty run: %v", err)
	}
}

// Reference per-module files (with DataParallel's "module." prefix) load by
// name into an i2i checkpoint that translates like the source model.
func TestImportReferenceFiles(t *testing.T) {
	c := tinyConfig(t, "instaformer")
	src, err := NewModel(c, newRNG(7, 7))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	for _, mod := range []string{"ContentEncoder", "StyleEncoder", "Transformer", "MLP_Adain", "Decoder"} {
		ts := map[string]*tensor.Tensor{}
		for k, v := range nn.StateDict(src) {
			if strings.HasPrefix(k, mod+".") {
				ts["module."+strings.TrimPrefix(k, mod+".")] = v
			}
		}
		path := filepath.Join(dir, mod+".safetensors")
		if err := weights.WriteSafetensors(path, ts, nil); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	out := filepath.Join(dir, "imported.safetensors")
	if _, err := Import(c, files, out); err != nil {
		t.Fatal(err)
	}
	m, _, err := LoadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	got, want := nn.StateDict(m), nn.StateDict(src)
	for _, k := range []string{"Transformer.transformer.layers.0.0.fn.to_qkv.weight", "Decoder.model.9.bias"} {
		if got[k].Data[1] != want[k].Data[1] {
			t.Errorf("%s not imported", k)
		}
	}
	// A file of the wrong widths is refused with the tensor named.
	c2 := c
	ic := *c.InstaFormer
	ic.Embed = 64
	c2.InstaFormer = &ic
	if _, err := Import(c2, files[2:3], out); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("mismatched widths: %v", err)
	}
	if _, err := Import(c, []string{filepath.Join(dir, "Other.pth")}, out); err == nil {
		t.Error("an unknown module file was accepted")
	}
}
