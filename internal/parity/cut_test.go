package parity

import (
	"fmt"
	"testing"

	"i2i/internal/fixture"
	"i2i/models/cut"
	"i2i/nn"
	"i2i/tensor"
)

// TestCUTFixtures rebuilds every cut_* model case from its config.
func TestCUTFixtures(t *testing.T) {
	for _, c := range fixture.Cases(t, "models", "cut_") {
		t.Run(c.Name, func(t *testing.T) {
			oc := newOpCase(t, c)
			build, ok := cutBuilders[c.Name]
			if !ok {
				t.Fatalf("no builder for model case %q", c.Name)
			}
			build(oc)
			oc.verify()
		})
	}
}

// ids returns the stored patch ids state.patch_ids.<prefix><i> for i = 0…n−1.
func (oc *opCase) ids(prefix string, n int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = oc.Ints(oc.t, fmt.Sprintf("state.patch_ids.%s%d", prefix, i))
	}
	return out
}

// featShapes returns config.feat_shapes.
func (oc *opCase) featShapes() [][]int {
	var out [][]int
	for _, s := range oc.Config["feat_shapes"].([]any) {
		var dims []int
		for _, d := range s.([]any) {
			dims = append(dims, int(d.(float64)))
		}
		out = append(out, dims)
	}
	return out
}

func cutGenerator(oc *opCase) *cut.Generator {
	return cut.NewGenerator(cut.GeneratorConfig{InputNC: oc.Int("input_nc", 3), OutputNC: oc.Int("output_nc", 3),
		NGF: oc.Int("ngf", 64), Blocks: oc.Int("n_blocks", 9), NoAntialias: oc.Bool("no_antialias"),
		NoAntialiasUp: oc.Bool("no_antialias_up")}, rng())
}

var cutBuilders = map[string]func(oc *opCase){
	"cut_resnet_generator": func(oc *opCase) {
		g := cutGenerator(oc)
		oc.loadModule(g)
		x := oc.in["x"]
		oc.out["fake"] = g.Forward(x)
		layers := oc.IntList("nce_layers")
		feats, err := g.Encode(x, layers)
		if err != nil {
			oc.t.Fatal(err)
		}
		for i, l := range layers {
			oc.out[fmt.Sprintf("feat_%d", l)] = feats[i]
		}
	},
	"cut_patchgan": func(oc *opCase) {
		d, err := cut.NewDiscriminator(cut.DiscriminatorConfig{InputNC: oc.in["x"].Dim(1), NDF: oc.Int("ndf", 64),
			Layers: oc.Int("n_layers", 3), Norm: "instance"}, rng())
		if err != nil {
			oc.t.Fatal(err)
		}
		oc.loadModule(d)
		oc.out["pred"] = d.Forward(oc.in["x"])
	},
	"cut_patch_sample_f": func(oc *opCase) {
		shapes := oc.featShapes()
		f := cut.NewPatchSampleF(oc.Int("nc", 256))
		var ch []int
		for _, s := range shapes {
			ch = append(ch, s[1])
		}
		f.Create(ch, rng())
		oc.loadModule(f)
		feats := make([]*tensor.Tensor, len(shapes))
		for i := range shapes {
			feats[i] = oc.in[fmt.Sprintf("feat_%d", i)]
		}
		out, _ := f.Forward(feats, oc.Int("num_patches", 256), oc.ids("", len(shapes)), nil)
		for i, o := range out {
			oc.out[fmt.Sprintf("sample_%d", i)] = o
		}
	},
	"cut_nce_loss": func(oc *opCase) {
		g := cutGenerator(oc)
		oc.loadModuleAs(g, "G.")
		layers := oc.IntList("nce_layers")
		f := cut.NewPatchSampleF(oc.Int("nc", 256))
		var ch []int
		for _, s := range oc.featShapes() {
			ch = append(ch, s[1])
		}
		f.Create(ch, rng())
		oc.loadModuleAs(f, "F.")
		c := cut.NCEConfig{NumPatches: oc.Int("num_patches", 256), T: float32(oc.Float("nce_T", 0.07))}
		lambda := float32(oc.Float("lambda_NCE", 1))
		nce := func(src, tgt *tensor.Tensor, call int) *tensor.Tensor {
			q, err := g.Encode(tgt, layers)
			if err != nil {
				oc.t.Fatal(err)
			}
			var k []*tensor.Tensor
			tensor.NoGrad(func() { k, _ = g.Encode(src, layers) })
			loss, _ := cut.MultilayerNCE(q, k, f, c, lambda, oc.ids(fmt.Sprintf("%d.", call), len(layers)), nil)
			return loss
		}
		a := nce(oc.in["real_A"], oc.in["fake_B"], 0)
		b := nce(oc.in["real_B"], oc.in["idt_B"], 1)
		oc.out["loss_NCE"] = a
		oc.out["loss_NCE_Y"] = b
		oc.out["loss_NCE_both"] = tensor.MulScalar(tensor.Add(a, b), 0.5)
	},
}

var _ = nn.Walk
