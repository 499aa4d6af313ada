package cut

import "fmt"

// Config holds the options of a CUT, FastCUT or CycleGAN run (specs/cut.md
// §1, §9); Default returns each mode's defaults.
type Config struct {
	Mode          string  `json:"mode"` // "cut", "fastcut" or "cyclegan"
	ImageSize     int     `json:"image_size"`
	NGF           int     `json:"ngf"`
	Blocks        int     `json:"n_blocks"`
	NDF           int     `json:"ndf"`
	DLayers       int     `json:"n_layers_d"`
	NoAntialias   bool    `json:"no_antialias"`
	NoAntialiasUp bool    `json:"no_antialias_up"`
	InitType      string  `json:"init_type"`
	InitGain      float64 `json:"init_gain"`

	NCELayers        []int   `json:"nce_layers"`
	NCEIdt           bool    `json:"nce_idt"`
	FlipEquivariance bool    `json:"flip_equivariance"`
	LambdaGAN        float32 `json:"lambda_gan"`
	LambdaNCE        float32 `json:"lambda_nce"`
	NetFNC           int     `json:"netf_nc"`
	NumPatches       int     `json:"num_patches"`
	NCET             float32 `json:"nce_t"`
	AllNegatives     bool    `json:"nce_includes_all_negatives_from_minibatch"`

	// CycleGAN
	LambdaA   float32 `json:"lambda_a"`
	LambdaB   float32 `json:"lambda_b"`
	LambdaIdt float32 `json:"lambda_identity"`
	PoolSize  int     `json:"pool_size"`

	LR           float64 `json:"lr"`
	Beta1        float64 `json:"beta1"`
	Beta2        float64 `json:"beta2"`
	NEpochs      int     `json:"n_epochs"`
	NEpochsDecay int     `json:"n_epochs_decay"`
}

// Default returns the repository's defaults for mode cut, fastcut or
// cyclegan at the given image side.
func Default(mode string, size int) (Config, error) {
	c := Config{Mode: mode, ImageSize: size, NGF: 64, Blocks: 9, NDF: 64, DLayers: 3, InitType: "xavier", InitGain: 0.02,
		NCELayers: []int{0, 4, 8, 12, 16}, NCEIdt: true, LambdaGAN: 1, LambdaNCE: 1, NetFNC: 256, NumPatches: 256,
		NCET: 0.07, LR: 2e-4, Beta1: 0.5, Beta2: 0.999, NEpochs: 200, NEpochsDecay: 200}
	switch mode {
	case "cut":
	case "fastcut":
		c.NCEIdt, c.FlipEquivariance, c.LambdaNCE = false, true, 10
		c.NEpochs, c.NEpochsDecay = 150, 50
	case "cyclegan":
		c.LambdaA, c.LambdaB, c.LambdaIdt, c.PoolSize = 10, 10, 0.5, 50
		c.NEpochs, c.NEpochsDecay = 100, 100
	default:
		return c, fmt.Errorf("cut: unknown mode %q (cut, fastcut, cyclegan)", mode)
	}
	return c, nil
}

// Validate reports the first unusable option.
func (c Config) Validate() error {
	switch {
	case c.ImageSize <= 0 || c.ImageSize%4 != 0:
		return fmt.Errorf("cut: image size %d must be a positive multiple of 4", c.ImageSize)
	case c.NGF <= 0 || c.NDF <= 0 || c.Blocks < 0 || c.DLayers <= 0:
		return fmt.Errorf("cut: ngf, ndf and n_layers_d must be positive and n_blocks non-negative")
	case c.Mode != "cyclegan" && (c.NumPatches <= 0 || c.NetFNC <= 0 || len(c.NCELayers) == 0):
		return fmt.Errorf("cut: num_patches, netf_nc and nce_layers must be set")
	case c.PoolSize < 0:
		return fmt.Errorf("cut: pool_size %d is negative", c.PoolSize)
	}
	return nil
}

func (c Config) generator() GeneratorConfig {
	return GeneratorConfig{InputNC: 3, OutputNC: 3, NGF: c.NGF, Blocks: c.Blocks, NoAntialias: c.NoAntialias,
		NoAntialiasUp: c.NoAntialiasUp}
}

func (c Config) discriminator() DiscriminatorConfig {
	return DiscriminatorConfig{InputNC: 3, NDF: c.NDF, Layers: c.DLayers, Norm: "instance", NoAntialias: c.NoAntialias}
}
