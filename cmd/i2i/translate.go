package main

import (
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"i2i/data"
	"i2i/tensor"
	"i2i/train"
)

func translateCmd() *cobra.Command {
	var (
		run, weightsFile, in, out, boxes, styleRef string
		styles                                     int
		seed                                       uint64
		quiet                                      bool
	)
	cmd := &cobra.Command{
		Use:   "translate",
		Short: "Translate an image or a folder of images with a trained model",
		Long: `Translate images with the newest checkpoint of --run RUN or a checkpoint file --weights FILE.

Any input size works: each image is resized (bilinear, aspect not kept) to the model's training
side, translated, and the result resized back to the input's size. Multimodal models
(InstaFormer) write --styles K outputs per image with random styles drawn from --seed
(NAME_s0.png …), or one output in the style of --style-ref IMG. Boxes are optional: --boxes
takes an InstaFormer box file (one "cls x1 y1 x2 y2" line per box, normalised) for a single
image, or a folder of STEM.txt files for a folder; InstaFormer's reference uses no boxes at
test time.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			src := run
			if (run == "") == (weightsFile == "") {
				return fmt.Errorf("give exactly one of --run RUN or --weights FILE")
			}
			if weightsFile != "" {
				src = weightsFile
			}
			if in == "" || out == "" {
				return fmt.Errorf("--in and --out are required")
			}
			if styles < 1 || styles > 100 {
				return fmt.Errorf("--styles %d out of range 1…100", styles)
			}
			m, ck, err := train.Open(src)
			if err != nil {
				return err
			}
			_, multi := m.(train.Multimodal)
			if !multi && (styles > 1 || styleRef != "") {
				return fmt.Errorf("model %s is unimodal: --styles and --style-ref need a multimodal model (instaformer)", ck.Config.Model)
			}
			size := ck.Config.Size
			var ref *tensor.Tensor
			if styleRef != "" {
				img, err := data.ReadImage(styleRef)
				if err != nil {
					return err
				}
				ref = data.ImageTensor([]*image.RGBA{data.ResizeImage(img, size, size)})
			}
			files, err := inputFiles(in)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			var bar *progressbar.ProgressBar
			if !quiet && len(files) > 1 {
				bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(cmd.ErrOrStderr()),
					progressbar.OptionSetDescription("translating"), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			rng := rand.New(rand.NewPCG(seed, 0))
			for _, f := range files {
				img, err := data.ReadImage(f)
				if err != nil {
					return err
				}
				w, h := img.Bounds().Dx(), img.Bounds().Dy()
				x := data.ImageTensor([]*image.RGBA{data.ResizeImage(img, size, size)})
				box, err := boxesFor(boxes, f, len(files) > 1 || isDir(in), m)
				if err != nil {
					return err
				}
				stem := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
				for k := 0; k < styles; k++ {
					var y *tensor.Tensor
					tensor.NoGrad(func() {
						switch {
						case ref != nil:
							y = m.(train.Multimodal).TranslateLike(x, ref)
						case box != nil:
							y = m.(train.BoxTranslator).TranslateBoxes(x, box, rng)
						default:
							y = m.Translate(x, rng)
						}
					})
					res := data.ResizeImage(data.FromCHW(y.Data, size, size), w, h)
					name := stem + ".png"
					if styles > 1 {
						name = fmt.Sprintf("%s_s%d.png", stem, k)
					}
					if err := data.WritePNG(filepath.Join(out, name), res); err != nil {
						return err
					}
				}
				if bar != nil {
					bar.Add(1)
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "translated %d image(s) into %s\n", len(files), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&run, "run", "", "run directory (its newest checkpoint is used)")
	f.StringVar(&weightsFile, "weights", "", "checkpoint file")
	f.StringVar(&in, "in", "", "input image or folder")
	f.StringVar(&out, "out", "", "output folder")
	f.StringVar(&boxes, "boxes", "", "InstaFormer box file (single image) or folder of STEM.txt box files")
	f.IntVar(&styles, "styles", 1, "random styles per image (multimodal models)")
	f.Uint64Var(&seed, "seed", 1, "seed of the random styles")
	f.StringVar(&styleRef, "style-ref", "", "translate in the style of this target-domain image")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	return cmd
}

func isDir(p string) bool { st, err := os.Stat(p); return err == nil && st.IsDir() }

// inputFiles lists an image file, or the images of a folder in name order.
func inputFiles(in string) ([]string, error) {
	if !isDir(in) {
		if _, err := os.Stat(in); err != nil {
			return nil, err
		}
		return []string{in}, nil
	}
	entries, err := os.ReadDir(in)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
			files = append(files, filepath.Join(in, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .png or .jpg images", in)
	}
	return files, nil
}

// boxesFor reads the boxes of one image as a [1, n, 5] tensor (nil without
// --boxes, or when a folder has no file for this image).
func boxesFor(spec, img string, folder bool, m train.Model) (*tensor.Tensor, error) {
	if spec == "" {
		return nil, nil
	}
	if _, ok := m.(train.BoxTranslator); !ok {
		return nil, fmt.Errorf("--boxes: this model does not use instance boxes")
	}
	path := spec
	if folder || isDir(spec) {
		path = filepath.Join(spec, strings.TrimSuffix(filepath.Base(img), filepath.Ext(img))+".txt")
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bs, err := data.ReadInstaFormer(f, path, 1000, 1000)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, nil
	}
	t, _ := data.BoxTensor([][]data.Box{bs}, len(bs), 1000, 1000)
	return t, nil
}
