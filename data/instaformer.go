package data

import (
	"bufio"
	"fmt"
	"io"
)

// InstaFormer's box files (../shared/research/anchors.md §A.1, from the
// third-party loader): every image <dir>/<stem>.png has <dir>/gt_box/<stem>.txt
// with one line per box, coordinates normalised to [0, 1]:
//
//	<cls> <x1> <y1> <x2> <y2>

const instaBoxForm = "\"<cls> <x1> <y1> <x2> <y2>\" normalised to [0, 1]"

// ReadInstaFormer parses a gt_box file into boxes in pixels of a w×h image;
// name is used in errors. Coordinates outside [0, 1] are an error.
func ReadInstaFormer(r io.Reader, name string, w, h int) ([]Box, error) {
	l := newLineReader(r, name)
	var out []Box
	err := l.nonBlank(func(line string) error {
		b, err := l.boxLine(line, instaBoxForm)
		if err != nil {
			return err
		}
		for _, v := range []float64{b.X1, b.Y1, b.X2, b.Y2} {
			if v < 0 || v > 1 {
				return l.errorf(instaBoxForm, "coordinate %v outside [0, 1]", v)
			}
		}
		b.X1, b.X2 = b.X1*float64(w), b.X2*float64(w)
		b.Y1, b.Y2 = b.Y1*float64(h), b.Y2*float64(h)
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WriteInstaFormer writes the boxes of s normalised by its size.
func WriteInstaFormer(w io.Writer, s Sample) error {
	if s.W <= 0 || s.H <= 0 {
		return fmt.Errorf("%s: image size unknown, cannot normalise boxes", s.Path)
	}
	bw := bufio.NewWriter(w)
	fw, fh := float64(s.W), float64(s.H)
	for _, b := range s.Boxes {
		fmt.Fprintf(bw, "%d %s %s %s %s\n", int(b.Class), fmtNum(b.X1/fw), fmtNum(b.Y1/fh), fmtNum(b.X2/fw), fmtNum(b.Y2/fh))
	}
	return bw.Flush()
}
