package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"i2i/data"
	"i2i/nn"
	"i2i/tensor"
	"i2i/weights"
)

// A checkpoint is one safetensors file holding the model ("model.<key>",
// state_dict names), the optimiser moments ("optim.<name>.<key>"), any
// extra state ("extra.<key>") and, in its metadata, the config, the step
// and the loader position, so that it alone can resume a run or translate.
const checkpointFormat = "i2i-checkpoint-1"

// Checkpoint is a loaded checkpoint file.
type Checkpoint struct {
	Path   string
	Config Config
	Step   int
	Loader data.LoaderState
	file   *weights.File
}

// checkpointName is the file name of the checkpoint after step.
func checkpointName(step int) string { return fmt.Sprintf("step_%08d.safetensors", step) }

// SaveCheckpoint writes the model, optimisers and position atomically.
func SaveCheckpoint(path string, m Model, c Config, step int, ls data.LoaderState) error {
	return saveCheckpoint(path, m, nil, c, step, ls)
}

func saveCheckpoint(path string, m Model, avg *ema, c Config, step int, ls data.LoaderState) error {
	ts := map[string]*tensor.Tensor{}
	if avg != nil {
		for k, v := range avg.state() {
			ts[k] = v
		}
	}
	for _, n := range nn.Walk(m) {
		ts["model."+n.Name] = n.T
	}
	for name, o := range m.Optimizers() {
		for k, v := range o.State() {
			ts["optim."+name+"."+k] = v
		}
	}
	if x, ok := m.(extraState); ok {
		for k, v := range x.ExtraState() {
			ts["extra."+k] = v
		}
	}
	cj, err := json.Marshal(c)
	if err != nil {
		return err
	}
	meta := map[string]string{"format": checkpointFormat, "config": string(cj), "step": strconv.Itoa(step),
		"loader_epoch": strconv.Itoa(ls.Epoch), "loader_index": strconv.Itoa(ls.Index)}
	return weights.WriteSafetensors(path, ts, meta)
}

// LoadCheckpoint reads a checkpoint file and its metadata.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	f, err := weights.Load(path)
	if err != nil {
		return nil, err
	}
	if f.Metadata["format"] != checkpointFormat {
		return nil, fmt.Errorf("%s: not an i2i checkpoint (no %q metadata); weights from other tools need a model config", path, checkpointFormat)
	}
	ck := &Checkpoint{Path: path, file: f}
	if err := json.Unmarshal([]byte(f.Metadata["config"]), &ck.Config); err != nil {
		return nil, fmt.Errorf("%s: config metadata: %v", path, err)
	}
	for key, dst := range map[string]*int{"step": &ck.Step, "loader_epoch": &ck.Loader.Epoch, "loader_index": &ck.Loader.Index} {
		if *dst, err = strconv.Atoi(f.Metadata[key]); err != nil {
			return nil, fmt.Errorf("%s: metadata %s: %v", path, key, err)
		}
	}
	return ck, nil
}

// section returns the tensors under prefix with the prefix removed.
func (ck *Checkpoint) section(prefix string) map[string]*tensor.Tensor {
	out := map[string]*tensor.Tensor{}
	for name, e := range ck.file.Tensors {
		if strings.HasPrefix(name, prefix) {
			out[strings.TrimPrefix(name, prefix)] = e.Tensor()
		}
	}
	return out
}

// LoadWeights copies the model's parameters and buffers into m (strict).
func (ck *Checkpoint) LoadWeights(m Model) error {
	if err := nn.LoadStateDict(m, ck.section("model."), true); err != nil {
		return fmt.Errorf("%s: %v", ck.Path, err)
	}
	return nil
}

// Restore loads weights, optimiser moments and extra state into m.
func (ck *Checkpoint) Restore(m Model) error {
	if err := ck.LoadWeights(m); err != nil {
		return err
	}
	for name, o := range m.Optimizers() {
		if err := o.LoadState(ck.section("optim." + name + ".")); err != nil {
			return fmt.Errorf("%s: optimiser %s: %v", ck.Path, name, err)
		}
	}
	if x, ok := m.(extraState); ok {
		if err := x.LoadExtraState(ck.section("extra.")); err != nil {
			return fmt.Errorf("%s: %v", ck.Path, err)
		}
	}
	return nil
}

// Checkpoints lists a run's checkpoint files, oldest first.
func Checkpoints(run string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(run, "checkpoints", "step_*.safetensors"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// Latest returns the newest checkpoint of a run.
func Latest(run string) (string, error) {
	cks, err := Checkpoints(run)
	if err != nil {
		return "", err
	}
	if len(cks) == 0 {
		if _, err := os.Stat(run); err != nil {
			return "", fmt.Errorf("run %s: %v", run, err)
		}
		return "", fmt.Errorf("run %s has no checkpoint yet (checkpoints/step_*.safetensors)", run)
	}
	return cks[len(cks)-1], nil
}

// prune removes all but the newest keep checkpoints.
func prune(run string, keep int) error {
	cks, err := Checkpoints(run)
	if err != nil {
		return err
	}
	for i := 0; i < len(cks)-keep; i++ {
		if err := os.Remove(cks[i]); err != nil {
			return err
		}
	}
	return nil
}

// LoadModel builds the model of a checkpoint and loads its weights, in
// eval mode, for translation.
func LoadModel(path string) (Model, *Checkpoint, error) {
	ck, err := LoadCheckpoint(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := NewModel(ck.Config, newRNG(ck.Config.Seed, initStream))
	if err != nil {
		return nil, nil, err
	}
	if err := ck.LoadWeights(m); err != nil {
		return nil, nil, err
	}
	// A run with an EMA translates with the averaged generator.
	sd := nn.StateDict(m)
	for name, t := range ck.section("ema.") {
		if p, ok := sd[name]; ok && p.Numel() == t.Numel() {
			p.CopyFrom(t)
		}
	}
	nn.Train(m, false)
	return m, ck, nil
}

// Open loads a model for translation from a run directory (its newest
// checkpoint) or a checkpoint file.
func Open(path string) (Model, *Checkpoint, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		if path, err = Latest(path); err != nil {
			return nil, nil, err
		}
	}
	return LoadModel(path)
}
