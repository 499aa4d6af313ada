package nn

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"i2i/tensor"
)

// Module is a node of a network: it owns named parameters and buffers and
// named child modules. Every type that embeds Base is a Module.
type Module interface {
	base() *Base
}

// Layer is a Module with a single-input forward pass.
type Layer interface {
	Module
	Forward(x *tensor.Tensor) *tensor.Tensor
}

// Base records a module's own tensors and children in registration order
// and its train/eval mode. Embed it in every module.
type Base struct {
	entries  []entry
	children []child
	training bool
}

type entry struct {
	name   string
	t      *tensor.Tensor
	buffer bool
}

type child struct {
	name string
	m    Module
}

func (b *Base) base() *Base { return b }

// Param registers a trainable tensor under name and returns it, marked as
// requiring a gradient.
func (b *Base) Param(name string, t *tensor.Tensor) *tensor.Tensor {
	t.SetRequiresGrad(true)
	b.entries = append(b.entries, entry{name, t, false})
	return t
}

// Buffer registers a non-trainable tensor (running statistics, fixed
// filters) under name and returns it.
func (b *Base) Buffer(name string, t *tensor.Tensor) *tensor.Tensor {
	b.entries = append(b.entries, entry{name, t, true})
	return t
}

// Child registers a sub-module under name and returns it.
func (b *Base) Child(name string, m Module) Module {
	b.children = append(b.children, child{name, m})
	return m
}

// Training reports whether the module is in training mode.
func (b *Base) Training() bool { return b.training }

// Named is a tensor with its dotted state_dict key.
type Named struct {
	Name   string
	T      *tensor.Tensor
	Buffer bool
}

// Walk lists every parameter and buffer of m and its descendants, depth
// first in registration order, with dotted names as in state_dict().
func Walk(m Module) []Named {
	var out []Named
	var rec func(prefix string, m Module)
	rec = func(prefix string, m Module) {
		b := m.base()
		for _, e := range b.entries {
			out = append(out, Named{prefix + e.name, e.t, e.buffer})
		}
		for _, c := range b.children {
			rec(prefix+c.name+".", c.m)
		}
	}
	rec("", m)
	return out
}

// Parameters returns the trainable tensors of m in state_dict order.
func Parameters(m Module) []*tensor.Tensor {
	var ps []*tensor.Tensor
	for _, n := range Walk(m) {
		if !n.Buffer {
			ps = append(ps, n.T)
		}
	}
	return ps
}

// NumParams counts the trainable values of m.
func NumParams(m Module) int {
	n := 0
	for _, p := range Parameters(m) {
		n += p.Numel()
	}
	return n
}

// StateDict maps every dotted name to its tensor (shared, not copied).
func StateDict(m Module) map[string]*tensor.Tensor {
	sd := map[string]*tensor.Tensor{}
	for _, n := range Walk(m) {
		sd[n.Name] = n.T
	}
	return sd
}

