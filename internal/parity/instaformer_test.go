package parity

import (
	"fmt"
	"strings"
	"testing"

	"i2i/internal/fixture"
	"i2i/models/cut"
	"i2i/models/instaformer"
	"i2i/nn"
	"i2i/tensor"
)

// TestInstaFormerFixtures rebuilds every instaformer_* model case from its
// config.
func TestInstaFormerFixtures(t *testing.T) {
	for _, c := range fixture.Cases(t, "models", "instaformer_") {
		t.Run(c.Name, func(t *testing.T) {
			oc := newOpCase(t, c)
			name := strings.TrimPrefix(c.Name, "instaformer_")
			build, ok := instaformerBuilders[name]
			if !ok {
				t.Fatalf("no builder for model case %q", c.Name)
			}
			if build(oc) {
				oc.verify()
			}
		})
	}
}

// instaConfig rebuilds a small model configuration from a case's config.
func instaConfig(oc *opCase) instaformer.Config {
	c := instaformer.DefaultConfig(oc.Int("H", 64))
	c.NGF = oc.Int("ngf", 4)
	c.Embed = oc.Int("embed_C", 64)
	c.Depth = oc.Int("depth", 2)
	c.Heads = oc.Int("heads", 4)
	c.FFDim = oc.Int("mlp_dim", 256)
	c.MLPDim = oc.Int("mlp_adain_dim", 32)
	c.StyleDim = oc.Int("style_dim", 8)
	c.NumBox = oc.Int("num_box", 4)
	c.NDF = oc.Int("ndf", 8)
	c.DLayers = oc.Int("n_layers_D", 3)
	c.HeadNC = oc.Int("nc_global", 64)
	c.InstHeadNC = oc.Int("nc_inst", 64)
	c.NumPatches = oc.Int("num_patches", 256)
	c.NCET = float32(oc.Float("nce_T", 0.07))
	if w, ok := oc.Config["weights"].(map[string]any); ok {
		c.WGAN, c.WRecon, c.WStyle = f32(w["w_GAN"]), f32(w["w_Recon"]), f32(w["w_Style"])
		c.WNCE, c.WInstNCE = f32(w["w_NCE"]), f32(w["w_Instance_NCE"])
	}
	return c
}

func f32(v any) float32 { x, _ := v.(float64); return float32(x) }

func patchHead(oc *opCase) *cut.PatchSampleF {
	f := cut.NewPatchSampleF(oc.Int("nc", 256))
	var ch []int
	for _, s := range oc.featShapes() {
		ch = append(ch, s[1])
	}
	f.Create(ch, rng())
	oc.loadModule(f)
	return f
}

// validRows lists the rows of box [B, nb, 5] whose class is not −1.
func validRows(box *tensor.Tensor) []int {
	var v []int
	for i := 0; i < box.Numel()/5; i++ {
		if box.Data[i*5] != -1 {
			v = append(v, i)
		}
	}
	return v
}

