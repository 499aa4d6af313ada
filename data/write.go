package data

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"i2i/weights"
)

// WriteOptions say how Write lays out a data set.
type WriteOptions struct {
	Format string // one of FormatINIT, FormatMGUIT, FormatInstaFormer, FormatCOCO, FormatKITTI
	W, H   int    // resize every image to W×H (boxes scaled with it); 0 keeps sizes
}

// Write copies the images of ds under out in the given layout (resized when
// asked) and writes the annotations; it returns the new data set. Images
// keep their stems; clashing stems get a numeric suffix.
func Write(ds *Dataset, out string, o WriteOptions) (*Dataset, error) {
	if !writable(o.Format) {
		return nil, fmt.Errorf("cannot write format %q (writable: init, mguit, instaformer, coco, kitti)", o.Format)
	}
	if (o.W <= 0) != (o.H <= 0) || o.W > 1<<14 || o.H > 1<<14 {
		return nil, fmt.Errorf("bad output size %dx%d", o.W, o.H)
	}
	groups := map[string][]Sample{}
	var order []string
	for _, s := range ds.Samples {
		if s.Domain == "" || s.Split == "" {
			return nil, fmt.Errorf("%s: sample has no domain or split", s.Path)
		}
		key := s.Domain + "_" + s.Split
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], s)
	}
	if (o.Format == FormatCOCO || o.Format == FormatKITTI) && len(order) > 1 {
		return nil, fmt.Errorf("the %s layout holds one domain and split; this data set has %s", o.Format, strings.Join(order, ", "))
	}
	res := &Dataset{Root: out}
	for _, key := range order {
		ss, err := copyImages(ds, groups[key], out, o)
		if err != nil {
			return nil, err
		}
		if err := writeAnnotations(out, key, ss, o.Format); err != nil {
			return nil, err
		}
		res.Samples = append(res.Samples, ss...)
	}
	return res, nil
}

func writable(f string) bool {
	switch f {
	case FormatINIT, FormatMGUIT, FormatInstaFormer, FormatCOCO, FormatKITTI:
		return true
	}
	return false
}

// imageDir is where a layout keeps the images of one domain and split.
func imageDir(format, domain, split string) string {
	switch format {
	case FormatInstaFormer:
		return domain + "_" + split
	case FormatKITTI:
		return "image_2"
	}
	return domain + "/" + split
}

func copyImages(ds *Dataset, ss []Sample, out string, o WriteOptions) ([]Sample, error) {
	seen := map[string]int{}
	res := make([]Sample, len(ss))
	for i, s := range ss {
		dir := imageDir(o.Format, s.Domain, s.Split)
		if err := os.MkdirAll(filepath.Join(out, filepath.FromSlash(dir)), 0o755); err != nil {
			return nil, err
		}
		st := s.Stem()
		if n := seen[st]; n > 0 {
			st = fmt.Sprintf("%s_%d", st, n)
		}
		seen[s.Stem()]++
		src := ds.Abs(s)
		ext := strings.ToLower(filepath.Ext(src))
		if o.W > 0 {
			ext = ".png"
		}
		s.Path = dir + "/" + st + ext
		dst := filepath.Join(out, filepath.FromSlash(s.Path))
		if o.W > 0 {
			img, err := ReadImage(src)
			if err != nil {
				return nil, err
			}
			s.Boxes = ScaleBoxes(s.Boxes, float64(o.W)/float64(img.Bounds().Dx()), float64(o.H)/float64(img.Bounds().Dy()))
			s.W, s.H = o.W, o.H
			if err := WritePNG(dst, ResizeImage(img, o.W, o.H)); err != nil {
				return nil, err
			}
		} else {
			b, err := os.ReadFile(src)
			if err != nil {
				return nil, err
			}
			if s.W <= 0 || s.H <= 0 {
				if s.W, s.H, err = ImageSize(src); err != nil {
					return nil, err
				}
			}
			if err := weights.WriteFileAtomic(dst, b); err != nil {
				return nil, err
			}
		}
		s.Boxes = append([]Box(nil), s.Boxes...)
		res[i] = s
	}
	return res, nil
}

func writeAnnotations(out, key string, ss []Sample, format string) error {
	var buf bytes.Buffer
	switch format {
	case FormatINIT:
		if err := WriteINIT(&buf, ss); err != nil {
			return err
		}
		return weights.WriteFileAtomic(filepath.Join(out, key+".txt"), buf.Bytes())
	case FormatCOCO:
		if err := WriteCOCO(&buf, ss); err != nil {
			return err
		}
		return weights.WriteFileAtomic(filepath.Join(out, "annotations.json"), buf.Bytes())
	}
	for _, s := range ss {
		buf.Reset()
		var path string
		var err error
		switch format {
		case FormatMGUIT:
			path = filepath.Join(out, "label", key, s.Stem()+".txt")
			err = WriteMGUIT(&buf, s)
		case FormatInstaFormer:
			path = filepath.Join(out, key, "gt_box", s.Stem()+".txt")
			err = WriteInstaFormer(&buf, s)
		case FormatKITTI:
			path = filepath.Join(out, "label_2", s.Stem()+".txt")
			err = WriteKITTI(&buf, s.Boxes)
		}
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := weights.WriteFileAtomic(path, buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
