package parity

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"i2i/internal/fixture"
	"i2i/kernel"
	"i2i/nn"
	"i2i/optim"
	"i2i/tensor"
)

// opCase is one fixture being rebuilt: its stored inputs and params become
// leaves (requiring gradients when the fixture stores theirs).
type opCase struct {
	*fixture.Case
	t     *testing.T
	in    map[string]*tensor.Tensor
	param map[string]*tensor.Tensor
	out   map[string]*tensor.Tensor
	state map[string]*tensor.Tensor
}

func newOpCase(t *testing.T, c *fixture.Case) *opCase {
	oc := &opCase{Case: c, t: t, in: map[string]*tensor.Tensor{}, param: map[string]*tensor.Tensor{},
		out: map[string]*tensor.Tensor{}, state: map[string]*tensor.Tensor{}}
	for _, n := range c.Names("in.") {
		x := c.T(t, n)
		if c.Has("grad." + n) {
			x.SetRequiresGrad(true)
		}
		oc.in[strings.TrimPrefix(n, "in.")] = x
	}
	for _, n := range c.Names("param.") {
		x := c.T(t, n)
		if c.Has("grad." + n) {
			x.SetRequiresGrad(true)
		}
		oc.param[strings.TrimPrefix(n, "param.")] = x
	}
	return oc
}

// loadModule copies the case's params into m by state_dict key and makes the
// module's tensors the ones whose gradients are checked.
func (oc *opCase) loadModule(m nn.Module) { oc.loadModuleAs(m, "") }

// loadModuleAs loads the params named prefix+key (multi-module cases store
// "param.<Module>.<key>") into m, strictly.
func (oc *opCase) loadModuleAs(m nn.Module, prefix string) {
	sd := map[string]*tensor.Tensor{}
	for k, v := range oc.param {
		if strings.HasPrefix(k, prefix) {
			sd[strings.TrimPrefix(k, prefix)] = v
		}
	}
	if err := nn.LoadStateDict(m, sd, true); err != nil {
		oc.t.Fatalf("%s: %v", oc.Name, err)
	}
	for _, n := range nn.Walk(m) {
		oc.param[prefix+n.Name] = n.T
	}
}

// verify checks outputs, back-propagates the stored output gradients (or
// the scalar losses; config.backward, when present, lists the outputs fed
// into backward) and checks input/param gradients and state.
func (oc *opCase) verify() {
	t := oc.t
	var backward map[string]bool
	if l, ok := oc.Config["backward"].([]any); ok {
		backward = map[string]bool{}
		for _, v := range l {
			backward[v.(string)] = true
		}
	}
	var outs, grads []*tensor.Tensor
	for name, o := range oc.out {
		oc.Check(t, "out."+name, o)
		if backward != nil && !backward[name] {
			continue
		}
		if oc.Has("grad_out." + name) {
			outs = append(outs, o)
			grads = append(grads, oc.T(t, "grad_out."+name))
		} else if o.Numel() == 1 && (o.Dims() == 0 || backward != nil) {
			outs = append(outs, o)
			grads = append(grads, tensor.Full(1, o.Shape()...))
		}
	}
	tensor.BackwardWith(outs, grads)
	for _, n := range oc.Names("grad.in.") {
		oc.Check(t, n, oc.in[strings.TrimPrefix(n, "grad.in.")].GradTensor())
	}
	for _, n := range oc.Names("grad.param.") {
		oc.Check(t, n, oc.param[strings.TrimPrefix(n, "grad.param.")].GradTensor())
	}
	for name, s := range oc.state {
		oc.Check(t, "state."+name, s)
	}
}

func pair(v []int) [2]int {
	if len(v) == 1 {
		return [2]int{v[0], v[0]}
	}
	return [2]int{v[0], v[1]}
}

// TestOpsFixtures rebuilds every case in the ops folder from its config.
func TestOpsFixtures(t *testing.T) {
	for _, asm := range []bool{true, false} {
		if asm && !kernel.AsmSupported() {
			continue // no assembly on this CPU
		}
		t.Run(fmt.Sprintf("asm=%v", asm), func(t *testing.T) {
			old := kernel.SetAsm(asm)
			defer kernel.SetAsm(old)
			for _, c := range fixture.Cases(t, "ops", "") {
				t.Run(c.Name, func(t *testing.T) {
					oc := newOpCase(t, c)
					op := c.String("op")
					build, ok := opBuilders[op]
					if !ok {
						t.Fatalf("no builder for op %q", op)
					}
					build(oc)
					if op != "adam" {
						oc.verify()
					}
				})
			}
		})
	}
}

