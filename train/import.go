package train

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"i2i/data"
	"i2i/nn"
	"i2i/tensor"
	"i2i/weights"
)

// Official checkpoints are one state_dict per module: InstaFormer writes
// <Module>.pth (spec §13), CUT and CycleGAN <epoch>_net_<name>.pth
// (specs/cut.md §7). Keys may carry DataParallel's "module." prefix, which is
// stripped (CUT C11, InstaFormer §13).

var cutFile = regexp.MustCompile(`_net_(G_A|G_B|D_A|D_B|G|D|F)$`)

// moduleOf names the model prefix a reference checkpoint file loads into.
func moduleOf(model, path string) (string, error) {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if model == "instaformer" {
		switch stem {
		case "ContentEncoder", "StyleEncoder", "Transformer", "MLP_Adain", "Decoder", "Discrim", "MLP_head", "MLP_head_inst":
			return stem + ".", nil
		}
		return "", fmt.Errorf("%s: not an InstaFormer module file (ContentEncoder.pth, Transformer.pth, …)", path)
	}
	if m := cutFile.FindStringSubmatch(stem); m != nil {
		return m[1] + ".", nil
	}
	return "", fmt.Errorf("%s: not a CUT/CycleGAN network file (<epoch>_net_G.pth, …)", path)
}

// Import builds the model of c and loads reference per-module checkpoint
// files into it by state_dict name, strictly within each module, then
// writes an i2i checkpoint (step 0) to out. It returns the modules loaded.
func Import(c Config, files []string, out string) ([]string, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %v", err)
	}
	m, err := NewModel(c, newRNG(c.Seed, initStream))
	if err != nil {
		return nil, err
	}
	all := nn.StateDict(m)
	var loaded []string
	for _, path := range files {
		prefix, err := moduleOf(c.Model, path)
		if err != nil {
			return nil, err
		}
		f, err := weights.Load(path)
		if err != nil {
			return nil, err
		}
		src := map[string]*tensor.Tensor{}
		for name, e := range f.Tensors {
			src[prefix+strings.TrimPrefix(name, "module.")] = e.Tensor()
		}
		var problems []string
		for name := range all {
			if strings.HasPrefix(name, prefix) {
				if _, ok := src[name]; !ok {
					problems = append(problems, "missing "+name)
				}
			}
		}
		for name, t := range src {
			p, ok := all[name]
			switch {
			case !ok:
				problems = append(problems, "unexpected "+name)
			case p.Numel() != t.Numel():
				problems = append(problems, fmt.Sprintf("%s: shape %v in file, %v in the model (check the widths in the config)", name, t.Shape(), p.Shape()))
			default:
				p.CopyFrom(t)
			}
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			if len(problems) > 8 {
				problems = append(problems[:8], fmt.Sprintf("and %d more", len(problems)-8))
			}
			return nil, fmt.Errorf("%s: %s", path, strings.Join(problems, "; "))
		}
		loaded = append(loaded, strings.TrimSuffix(prefix, "."))
	}
	return loaded, SaveCheckpoint(out, m, c, 0, data.LoaderState{})
}
