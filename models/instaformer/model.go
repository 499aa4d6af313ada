package instaformer

import (
	"math/rand/v2"

	"i2i/models/cut"
	"i2i/nn"
	"i2i/tensor"
)

// Model holds every module of InstaFormer under the names of the official
// checkpoint files (spec §13), so a state_dict key reads
// "<Module>.<key>", e.g. "Transformer.transformer.layers.0.0.fn.to_qkv.weight".
type Model struct {
	nn.Base
	Cfg      Config
	Content  *ContentEncoder    // ContentEncoder
	Style    *StyleEncoder      // StyleEncoder
	Agg      *Aggregator        // Transformer
	MLP      *MappingMLP        // MLP_Adain
	Dec      *Decoder           // Decoder
	D        *cut.Discriminator // Discrim (BatchNorm PatchGAN)
	Head     *cut.PatchSampleF  // MLP_head (global NCE)
	InstHead *cut.PatchSampleF  // MLP_head_inst (instance NCE)
}

// New builds the model from cfg, drawing every initial weight from rng:
// PyTorch's default initialisation for G and D, xavier(0.02) for the heads
// (spec Q12). The heads are created up front from the known feature
// channels instead of lazily (Q9).
func New(cfg Config, rng *rand.Rand) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg.C()
	m := &Model{Cfg: cfg}
	m.Content = m.Child("ContentEncoder", NewContentEncoder(cfg.InputNC, cfg.NGF, rng)).(*ContentEncoder)
	m.Style = m.Child("StyleEncoder", NewStyleEncoder(cfg.InputNC, cfg.NGF, cfg.StyleDim, rng)).(*StyleEncoder)
	m.Agg = m.Child("Transformer", NewAggregator(c, cfg.ContentSide(), cfg.Embed, cfg.Depth, cfg.Heads, cfg.FFDim, rng)).(*Aggregator)
	m.Agg.MaskPadding = cfg.MaskPaddingBoxes
	m.MLP = m.Child("MLP_Adain", NewMappingMLP(cfg.StyleDim, cfg.MLPDim, cfg.AdaINOut(), rng)).(*MappingMLP)
	m.Dec = m.Child("Decoder", NewDecoder(cfg.Embed, c, cfg.NGF, cfg.InputNC, rng)).(*Decoder)
	d, err := cut.NewDiscriminator(cut.DiscriminatorConfig{InputNC: cfg.InputNC, NDF: cfg.NDF, Layers: cfg.DLayers, Norm: "batch"}, rng)
	if err != nil {
		return nil, err
	}
	m.D = m.Child("Discrim", d).(*cut.Discriminator)
	m.Head = m.Child("MLP_head", cut.NewPatchSampleF(cfg.HeadNC)).(*cut.PatchSampleF)
	m.Head.Create(m.featChannels(), rng)
	m.InstHead = m.Child("MLP_head_inst", cut.NewPatchSampleF(cfg.InstHeadNC)).(*cut.PatchSampleF)
	m.InstHead.Create([]int{c}, rng)
	return m, nil
}

// featChannels are the channel counts of the content encoder's NCE layers.
func (m *Model) featChannels() []int {
	var ch []int
	for _, l := range m.Cfg.NCELayers {
		switch {
		case l < 1:
			ch = append(ch, m.Cfg.InputNC)
		case l < 4:
			ch = append(ch, m.Cfg.NGF)
		case l < 8:
			ch = append(ch, 2*m.Cfg.NGF)
		default:
			ch = append(ch, 4*m.Cfg.NGF)
		}
	}
	return ch
}

// Generator lists the modules the G optimiser updates, in the reference's
// order: content, style, transformer, mapping MLP, decoder.
func (m *Model) Generator() []nn.Module {
	return []nn.Module{m.Content, m.Style, m.Agg, m.MLP, m.Dec}
}

// Heads lists the NCE heads (optimizer_F).
func (m *Model) Heads() []nn.Module { return []nn.Module{m.Head, m.InstHead} }

// RandomStyle draws z ~ N(0, I) of shape [B, S, 1, 1].
func (m *Model) RandomStyle(b int, rng *rand.Rand) *tensor.Tensor {
	return tensor.Randn(rng, b, m.Cfg.StyleDim, 1, 1)
}

// Translate is model_forward(I2I) given a style code z [B, S, 1, 1]: the
// content of x, AdaIN parameters from MLP(z), the transformer over patch
// tokens (plus box tokens when box is non-nil) and the decoder. It returns
// the image, the content map and the box tokens (nil without boxes). At test
// time the reference passes no boxes (spec §12).
func (m *Model) Translate(x, z, box *tensor.Tensor) (fake, content, boxTokens *tensor.Tensor) {
	content, _ = m.Content.Forward(x, nil)
	m.Agg.Transformer.AssignAdaIN(m.MLP.Forward(z))
	tokens, boxTokens := m.Agg.Forward(content, box)
	return m.Dec.Forward(tokens), content, boxTokens
}

// TranslateLike is reference-guided translation: the style code comes from
// StyleEncoder(ref) instead of a random draw.
func (m *Model) TranslateLike(x, ref *tensor.Tensor) *tensor.Tensor {
	fake, _, _ := m.Translate(x, m.Style.Forward(ref), nil)
	return fake
}
