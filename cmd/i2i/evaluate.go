package main

import (
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"i2i/data"
	"i2i/eval"
	"i2i/tensor"
	"i2i/train"
)

// Method names of an evaluation, the model first.
const (
	methodModel    = "model"
	methodIdentity = "identity"
	methodColour   = "colour transfer"
)

// evalJob is one evaluation of a model on the paired test images of a
// synthetic data set.
type evalJob struct {
	model    train.Model
	cfg      train.Config
	ds       *data.Dataset
	split    string
	seed     uint64
	limit    int       // at most this many images (0: all)
	boxes    bool      // feed the source image's boxes to box-aware models
	refStyle bool      // multimodal models: the style of a random target-domain training image, not a random code
	saveDir  string    // also write the translations here ("" : do not)
	progress io.Writer // progress bar (nil: none)
}

// evalPair is a source image and its ground truth in the target domain.
type evalPair struct{ src, gt data.Sample }

// pairs matches the split's source images with the target images of the
// same stem, which synthetic scenes provide.
func (j *evalJob) pairs() ([]evalPair, error) {
	src := j.ds.Select(j.cfg.From, j.split)
	gt := map[string]data.Sample{}
	for _, s := range j.ds.Select(j.cfg.To, j.split) {
		gt[s.Stem()] = s
	}
	var out []evalPair
	for _, s := range src {
		if g, ok := gt[s.Stem()]; ok {
			out = append(out, evalPair{s, g})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no %s image of %q has a ground-truth twin of the same name in %q; evaluation needs paired renders such as `i2i synth` writes",
			j.ds.Root, j.split, j.cfg.From, j.cfg.To)
	}
	if j.limit > 0 && len(out) > j.limit {
		out = out[:j.limit]
	}
	return out, nil
}

// targetColours are the colour statistics of the target domain's training
// images at the model's side (for the colour-transfer baseline).
func (j *evalJob) targetColours() (eval.ColourStats, error) {
	var acc eval.ColourAccumulator
	train := j.ds.Select(j.cfg.To, "train")
	if len(train) == 0 {
		return eval.ColourStats{}, fmt.Errorf("no %q training images for the colour-transfer baseline", j.cfg.To)
	}
	for _, s := range train[:min(len(train), 500)] {
		img, err := data.ReadImage(j.ds.Abs(s))
		if err != nil {
			return eval.ColourStats{}, err
		}
		acc.Add(eval.FromImage(data.ResizeImage(img, j.cfg.Size, j.cfg.Size)))
	}
	return acc.Stats(), nil
}

// run translates every pair at the model's side and scores the model and
// the two baselines against the ground truth.
func (j *evalJob) run() (*eval.Report, error) {
	pairs, err := j.pairs()
	if err != nil {
		return nil, err
	}
	colours, err := j.targetColours()
	if err != nil {
		return nil, err
	}
	var bar *progressbar.ProgressBar
	if j.progress != nil {
		bar = progressbar.NewOptions(len(pairs), progressbar.OptionSetWriter(j.progress),
			progressbar.OptionSetDescription("evaluating"), progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	size := j.cfg.Size
	rng := rand.New(rand.NewPCG(j.seed, 0))
	refs := j.ds.Select(j.cfg.To, "train")
	bt, boxAware := j.model.(train.BoxTranslator)
	useBoxes := j.boxes && boxAware && j.cfg.NumBoxes() > 0
	mm, multimodal := j.model.(train.Multimodal)
	if j.refStyle && !multimodal {
		return nil, fmt.Errorf("--style-ref random needs a multimodal model; %s has no style", j.cfg.Model)
	}
	rep := eval.NewReport(methodModel, methodIdentity, methodColour)
	for _, p := range pairs {
		srcImg, err := data.ReadImage(j.ds.Abs(p.src))
		if err != nil {
			return nil, err
		}
		gtImg, err := data.ReadImage(j.ds.Abs(p.gt))
		if err != nil {
			return nil, err
		}
		in := data.ResizeImage(srcImg, size, size)
		gt := data.ResizeImage(gtImg, size, size)
		x := data.ImageTensor([]*image.RGBA{in})
		var y *tensor.Tensor
		var ref *tensor.Tensor
		if j.refStyle {
			r := refs[rng.IntN(len(refs))]
			img, err := data.ReadImage(j.ds.Abs(r))
			if err != nil {
				return nil, err
			}
			ref = data.ImageTensor([]*image.RGBA{data.ResizeImage(img, size, size)})
		}
		tensor.NoGrad(func() {
			if ref != nil {
				y = mm.TranslateLike(x, ref)
				return
			}
			if useBoxes {
				sw, sh := srcImg.Bounds().Dx(), srcImg.Bounds().Dy()
				boxes, _ := data.BoxTensor([][]data.Box{p.src.Boxes}, j.cfg.NumBoxes(), sw, sh)
				y = bt.TranslateBoxes(x, boxes, rng)
				return
			}
			y = j.model.Translate(x, rng)
		})
		pred := data.FromCHW(y.Data, size, size)
		if j.saveDir != "" {
			if err := data.WritePNG(filepath.Join(j.saveDir, p.src.Stem()+".png"), pred); err != nil {
				return nil, err
			}
		}
		gw, gh := gtImg.Bounds().Dx(), gtImg.Bounds().Dy()
		boxes := data.ScaleBoxes(p.gt.Boxes, float64(size)/float64(gw), float64(size)/float64(gh))
		inP := eval.FromImage(in)
		err = rep.Add(map[string]*eval.Planes{methodModel: eval.FromImage(pred), methodIdentity: inP,
			methodColour: eval.ColourTransfer(inP, colours)}, eval.FromImage(gt), boxes)
		if err != nil {
			return nil, err
		}
		if bar != nil {
			bar.Add(1)
		}
	}
	return rep, nil
}