var opBuilders = map[string]func(oc *opCase){
	"conv2d": func(oc *opCase) {
		mode, err := tensor.ParsePadMode(oc.String("padding_mode"))
		if err != nil {
			oc.t.Fatal(err)
		}
		conv := &nn.Conv2d{PadMode: mode, Opts: tensor.ConvOpts{
			Stride: pair(oc.IntList("stride")), Padding: pair(oc.IntList("padding")),
			Dilation: pair(oc.IntList("dilation")), Groups: oc.Int("groups", 1)}}
		conv.Weight = conv.Param("weight", tensor.New(oc.param["weight"].Shape()...))
		if oc.Bool("bias") {
			conv.Bias = conv.Param("bias", tensor.New(oc.Int("out_channels", 0)))
		}
		oc.loadModule(conv)
		oc.out["y"] = conv.Forward(oc.in["x"])
	},
	"conv_transpose2d": func(oc *opCase) {
		oc.out["y"] = tensor.ConvTranspose2d(oc.in["x"], oc.param["weight"], oc.param["bias"], tensor.ConvOpts{
			Stride: pair(oc.IntList("stride")), Padding: pair(oc.IntList("padding")),
			Dilation: pair(oc.IntList("dilation")), Groups: oc.Int("groups", 1),
			OutputPadding: pair(oc.IntList("output_padding"))})
	},
	"pad": func(oc *opCase) {
		mode, err := tensor.ParsePadMode(oc.String("mode"))
		if err != nil {
			oc.t.Fatal(err)
		}
		p := oc.IntList("pad")
		oc.out["y"] = tensor.Pad(oc.in["x"], p[0], p[1], p[2], p[3], mode, float32(oc.Float("value", 0)))
	},
	"instance_norm2d": func(oc *opCase) {
		n := nn.NewInstanceNorm2d(oc.in["x"].Dim(1), oc.Float("eps", 1e-5), oc.Bool("affine"))
		if oc.Bool("affine") {
			oc.loadModule(n)
		}
		oc.out["y"] = n.Forward(oc.in["x"])
	},
	"adain_munit": func(oc *opCase) {
		oc.out["y"] = nn.AdaIN(oc.in["x"], oc.in["weight"], oc.in["bias"], oc.Float("eps", 1e-5))
	},
	"adain_tokens_instaformer": func(oc *opCase) {
		oc.out["y"] = nn.AdaINTokens(oc.in["x"], oc.in["weight"], oc.in["bias"], oc.Float("eps", 1e-6))
	},
	"layernorm_munit": func(oc *opCase) {
		l := nn.NewLayerNormMUNIT(oc.in["x"].Dim(1), oc.Float("eps", 1e-5))
		oc.loadModule(l)
		oc.out["y"] = l.Forward(oc.in["x"])
	},
	"layernorm_drit": func(oc *opCase) {
		l := nn.NewLayerNormCHW(oc.in["x"].Dim(1))
		oc.loadModule(l)
		oc.out["y"] = l.Forward(oc.in["x"])
	},
	"layer_norm": func(oc *opCase) {
		l := nn.NewLayerNorm(oc.in["x"].Dim(-1), oc.Float("eps", 1e-5))
		oc.loadModule(l)
		oc.out["y"] = l.Forward(oc.in["x"])
	},
	"batch_norm2d_train": func(oc *opCase) {
		b := nn.NewBatchNorm2d(oc.in["x"].Dim(1))
		b.Eps, b.Momentum = oc.Float("eps", 1e-5), oc.Float("momentum", 0.1)
		oc.loadModule(b)
		nn.Train(b, true)
		oc.out["y"] = b.Forward(oc.in["x"])
		oc.state["running_mean"] = b.RunningMean
		oc.state["running_var"] = b.RunningVar
		oc.state["num_batches_tracked"] = b.NumBatches
	},
	"activation": func(oc *opCase) {
		x := oc.in["x"]
		var y *tensor.Tensor
		switch fn := oc.String("fn"); fn {
		case "relu":
			y = tensor.ReLU(x)
		case "leaky_relu":
			y = tensor.LeakyReLU(x, float32(oc.Float("negative_slope", 0.01)))
		case "gelu":
			y = tensor.GELU(x)
		case "tanh":
			y = tensor.Tanh(x)
		case "sigmoid":
			y = tensor.Sigmoid(x)
		case "softplus":
			y = tensor.Softplus(x, float32(oc.Float("beta", 1)), float32(oc.Float("threshold", 20)))
		default:
			oc.t.Fatalf("unknown activation %q", fn)
		}
		oc.out["y"] = y
	},
	"avg_pool2d": func(oc *opCase) {
		oc.out["y"] = tensor.AvgPool2d(oc.in["x"], poolOpts(oc))
	},
	"max_pool2d": func(oc *opCase) {
		oc.out["y"] = tensor.MaxPool2d(oc.in["x"], poolOpts(oc))
	},
	"adaptive_avg_pool2d": func(oc *opCase) {
		s := pair(oc.IntList("output_size"))
		oc.out["y"] = tensor.AdaptiveAvgPool2d(oc.in["x"], s[0], s[1])
	},
	"interpolate": func(oc *opCase) {
		x := oc.in["x"]
		var oh, ow int
		if sz := oc.IntList("size"); sz != nil {
			oh, ow = pair(sz)[0], pair(sz)[1]
		} else {
			sf := oc.Float("scale_factor", 1)
			oh, ow = int(float64(x.Dim(2))*sf), int(float64(x.Dim(3))*sf)
		}
		if oc.String("mode") == "bilinear" {
			oc.out["y"] = tensor.UpsampleBilinear(x, oh, ow)
		} else {
			oc.out["y"] = tensor.UpsampleNearest(x, oh, ow)
		}
	},
	"cut_downsample": func(oc *opCase) {
		d := nn.NewDownsample(oc.in["x"].Dim(1))
		oc.Check(oc.t, "param.filt", d.Filt) // the built filter is the reference buffer
		oc.out["y"] = d.Forward(oc.in["x"])
	},
	"cut_upsample": func(oc *opCase) {
		u := nn.NewUpsample(oc.in["x"].Dim(1))
		oc.Check(oc.t, "param.filt", u.Filt)
		oc.out["y"] = u.Forward(oc.in["x"])
	},
	"roi_align": func(oc *opCase) {
		s := pair(oc.IntList("output_size"))
		oc.out["y"] = tensor.RoIAlign(oc.in["x"], oc.in["boxes"], tensor.RoIAlignOpts{OutH: s[0], OutW: s[1],
			SpatialScale: float32(oc.Float("spatial_scale", 1)), SamplingRatio: oc.Int("sampling_ratio", -1), Aligned: oc.Bool("aligned")})
	},
	"linear": func(oc *opCase) {
		l := nn.NewLinear(oc.Int("in_features", 0), oc.Int("out_features", 0), oc.Bool("bias"), rng())
		oc.loadModule(l)
		oc.out["y"] = l.Forward(oc.in["x"])
	},
	"matmul": func(oc *opCase) { oc.out["y"] = tensor.MatMul(oc.in["a"], oc.in["b"]) },
	"bmm":    func(oc *opCase) { oc.out["y"] = tensor.MatMul(oc.in["a"], oc.in["b"]) },
	"softmax": func(oc *opCase) {
		oc.out["y"] = tensor.Softmax(oc.in["x"], oc.Int("dim", -1))
	},
	"log_softmax": func(oc *opCase) {
		oc.out["y"] = tensor.LogSoftmax(oc.in["x"], oc.Int("dim", -1))
	},
	"cross_entropy": func(oc *opCase) {
		oc.out["loss"] = tensor.CrossEntropy(oc.in["logits"], oc.Ints(oc.t, "in.target"))
	},
	"patchnce": func(oc *opCase) {
		oc.out["loss"] = nn.PatchNCE(oc.in["feat_q"], oc.in["feat_k"], oc.Int("batch_size", 1),
			float32(oc.Float("nce_T", 0.07)), oc.Bool("nce_includes_all_negatives_from_minibatch"))
	},
	"cut_normalize":   func(oc *opCase) { oc.out["y"] = nn.CUTNormalize(oc.in["x"]) },
	"l1_loss":         func(oc *opCase) { oc.out["loss"] = tensor.L1Loss(oc.in["input"], oc.in["target"]) },
	"mse_loss":        func(oc *opCase) { oc.out["loss"] = tensor.MSELoss(oc.in["input"], oc.in["target"]) },
	"bce_with_logits": func(oc *opCase) { oc.out["loss"] = tensor.BCEWithLogits(oc.in["input"], oc.in["target"]) },
	"lsgan_loss": func(oc *opCase) {
		oc.out["loss"] = nn.LSGANLoss(oc.in["prediction"], oc.Bool("target_is_real"))
	},
	"attention": func(oc *opCase) {
		a := nn.NewAttention(oc.Int("dim", 0), oc.Int("heads", 0), oc.Int("dim_head", 0), oc.Bool("qkv_bias"), rng())
		oc.loadModule(a)
		oc.out["y"] = a.Forward(oc.in["x"])
	},
	"vit_prenorm_block": func(oc *opCase) {
		dim := oc.Int("dim", 0)
		attn := nn.NewPreNorm(dim, 1e-6, nn.NewAttention(dim, oc.Int("heads", 0), oc.Int("dim_head", 0), oc.Bool("qkv_bias"), rng()))
		ff := nn.NewPreNorm(dim, 1e-6, nn.NewFeedForward(dim, oc.Int("mlp_dim", 0), rng()))
		m := &struct{ nn.Base }{}
		m.Child("layers", nn.NewSequential(nn.NewSequential(attn, ff)))
		oc.loadModule(m)
		x := oc.in["x"]
		x = tensor.Add(attn.Forward(x), x)
		oc.out["y"] = tensor.Add(ff.Forward(x), x)
	},
	"memory_read": func(oc *opCase) {
		eps := float32(oc.Float("normalize_eps", 1e-12))
		q := nn.L2Normalize(oc.in["q"], 1, eps)
		k := nn.L2Normalize(oc.in["keys"], 1, eps)
		sim := tensor.MatMul(q, tensor.Transpose(k, 0, 1))
		attn := tensor.Softmax(sim, 1)
		oc.out["sim"] = sim
		oc.out["attn"] = attn
		oc.out["attn_q"] = tensor.Softmax(sim, 0)
		oc.out["read"] = tensor.MatMul(attn, oc.in["values"])
	},
	"adam": func(oc *opCase) {
		names := []string{}
		for _, p := range oc.Config["params"].([]any) {
			names = append(names, p.([]any)[0].(string))
		}
		var params []*tensor.Tensor
		for _, n := range names {
			params = append(params, oc.param[n].SetRequiresGrad(true))
		}
		betas := oc.Config["betas"].([]any)
		opt := optim.NewAdam(params, optim.AdamConfig{LR: oc.Float("lr", 0), Beta1: betas[0].(float64),
			Beta2: betas[1].(float64), Eps: oc.Float("eps", 1e-8), WeightDecay: oc.Float("weight_decay", 0)})
		for s := 1; s <= oc.Int("steps", 1); s++ {
			for i, n := range names {
				params[i].Grad = oc.T(oc.t, fmt.Sprintf("in.grad_step%d.%s", s, n)).Data
			}
			opt.Step()
			for i, n := range names {
				oc.Check(oc.t, fmt.Sprintf("out.step%d.%s", s, n), params[i])
				oc.Check(oc.t, fmt.Sprintf("state.step%d.exp_avg.%s", s, n), tensor.FromSlice(opt.ExpAvg[i], params[i].Shape()...))
				oc.Check(oc.t, fmt.Sprintf("state.step%d.exp_avg_sq.%s", s, n), tensor.FromSlice(opt.ExpAvgSq[i], params[i].Shape()...))
			}
			oc.Check(oc.t, fmt.Sprintf("state.step%d.step", s), tensor.Scalar(float32(opt.Steps)))
		}
	},
}

// rng is a fixed source for initialisers whose values the fixture overwrites.
func rng() *rand.Rand { return rand.New(rand.NewPCG(0, 0)) }

func poolOpts(oc *opCase) tensor.PoolOpts {
	k := pair(oc.IntList("kernel_size"))
	s := k
	if st := oc.IntList("stride"); st != nil {
		s = pair(st)
	}
	var p [2]int
	if pd := oc.IntList("padding"); pd != nil {
		p = pair(pd)
	}
	return tensor.PoolOpts{Kernel: k, Stride: s, Padding: p, CountIncludePad: oc.Config["count_include_pad"] != false}
}
