package eval

import (
	"fmt"
	"io"
	"strings"

	"i2i/data"
)

// Regions are the image parts scored: the whole image and the boxes of
// each class.
var Regions = []string{"image", "car", "person", "sign"}

var regionClass = map[string]data.Class{"car": data.Car, "person": data.Person, "sign": data.Sign}

// Report averages per-image scores for several methods over a test set.
type Report struct {
	Methods []string                     `json:"methods"`
	Images  int                          `json:"images"`
	Scores  map[string]map[string]Scores `json:"scores"` // method → region → mean scores
	Counts  map[string]int               `json:"counts"` // region → images in which it occurs
	sums    map[string]map[string]Scores
}

// NewReport starts a report over the given method names.
func NewReport(methods ...string) *Report {
	r := &Report{Methods: methods, Scores: map[string]map[string]Scores{}, Counts: map[string]int{},
		sums: map[string]map[string]Scores{}}
	for _, m := range methods {
		r.sums[m] = map[string]Scores{}
	}
	return r
}

// Add scores one test image: the predictions of every method (by name)
// against the ground truth gt, whose boxes (pixels of gt) define the
// class regions.
func (r *Report) Add(preds map[string]*Planes, gt *Planes, boxes []data.Box) error {
	masks := map[string]Mask{"image": nil}
	for _, reg := range Regions[1:] {
		if m, n := BoxMask(boxes, regionClass[reg], gt.W, gt.H); n > 0 {
			masks[reg] = m
		}
	}
	for reg := range masks {
		r.Counts[reg]++
	}
	r.Images++
	for _, method := range r.Methods {
		p, ok := preds[method]
		if !ok {
			return fmt.Errorf("eval: no prediction for method %q", method)
		}
		if p.W != gt.W || p.H != gt.H {
			return fmt.Errorf("eval: %s prediction is %dx%d, ground truth %dx%d", method, p.W, p.H, gt.W, gt.H)
		}
		ssim := SSIMMap(p, gt)
		for reg, m := range masks {
			s := Compare(p, gt, ssim, m)
			acc := r.sums[method][reg]
			acc.L1 += s.L1
			acc.PSNR += s.PSNR
			acc.SSIM += s.SSIM
			r.sums[method][reg] = acc
		}
	}
	for _, method := range r.Methods {
		r.Scores[method] = map[string]Scores{}
		for reg, s := range r.sums[method] {
			n := float64(r.Counts[reg])
			r.Scores[method][reg] = Scores{L1: s.L1 / n, PSNR: s.PSNR / n, SSIM: s.SSIM / n}
		}
	}
	return nil
}

// WriteTable prints the report as an aligned text table.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "%-16s %-7s %7s %8s %7s %7s\n", "method", "region", "L1", "PSNR", "SSIM", "images")
	fmt.Fprintln(w, strings.Repeat("-", 58))
	for _, reg := range Regions {
		if r.Counts[reg] == 0 {
			continue
		}
		for _, m := range r.Methods {
			s := r.Scores[m][reg]
			fmt.Fprintf(w, "%-16s %-7s %7.4f %8.2f %7.4f %7d\n", m, reg, s.L1, s.PSNR, s.SSIM, r.Counts[reg])
		}
	}
}