// Each builder fills oc.out (and oc.state) and returns true when the
// generic verify should run.
var instaformerBuilders = map[string]func(oc *opCase) bool{
	"content_encoder": func(oc *opCase) bool {
		e := instaformer.NewContentEncoder(oc.Int("input_nc", 3), oc.Int("ngf", 64), rng())
		oc.loadModule(e)
		layers := oc.IntList("layers")
		content, feats := e.Forward(oc.in["x"], layers)
		oc.out["content"] = content
		for i, l := range layers {
			oc.out[fmt.Sprintf("feat_%d", l)] = feats[i]
		}
		return true
	},
	"style_encoder": func(oc *opCase) bool {
		e := instaformer.NewStyleEncoder(oc.Int("input_nc", 3), oc.Int("ngf", 64), oc.Int("style_dim", 8), rng())
		oc.loadModule(e)
		oc.out["style"] = e.Forward(oc.in["x"])
		return true
	},
	"mlp_adain": func(oc *opCase) bool {
		m := instaformer.NewMappingMLP(oc.Int("input_dim", 8), oc.Int("dim", 256), oc.Int("output_dim", 2048), rng())
		oc.loadModule(m)
		oc.out["adain"] = m.Forward(oc.in["z"])
		return true
	},
	"box_roi": func(oc *opCase) bool {
		oc.out["roi"] = instaformer.BoxFeatures(oc.in["content"], oc.in["box"])
		return true
	},
	"aggregator_nobox": func(oc *opCase) bool { return aggregator(oc) },
	"aggregator_box":   func(oc *opCase) bool { return aggregator(oc) },
	"decoder": func(oc *opCase) bool {
		d := instaformer.NewDecoder(oc.Int("embed_C", 1024), oc.Int("feat_C", 256), oc.Int("ngf", 64), 3, rng())
		oc.loadModule(d)
		oc.out["img"] = d.Forward(oc.in["tokens"])
		return true
	},
	"generator": func(oc *opCase) bool {
		c := instaConfig(oc)
		content := instaformer.NewContentEncoder(3, c.NGF, rng())
		agg := instaformer.NewAggregator(c.C(), oc.Int("img_size", 16), c.Embed, c.Depth, c.Heads, c.FFDim, rng())
		mlp := instaformer.NewMappingMLP(c.StyleDim, c.MLPDim, oc.Int("mlp_adain_out", 2*c.Embed), rng())
		dec := instaformer.NewDecoder(c.Embed, c.C(), c.NGF, 3, rng())
		oc.loadModuleAs(content, "ContentEncoder.")
		oc.loadModuleAs(agg, "Transformer.")
		oc.loadModuleAs(mlp, "MLP_Adain.")
		oc.loadModuleAs(dec, "Decoder.")
		a, z, box := oc.in["A"], oc.in["z"], oc.in["A_box"]
		if err := instaformer.CheckBoxes(box); err != nil {
			oc.t.Fatal(err)
		}
		ca, _ := content.Forward(a, nil)
		agg.Transformer.AssignAdaIN(mlp.Forward(z))
		tok, boxTok := agg.Forward(ca, box)
		oc.out["fake"] = dec.Forward(tok)
		oc.out["fake_box"] = dec.DecodeBoxes(boxTok)
		tok2, _ := agg.Forward(ca, nil) // the test path: same z, no boxes
		oc.out["fake_nobox"] = dec.Forward(tok2)
		return true
	},
	"discriminator":       func(oc *opCase) bool { return discriminator(oc, true) },
	"discriminator_eval":  func(oc *opCase) bool { return discriminator(oc, false) },
	"patch_sample_global": func(oc *opCase) bool { return patchSample(oc) },
	"patch_sample_inst":   func(oc *opCase) bool { return patchSample(oc) },
	"patchnce_loss": func(oc *opCase) bool {
		oc.out["loss"] = nn.PatchNCE(oc.in["feat_q"], oc.in["feat_k"], oc.Int("batch_size", 1), float32(oc.Float("nce_T", 0.07)), false)
		return true
	},
	"nce_global": func(oc *opCase) bool {
		f := patchHead(oc)
		n := len(oc.featShapes())
		var q, k []*tensor.Tensor
		for i := 0; i < n; i++ {
			q = append(q, oc.in[fmt.Sprintf("feat_q_%d", i)])
			k = append(k, oc.in[fmt.Sprintf("feat_k_%d", i)])
		}
		c := cut.NCEConfig{NumPatches: oc.Int("num_patches", 256), T: float32(oc.Float("nce_T", 0.07))}
		oc.out["loss"], _ = cut.MultilayerNCE(q, k, f, c, 1, oc.ids("", n), nil)
		return true
	},
	"nce_instance": func(oc *opCase) bool {
		f := cut.NewPatchSampleF(oc.Int("nc", 64))
		f.Create([]int{oc.in["box_feat"].Dim(1)}, rng())
		oc.loadModule(f)
		valid := validRows(oc.in["box"])
		q := tensor.IndexSelect(oc.in["fake_box_feat"], 0, valid)
		k := tensor.IndexSelect(oc.in["box_feat"], 0, valid)
		c := cut.NCEConfig{NumPatches: oc.Int("num_patches", 64), T: float32(oc.Float("nce_T", 0.07))}
		oc.out["loss"], _ = cut.MultilayerNCE([]*tensor.Tensor{q}, []*tensor.Tensor{k}, f, c, 1, oc.ids("", 1), nil)
		return true
	},
	"train_step": trainStep,
}

func aggregator(oc *opCase) bool {
	a := instaformer.NewAggregator(oc.Int("feat_C", 256), oc.Int("img_size", 88), oc.Int("embed_C", 1024),
		oc.Int("depth", 6), oc.Int("heads", 4), oc.Int("mlp_dim", 4096), rng())
	oc.loadModule(a)
	if oc.Int("dim_head", 0) != oc.Int("feat_C", 0) {
		oc.t.Fatalf("dim_head %d ≠ feat_C %d: the reference ties them (Q7)", oc.Int("dim_head", 0), oc.Int("feat_C", 0))
	}
	oc.Check(oc.t, "state.pos_embed", a.PatchCode())
	var box *tensor.Tensor
	if oc.Int("num_box", -1) > 0 {
		box = oc.in["box"]
		oc.Check(oc.t, "state.box_pos", a.BoxCode(box))
	}
	a.Transformer.AssignAdaIN(oc.in["adain"])
	feat, boxTok := a.Forward(oc.in["content"], box)
	oc.out["feat"] = feat
	if box != nil {
		oc.out["box"] = boxTok
	}
	return true
}

