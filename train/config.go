package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"i2i/models/cut"
	"i2i/models/instaformer"
)

// Config is everything a run needs besides its data; it is written to the
// run directory as config.json.
type Config struct {
	Model string `json:"model"` // instaformer, cut, fastcut, cyclegan
	Seed  uint64 `json:"seed"`

	Data    string `json:"data"`    // data set directory
	From    string `json:"from"`    // source domain (A)
	To      string `json:"to"`      // target domain (B)
	Size    int    `json:"size"`    // training image side
	Load    int    `json:"load"`    // resize side before the random crop (0: Size, no crop)
	Flip    bool   `json:"flip"`    // random horizontal flips
	Batch   int    `json:"batch"`   // images per domain per step
	Workers int    `json:"workers"` // decoding goroutines (0: one per core)

	Steps           int `json:"steps"`            // total training iterations
	SampleEvery     int `json:"sample_every"`     // write a sample grid every N steps (0: never)
	CheckpointEvery int `json:"checkpoint_every"` // checkpoint every N steps (0: only at the end)
	Keep            int `json:"keep"`             // checkpoints kept
	// EMA, when in (0, 1), keeps an exponential moving average of the
	// generator's weights with this decay and uses it for samples,
	// translation and evaluation (not part of the reference methods).
	EMA float64 `json:"ema"`

	InstaFormer *instaformer.Config `json:"instaformer,omitempty"`
	CUT         *cut.Config         `json:"cut,omitempty"`
}

// DefaultConfig returns the defaults for a model at an image side: the
// reference hyperparameters (spec §1 of each model) with this project's
// run settings.
func DefaultConfig(model string, size int) (Config, error) {
	c := Config{Model: model, Seed: 1, From: "sunny", To: "night", Size: size, Flip: true, Batch: 1,
		Steps: 10000, SampleEvery: 500, CheckpointEvery: 1000, Keep: 3}
	switch model {
	case "instaformer":
		ic := instaformer.DefaultConfig(size)
		c.InstaFormer = &ic
	case "cut", "fastcut", "cyclegan":
		cc, err := cut.Default(model, size)
		if err != nil {
			return c, err
		}
		c.CUT = &cc
		c.Load = size * 286 / 256 / 4 * 4 // resize 286, crop 256, scaled to the size
	default:
		return c, fmt.Errorf("unknown model %q (instaformer, cut, fastcut, cyclegan)", model)
	}
	return c, nil
}

// ReadConfig reads a config file over the defaults of its model; an unknown
// key is an error, so a typo does not silently fall back to a default.
func ReadConfig(path string, base Config) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return base, err
	}
	var probe struct {
		Model string `json:"model"`
		Size  int    `json:"size"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return base, fmt.Errorf("%s: %v", path, err)
	}
	if probe.Model != "" && probe.Model != base.Model || probe.Size != 0 && probe.Size != base.Size {
		m, s := base.Model, base.Size
		if probe.Model != "" {
			m = probe.Model
		}
		if probe.Size != 0 {
			s = probe.Size
		}
		if base, err = DefaultConfig(m, s); err != nil {
			return base, fmt.Errorf("%s: %v", path, err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&base); err != nil {
		return base, fmt.Errorf("%s: %v", path, err)
	}
	return base, nil
}

// Validate rejects absurd values with a message naming the field.
func (c Config) Validate() error {
	switch {
	case c.Size < 32 || c.Size > 4096:
		return fmt.Errorf("size %d out of range 32…4096", c.Size)
	case c.Load != 0 && (c.Load < c.Size || c.Load > 8192):
		return fmt.Errorf("load %d must be 0 or between size %d and 8192", c.Load, c.Size)
	case c.Batch < 1 || c.Batch > 256:
		return fmt.Errorf("batch %d out of range 1…256", c.Batch)
	case c.Steps < 1:
		return fmt.Errorf("steps %d must be at least 1", c.Steps)
	case c.SampleEvery < 0 || c.CheckpointEvery < 0:
		return fmt.Errorf("sample_every and checkpoint_every must not be negative")
	case c.Keep < 1:
		return fmt.Errorf("keep %d must be at least 1", c.Keep)
	case c.EMA < 0 || c.EMA >= 1:
		return fmt.Errorf("ema %v must be 0 (off) or in (0, 1)", c.EMA)
	case c.From == "" || c.To == "" || c.From == c.To:
		return fmt.Errorf("from %q and to %q must be two different domains", c.From, c.To)
	}
	switch c.Model {
	case "instaformer":
		if c.InstaFormer == nil {
			return fmt.Errorf("instaformer section missing")
		}
		if c.InstaFormer.ImageSize != c.Size {
			return fmt.Errorf("instaformer.image_size %d differs from size %d", c.InstaFormer.ImageSize, c.Size)
		}
		return c.InstaFormer.Validate()
	case "cut", "fastcut", "cyclegan":
		if c.CUT == nil {
			return fmt.Errorf("cut section missing")
		}
		if c.CUT.ImageSize != c.Size {
			return fmt.Errorf("cut.image_size %d differs from size %d", c.CUT.ImageSize, c.Size)
		}
		return c.CUT.Validate()
	}
	return fmt.Errorf("unknown model %q", c.Model)
}
