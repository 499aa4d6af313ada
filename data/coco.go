package data

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
)

// COCO instances JSON: images with id, file_name, width, height;
// annotations with image_id, category_id and bbox [x, y, width, height] in
// pixels; categories with id and name.

type cocoFile struct {
	Images []struct {
		ID       int64  `json:"id"`
		FileName string `json:"file_name"`
		Width    int    `json:"width"`
		Height   int    `json:"height"`
	} `json:"images"`
	Annotations []struct {
		ImageID    int64     `json:"image_id"`
		CategoryID int64     `json:"category_id"`
		BBox       []float64 `json:"bbox"`
		IsCrowd    int       `json:"iscrowd"`
	} `json:"annotations"`
	Categories []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"categories"`
}

// ReadCOCO parses a COCO instances file; categories are mapped with m
// (DefaultCOCOMap when nil) and unmapped ones skipped. Crowd annotations
// are skipped too. Samples come in the file's image order.
func ReadCOCO(r io.Reader, name string, m ClassMap) ([]Sample, error) {
	if m == nil {
		m = DefaultCOCOMap
	}
	var f cocoFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a COCO instances file: %w", name, err)
	}
	cats := map[int64]Class{}
	for _, c := range f.Categories {
		if cls, ok := m.lookup(c.Name); ok {
			cats[c.ID] = cls
		}
	}
	index := map[int64]int{}
	out := make([]Sample, len(f.Images))
	for i, im := range f.Images {
		if im.FileName == "" {
			return nil, fmt.Errorf("%s: image %d (id %d) has no file_name", name, i, im.ID)
		}
		if _, dup := index[im.ID]; dup {
			return nil, fmt.Errorf("%s: image id %d appears twice", name, im.ID)
		}
		index[im.ID] = i
		out[i] = Sample{Path: im.FileName, W: max(im.Width, 0), H: max(im.Height, 0)}
	}
	for i, a := range f.Annotations {
		cls, ok := cats[a.CategoryID]
		if !ok || a.IsCrowd != 0 {
			continue
		}
		j, ok := index[a.ImageID]
		if !ok {
			return nil, fmt.Errorf("%s: annotation %d refers to unknown image id %d", name, i, a.ImageID)
		}
		if len(a.BBox) != 4 {
			return nil, fmt.Errorf("%s: annotation %d: bbox has %d numbers, expected [x, y, width, height]", name, i, len(a.BBox))
		}
		for _, v := range a.BBox {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s: annotation %d: bbox %v is not finite", name, i, a.BBox)
			}
		}
		x, y, w, h := a.BBox[0], a.BBox[1], a.BBox[2], a.BBox[3]
		out[j].Boxes = append(out[j].Boxes, Box{Class: cls, X1: x, Y1: y, X2: x + w, Y2: y + h})
	}
	return out, nil
}

// WriteCOCO writes samples as a COCO instances file with the categories
// car (1), sign (2) and person (3).
func WriteCOCO(w io.Writer, samples []Sample) error {
	type image struct {
		ID       int    `json:"id"`
		FileName string `json:"file_name"`
		Width    int    `json:"width"`
		Height   int    `json:"height"`
	}
	type ann struct {
		ID         int        `json:"id"`
		ImageID    int        `json:"image_id"`
		CategoryID int        `json:"category_id"`
		BBox       [4]float64 `json:"bbox"`
		Area       float64    `json:"area"`
		IsCrowd    int        `json:"iscrowd"`
	}
	type cat struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	var doc struct {
		Images      []image `json:"images"`
		Annotations []ann   `json:"annotations"`
		Categories  []cat   `json:"categories"`
	}
	doc.Images, doc.Annotations = []image{}, []ann{}
	for i, s := range samples {
		doc.Images = append(doc.Images, image{i + 1, s.Path, s.W, s.H})
		for _, b := range s.Boxes {
			doc.Annotations = append(doc.Annotations, ann{len(doc.Annotations) + 1, i + 1, int(b.Class),
				[4]float64{b.X1, b.Y1, b.W(), b.H()}, b.Area(), 0})
		}
	}
	for _, c := range Classes {
		doc.Categories = append(doc.Categories, cat{int(c), c.String()})
	}
	sort.Slice(doc.Categories, func(i, j int) bool { return doc.Categories[i].ID < doc.Categories[j].ID })
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}