func discriminator(oc *opCase, train bool) bool {
	d, err := cut.NewDiscriminator(cut.DiscriminatorConfig{InputNC: oc.Int("input_nc", 3), NDF: oc.Int("ndf", 64),
		Layers: oc.Int("n_layers", 3), Norm: "batch"}, rng())
	if err != nil {
		oc.t.Fatal(err)
	}
	oc.loadModule(d)
	nn.Train(d, train)
	oc.out["pred"] = d.Forward(oc.in["x"])
	if train {
		sd := nn.StateDict(d)
		for _, n := range oc.Names("state.after.") {
			oc.state[strings.TrimPrefix(n, "state.")] = sd[strings.TrimPrefix(n, "state.after.")]
		}
	}
	return true
}

func patchSample(oc *opCase) bool {
	f := patchHead(oc)
	n := len(oc.featShapes())
	feats := make([]*tensor.Tensor, n)
	for i := range feats {
		feats[i] = oc.in[fmt.Sprintf("feat_%d", i)]
	}
	out, _ := f.Forward(feats, oc.Int("num_patches", 256), oc.ids("", n), nil)
	for i, o := range out {
		oc.out[fmt.Sprintf("sample_%d", i)] = o
	}
	return true
}

// trainStep replays one train.py iteration with the stored draws and checks
// the images, every loss term, D's gradients and state after its update and
// the gradients of loss_G.
func trainStep(oc *opCase) bool {
	t := oc.t
	m, err := instaformer.New(instaConfig(oc), rng())
	if err != nil {
		t.Fatal(err)
	}
	sd := map[string]*tensor.Tensor{}
	for k, v := range oc.param {
		sd[k] = v
	}
	if err := nn.LoadStateDict(m, sd, true); err != nil {
		t.Fatal(err)
	}
	tr := instaformer.NewTrainer(m)
	dr := &instaformer.Draws{Z: oc.T(t, "state.z"), NCEIDs: oc.ids("MLP_head.", len(m.Cfg.NCELayers)),
		InstIDs: oc.Ints(t, "state.patch_ids.MLP_head_inst.0")}
	f := tr.Forward(oc.in["A"], oc.in["B"], oc.in["A_box"], oc.in["B_box"], dr, nil)
	oc.Check(t, "out.fake", f.Fake)
	oc.Check(t, "out.recon", f.Recon)

	tr.OptD.ZeroGrad()
	dTotal, dFake, dReal := tr.DLoss(f)
	oc.Check(t, "out.loss_D", dTotal)
	oc.Check(t, "out.loss_D_fake", dFake)
	oc.Check(t, "out.loss_D_real", dReal)
	dTotal.Backward()
	dsd := nn.StateDict(m.D)
	for _, n := range oc.Names("state.D_grad.") {
		oc.Check(t, n, dsd[strings.TrimPrefix(n, "state.D_grad.")].GradTensor())
	}
	tr.OptD.Step()

	nn.SetRequiresGrad(m.D, false)
	tr.OptG.ZeroGrad()
	tr.OptF.ZeroGrad()
	g, terms := tr.GLoss(f, dr, nil)
	oc.Check(t, "out.loss_G", g)
	for name, ref := range map[string]string{"G_GAN": "loss_GAN", "recon": "loss_recon", "style": "loss_style",
		"NCE": "loss_NCE", "instNCE": "loss_instNCE"} {
		oc.Check(t, "out."+ref, terms[name])
	}
	g.Backward()
	for _, n := range oc.Names("state.D_after.") {
		oc.Check(t, n, dsd[strings.TrimPrefix(n, "state.D_after.")])
	}
	all := nn.StateDict(m)
	for _, n := range oc.Names("grad.param.") {
		key := strings.TrimPrefix(n, "grad.param.")
		p := all[key]
		if strings.HasPrefix(key, "Discrim.") {
			// D is frozen in the G step: loss_G gives its parameters no gradient.
			if p.Grad != nil && p.RequiresGrad() {
				t.Errorf("%s: frozen D received a gradient", key)
			}
			p = tensor.New(p.Shape()...)
		} else {
			p = p.GradTensor()
		}
		oc.Check(t, n, p)
	}
	return false
}
