package instaformer

import "fmt"

// Config holds every hyperparameter of the model and its training step.
// Defaults (DefaultConfig) are those of config/base_train.yaml and the
// module constructors (spec §1).
type Config struct {
	ImageSize int `json:"image_size"` // square input side H, a multiple of 32
	InputNC   int `json:"input_nc"`
	NGF       int `json:"ngf"`       // base width; content channels C = 4·ngf
	StyleDim  int `json:"style_dim"` // style code size (the reference hard-codes 8, Q17)
	MLPDim    int `json:"mlp_dim"`   // hidden width of the mapping MLP
	Embed     int `json:"embed"`     // token width E
	Depth     int `json:"depth"`     // transformer blocks
	Heads     int `json:"heads"`     // attention heads (dim_head = C, Q7)
	FFDim     int `json:"ff_dim"`    // transformer MLP width
	NumBox    int `json:"num_box"`   // box slots per image during training
	// PerLayerAdaIN gives every AdaIN layer its own slice of a larger mapping
	// MLP output (the paper's and MUNIT's reading). The code's default shares
	// one pair among all layers (spec Q1).
	PerLayerAdaIN bool `json:"per_layer_adain"`
	// MaskPaddingBoxes leaves padding box slots out of attention and the
	// AdaIN statistics (the intent). The code keeps them in (spec Q4).
	MaskPaddingBoxes bool `json:"mask_padding_boxes"`

	NDF     int `json:"ndf"`      // discriminator width
	DLayers int `json:"d_layers"` // discriminator layers

	HeadNC     int     `json:"head_nc"`      // global NCE head width
	InstHeadNC int     `json:"inst_head_nc"` // instance NCE head width
	NCELayers  []int   `json:"nce_layers"`   // content-encoder layers for PatchNCE
	NumPatches int     `json:"num_patches"`
	NCET       float32 `json:"nce_t"`

	WGAN      float32 `json:"w_gan"`
	WRecon    float32 `json:"w_recon"`
	WStyle    float32 `json:"w_style"`
	WNCE      float32 `json:"w_nce"`
	WInstNCE  float32 `json:"w_inst_nce"`
	LR        float64 `json:"lr"`
	Beta1     float64 `json:"beta1"`      // G and D
	Beta2     float64 `json:"beta2"`      // G and D
	HeadBeta1 float64 `json:"head_beta1"` // F uses PyTorch's default betas (Q10)
	HeadBeta2 float64 `json:"head_beta2"`
}

// DefaultConfig returns the official configuration at a given image side.
func DefaultConfig(size int) Config {
	return Config{ImageSize: size, InputNC: 3, NGF: 64, StyleDim: 8, MLPDim: 256, Embed: 1024, Depth: 6, Heads: 4,
		FFDim: 4096, NumBox: 20, NDF: 64, DLayers: 3, HeadNC: 256, InstHeadNC: 64, NCELayers: []int{0, 4, 8},
		NumPatches: 256, NCET: 0.07, WGAN: 1, WRecon: 10, WStyle: 10, WNCE: 2, WInstNCE: 2,
		LR: 2e-4, Beta1: 0.5, Beta2: 0.999, HeadBeta1: 0.9, HeadBeta2: 0.999}
}

// C is the content width 4·ngf.
func (c Config) C() int { return 4 * c.NGF }

// ContentSide is the content map side h = H/4.
func (c Config) ContentSide() int { return c.ImageSize / 4 }

// AdaINOut is the mapping MLP's output width: 2E, or 2E per AdaIN layer.
func (c Config) AdaINOut() int {
	if c.PerLayerAdaIN {
		return 2 * c.Embed * 2 * c.Depth
	}
	return 2 * c.Embed
}

// Validate reports the first constraint of spec §1 that c breaks.
func (c Config) Validate() error {
	switch {
	case c.ImageSize <= 0 || c.ImageSize%32 != 0:
		return fmt.Errorf("instaformer: image size %d must be a positive multiple of 32", c.ImageSize)
	case c.NGF <= 0 || c.Embed < c.C() || c.Embed%c.C() != 0:
		return fmt.Errorf("instaformer: embed %d must be a multiple of 4·ngf = %d", c.Embed, c.C())
	case c.ImageSize == 32 && c.NumBox <= 0:
		return fmt.Errorf("instaformer: a 32-pixel image gives one token, too few for AdaIN")
	case c.Depth <= 0 || c.Heads <= 0 || c.FFDim <= 0 || c.MLPDim <= 0 || c.StyleDim <= 0:
		return fmt.Errorf("instaformer: depth, heads, ff_dim, mlp_dim and style_dim must be positive")
	case c.NDF <= 0 || c.DLayers <= 0:
		return fmt.Errorf("instaformer: ndf and d_layers must be positive")
	}
	return nil
}
