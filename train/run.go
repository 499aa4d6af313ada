package train

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"i2i/data"
	"i2i/optim"
	"i2i/weights"
)

// Random streams of a run: step s draws from PCG(seed, s); initialisation
// and sample styles have streams of their own.
const (
	initStream   = 1 << 62
	sampleStream = 1<<62 + 1
)

func newRNG(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// Options control one invocation of Run.
type Options struct {
	Out      string    // run directory
	Resume   bool      // continue the run in Out from its newest checkpoint
	Progress io.Writer // progress bar (nil: none)
	Log      io.Writer // messages (nil: discarded)
	// Steps, with Resume, sets a new total number of steps (to extend a
	// finished run); 0 keeps the run's.
	Steps int
	// StopAfter ends this invocation, with a checkpoint, after that many
	// steps (0: run to Config.Steps). Used to test resumption.
	StopAfter int
}

// Result summarises an invocation.
type Result struct {
	Step        int                // steps done in total
	Last        map[string]float64 // the last step's losses
	Checkpoint  string             // the newest checkpoint written
	Interrupted bool               // stopped by the context (Ctrl-C)
}

// ErrInterrupted is wrapped by Run's result when the context was cancelled.
var ErrInterrupted = errors.New("interrupted")

// Run trains (or, with Resume, continues training) the model of c on its
// data, writing config.json, checkpoints/, samples/ and metrics.jsonl into
// o.Out. A cancelled ctx finishes the current step, writes a checkpoint and
// returns. A NaN or Inf loss stops the run with an error and writes
// nothing, so the newest checkpoint stays the last good one.
func Run(ctx context.Context, c Config, o Options) (*Result, error) {
	logw := o.Log
	if logw == nil {
		logw = io.Discard
	}
	var ck *Checkpoint
	if o.Resume {
		path, err := Latest(o.Out)
		if err != nil {
			return nil, err
		}
		if ck, err = LoadCheckpoint(path); err != nil {
			return nil, err
		}
		c = ck.Config
		if o.Steps > 0 {
			c.Steps = o.Steps
		}
		fmt.Fprintf(logw, "resuming %s at step %d of %d\n", o.Out, ck.Step, c.Steps)
	} else {
		if cks, _ := Checkpoints(o.Out); len(cks) > 0 {
			return nil, fmt.Errorf("run %s already has checkpoints; use --resume to continue it or choose a new --out", o.Out)
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %v", err)
	}
	for _, d := range []string{"checkpoints", "samples"} {
		if err := os.MkdirAll(filepath.Join(o.Out, d), 0o755); err != nil {
			return nil, err
		}
	}
	cj, _ := json.MarshalIndent(c, "", "  ")
	if err := weights.WriteFileAtomic(filepath.Join(o.Out, "config.json"), append(cj, '\n')); err != nil {
		return nil, err
	}

	ds, err := data.Open(c.Data, data.OpenOptions{})
	if err != nil {
		return nil, err
	}
	a, b := ds.Select(c.From, "train"), ds.Select(c.To, "train")
	if len(a) == 0 || len(b) == 0 {
		return nil, fmt.Errorf("%s: no training images for %s (%d) or %s (%d); domains here: %v", c.Data, c.From, len(a), c.To, len(b), ds.Domains())
	}
	p := data.Pipeline{ResizeW: c.Size, ResizeH: c.Size, Flip: c.Flip, MinBoxSize: 2, MinVisible: 0.3}
	if c.Load > c.Size {
		p.ResizeW, p.ResizeH, p.CropW, p.CropH = c.Load, c.Load, c.Size, c.Size
	}
	loader, err := data.NewLoader(ds, a, b, data.LoaderConfig{BatchSize: c.Batch, Workers: c.Workers, Seed: c.Seed,
		Shuffle: true, Pipeline: p, MaxBoxes: c.NumBoxes(), Warn: func(s string) { fmt.Fprintln(logw, "warning:", s) }})
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	m, err := NewModel(c, newRNG(c.Seed, initStream))
	if err != nil {
		return nil, err
	}
	step := 0
	if ck != nil {
		if err := ck.Restore(m); err != nil {
			return nil, err
		}
		loader.Restore(ck.Loader)
		step = ck.Step
	}
	var avg *ema
	if c.EMA > 0 {
		avg = newEMA(m, c.EMA)
		if ck != nil {
			avg.load(ck)
		}
	}
	metrics, err := openMetrics(filepath.Join(o.Out, "metrics.jsonl"), step)
	if err != nil {
		return nil, err
	}
	defer metrics.Close()
	samples, err := newSampler(c, ds)
	if err != nil {
		return nil, err
	}
	writeSamples := func(path string) error {
		if avg != nil {
			avg.swap()
			defer avg.swap()
		}
		return samples.write(path, m)
	}
	sched, baseLR := schedule(c)

	var bar *progressbar.ProgressBar
	if o.Progress != nil {
		bar = progressbar.NewOptions(c.Steps, progressbar.OptionSetWriter(o.Progress), progressbar.OptionShowIts(),
			progressbar.OptionShowCount(), progressbar.OptionSetItsString("step"), progressbar.OptionSetWidth(20),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionSetDescription(c.Model))
		bar.Set(step)
		defer fmt.Fprintln(o.Progress)
	}
	res := &Result{Step: step}
	save := func() error {
		path := filepath.Join(o.Out, "checkpoints", checkpointName(step))
		if err := saveCheckpoint(path, m, avg, c, step, loader.State()); err != nil {
			return err
		}
		res.Checkpoint = path
		return prune(o.Out, c.Keep)
	}
	stepsPerEpoch := max(1, loader.EpochLen()/c.Batch)
	start := step
	for step < c.Steps {
		if ctx.Err() != nil {
			res.Interrupted = true
			if err := save(); err != nil {
				return res, err
			}
			return res, fmt.Errorf("%w at step %d; checkpoint %s", ErrInterrupted, step, res.Checkpoint)
		}
		epoch := step / stepsPerEpoch
		lr := baseLR * sched.Factor(epoch)
		for _, opt := range m.Optimizers() {
			opt.SetLR(lr)
		}
		batch, err := loader.Next()
		if err != nil {
			return res, err
		}
		t0 := time.Now()
		losses, err := m.Step(batch.A, batch.B, batch.ABoxes, batch.BBoxes, newRNG(c.Seed, uint64(step)))
		if err != nil {
			last := "none yet"
			if cks, _ := Checkpoints(o.Out); len(cks) > 0 {
				last = cks[len(cks)-1]
			}
			return res, fmt.Errorf("step %d: %v; training stopped, the last good checkpoint is %s", step+1, err, last)
		}
		if avg != nil {
			avg.update(step)
		}
		step++
		res.Step, res.Last = step, losses
		if err := metrics.write(step, epoch, lr, time.Since(t0).Seconds(), losses); err != nil {
			return res, err
		}
		if bar != nil {
			bar.Describe(describe(c.Model, losses))
			bar.Add(1)
		}
		if c.SampleEvery > 0 && step%c.SampleEvery == 0 {
			if err := writeSamples(filepath.Join(o.Out, "samples", fmt.Sprintf("step_%08d.png", step))); err != nil {
				return res, err
			}
		}
		if step == c.Steps || (c.CheckpointEvery > 0 && step%c.CheckpointEvery == 0) ||
			(o.StopAfter > 0 && step-start >= o.StopAfter) {
			if err := save(); err != nil {
				return res, err
			}
		}
		if o.StopAfter > 0 && step-start >= o.StopAfter {
			break
		}
	}
	if c.SampleEvery > 0 && step == c.Steps && step%c.SampleEvery != 0 {
		if err := writeSamples(filepath.Join(o.Out, "samples", fmt.Sprintf("step_%08d.png", step))); err != nil {
			return res, err
		}
	}
	return res, nil
}

// schedule returns the LR schedule and base rate of the model's reference:
// constant for InstaFormer (its scheduler is commented out, Q10), linear
// decay for CUT, FastCUT and CycleGAN.
func schedule(c Config) (optim.Schedule, float64) {
	if c.Model == "instaformer" {
		return optim.Constant{}, c.InstaFormer.LR
	}
	return optim.Linear{NEpochs: c.CUT.NEpochs, NDecay: c.CUT.NEpochsDecay, EpochCount: 1}, c.CUT.LR
}

// describe formats the totals and a few more losses for the progress bar.
func describe(model string, l map[string]float64) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	rank := func(k string) int { // totals first
		switch k {
		case "G":
			return 0
		case "D":
			return 1
		}
		return 2
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	b.WriteString(model)
	for _, k := range keys[:min(len(keys), 4)] {
		fmt.Fprintf(&b, " %s %.3g", k, l[k])
	}
	return b.String()
}

// metricsLog appends one JSON object per step to metrics.jsonl.
type metricsLog struct{ f *os.File }

// openMetrics opens the log for appending after dropping any lines past
// step (written after the checkpoint a resumed run starts from).
func openMetrics(path string, step int) (*metricsLog, error) {
	if raw, err := os.ReadFile(path); err == nil {
		var keep bytes.Buffer
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var rec struct {
				Step int `json:"step"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Step <= step {
				keep.Write(sc.Bytes())
				keep.WriteByte('\n')
			}
		}
		if err := weights.WriteFileAtomic(path, keep.Bytes()); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &metricsLog{f}, nil
}

// write appends the record of one step.
func (l *metricsLog) write(step, epoch int, lr, secs float64, losses map[string]float64) error {
	rec := map[string]any{"step": step, "epoch": epoch, "lr": lr, "step_s": secs}
	for k, v := range losses {
		rec[k] = v
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = l.f.Write(append(b, '\n'))
	return err
}

// Close closes the log file.
func (l *metricsLog) Close() error { return l.f.Close() }

// ReadMetrics reads a run's metrics.jsonl.
func ReadMetrics(run string) ([]map[string]float64, error) {
	raw, err := os.ReadFile(filepath.Join(run, "metrics.jsonl"))
	if err != nil {
		return nil, err
	}
	var out []map[string]float64
	for i, line := range bytes.Split(raw, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec map[string]float64
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", filepath.Join(run, "metrics.jsonl"), i+1, err)
		}
		out = append(out, rec)
	}
	return out, nil
}