// LoadStateDict copies values from src into m's tensors by name. With
// strict, a missing or unexpected name is an error; a shape mismatch always
// is. The error lists every problem.
func LoadStateDict(m Module, src map[string]*tensor.Tensor, strict bool) error {
	var problems []string
	seen := map[string]bool{}
	for _, n := range Walk(m) {
		s, ok := src[n.Name]
		if !ok {
			if strict {
				problems = append(problems, "missing "+n.Name)
			}
			continue
		}
		seen[n.Name] = true
		if s.Numel() != n.T.Numel() || (s.Dims() > 0 && !tensor.SameShape(s.Shape(), n.T.Shape())) {
			problems = append(problems, fmt.Sprintf("%s: shape %v in file, %v in model", n.Name, s.Shape(), n.T.Shape()))
			continue
		}
		n.T.CopyFrom(s)
	}
	if strict {
		var extra []string
		for k := range src {
			if !seen[k] {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			problems = append(problems, "unexpected "+k)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("load state dict: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Train switches m and all its descendants to training (on) or eval mode.
func Train(m Module, on bool) {
	b := m.base()
	b.training = on
	for _, c := range b.children {
		Train(c.m, on)
	}
}

// ZeroGrad drops the gradients of all parameters of m.
func ZeroGrad(m Module) {
	for _, p := range Parameters(m) {
		p.ZeroGrad()
	}
}

// Sequential applies layers in order; children are named "0", "1", … as
// in torch.nn.Sequential, parameterless layers included.
type Sequential struct {
	Base
	Layers []Layer
}

// NewSequential builds a Sequential of the given layers.
func NewSequential(layers ...Layer) *Sequential {
	s := &Sequential{}
	for _, l := range layers {
		s.Append(l)
	}
	return s
}

// Append adds a layer under the next index.
func (s *Sequential) Append(l Layer) {
	s.Child(fmt.Sprint(len(s.Layers)), l)
	s.Layers = append(s.Layers, l)
}

// Forward runs the layers in order. A norm followed by a ReLU runs as one
// fused operation (see reluFuser), and so does a nearest ×2 upsampling
// followed by a "same" convolution (fusedUpsample); the result is the same
// up to rounding.
func (s *Sequential) Forward(x *tensor.Tensor) *tensor.Tensor {
	y, _ := s.ForwardFeatures(x, nil, false)
	return y
}

// reluFuser is a layer that can apply a following ReLU in the same pass.
type reluFuser interface {
	// ForwardReLU returns ReLU(Forward(x)).
	ForwardReLU(x *tensor.Tensor) *tensor.Tensor
	// CanFuseReLU reports whether ForwardReLU is available for this layer.
	CanFuseReLU() bool
}

// fusedReLU reports whether layer i fuses with a ReLU at layer i+1.
func (s *Sequential) fusedReLU(i int) (reluFuser, bool) {
	if i+1 >= len(s.Layers) {
		return nil, false
	}
	f, ok := s.Layers[i].(reluFuser)
	if !ok || !f.CanFuseReLU() {
		return nil, false
	}
	if r, ok := s.Layers[i+1].(*Func); !ok || !r.relu {
		return nil, false
	}
	return f, true
}

// fusedUpsample reports whether layer i, a nearest ×2 upsampling, fuses
// with the convolution at layer i+1 (tensor.UpsampleConv2d: the same
// result from four smaller convolutions of the low-resolution image).
func (s *Sequential) fusedUpsample(i int) (*Conv2d, bool) {
	if i+1 >= len(s.Layers) {
		return nil, false
	}
	if f, ok := s.Layers[i].(*Func); !ok || f.upsample != 2 {
		return nil, false
	}
	c, ok := s.Layers[i+1].(*Conv2d)
	if !ok || c.PadMode != tensor.PadConstant || !tensor.UpsampleConvOK(c.Weight, c.Opts) {
		return nil, false
	}
	return c, true
}

// Func wraps a parameterless function as a Layer (ReLU, Tanh, …).
type Func struct {
	Base
	F        func(*tensor.Tensor) *tensor.Tensor
	relu     bool // F is tensor.ReLU (Sequential fuses it with a preceding norm)
	upsample int  // F is nearest upsampling by this factor (fused with a following conv)
}

// Forward applies the function.
func (f *Func) Forward(x *tensor.Tensor) *tensor.Tensor { return f.F(x) }

// ReLU returns a ReLU layer.
func ReLU() *Func { return &Func{F: tensor.ReLU, relu: true} }

// LeakyReLU returns a LeakyReLU layer with the given negative slope.
func LeakyReLU(slope float32) *Func {
	return &Func{F: func(x *tensor.Tensor) *tensor.Tensor { return tensor.LeakyReLU(x, slope) }}
}

// Tanh returns a tanh layer.
func Tanh() *Func { return &Func{F: tensor.Tanh} }

// Sigmoid returns a sigmoid layer.
func Sigmoid() *Func { return &Func{F: tensor.Sigmoid} }

// GELU returns an exact GELU layer.
func GELU() *Func { return &Func{F: tensor.GELU} }

// Identity returns a layer that passes its input through (also stands in
// for Dropout with p = 0, which the reference models use).
func Identity() *Func { return &Func{F: func(x *tensor.Tensor) *tensor.Tensor { return x }} }

// Pad2d returns a padding layer (ReflectionPad2d, ReplicationPad2d,
// ZeroPad2d) of p on every side.
func Pad2d(p int, mode tensor.PadMode) *Func {
	return &Func{F: func(x *tensor.Tensor) *tensor.Tensor { return tensor.Pad(x, p, p, p, p, mode, 0) }}
}

// UpsampleNearest returns an nn.Upsample(scale_factor=s, mode="nearest").
func UpsampleNearest(s int) *Func {
	return &Func{F: func(x *tensor.Tensor) *tensor.Tensor {
		return tensor.UpsampleNearest(x, x.Dim(-2)*s, x.Dim(-1)*s)
	}, upsample: s}
}

// ForwardFeatures runs the layers in order and also returns the outputs of
// the layer indices in at (in the order given), as the reference
// generators' forward(x, layers) does for PatchNCE. With encodeOnly it stops
// after the last listed layer and returns a nil output.
//
// The tensors passed between layers are handed back to the engine's buffer
// pool (tensor.Recycle) once dead, so layers must not keep their inputs or
// outputs past Forward; the input, the output and the features are kept.
func (s *Sequential) ForwardFeatures(x *tensor.Tensor, at []int, encodeOnly bool) (*tensor.Tensor, []*tensor.Tensor) {
	feats := make([]*tensor.Tensor, len(at))
	last := -1
	for _, i := range at {
		last = max(last, i)
	}
	in := x
	keep := make([]*tensor.Tensor, 0, 2+len(feats))
	for i := 0; i < len(s.Layers); i++ {
		prev := x
		if c, ok := s.fusedUpsample(i); ok && !slices.Contains(at, i) {
			x = tensor.UpsampleConv2d(x, c.Weight, c.Bias, c.Opts)
			i++
		} else if f, ok := s.fusedReLU(i); ok && !slices.Contains(at, i) {
			x = f.ForwardReLU(x)
			i++
		} else {
			x = s.Layers[i].Forward(x)
		}
		for j, a := range at {
			if a == i {
				feats[j] = x
			}
		}
		// The tensor passed between two layers is dead once the next has
		// run (the graph keeps what backward needs): its buffer goes back to
		// the engine's pool for the next forward pass.
		if prev != in {
			tensor.Recycle(prev, append(append(keep[:0], x, in), feats...)...)
		}
		if encodeOnly && i == last {
			return nil, feats
		}
	}
	return x, feats
}

// List is torch.nn.ModuleList: children named "0", "1", … with no forward
// of its own.
type List struct {
	Base
	Items []Module
}

// Append adds a module under the next index and returns it.
func (l *List) Append(m Module) Module {
	l.Child(fmt.Sprint(len(l.Items)), m)
	l.Items = append(l.Items, m)
	return m
}

// SetRequiresGrad turns gradient tracking of every parameter of m on or
// off (freezing a discriminator during the generator step, as
// set_requires_grad does in the reference trainers).
func SetRequiresGrad(m Module, on bool) {
	for _, p := range Parameters(m) {
		p.SetRequiresGrad(on)
	}
}
