package data

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// KITTI object labels (label_2/<stem>.txt): one object per line,
//
//	type truncated occluded alpha x1 y1 x2 y2 h w l x y z rotation_y [score]
//
// with the 2-D box in pixels of the image_2/<stem>.png frame. Types are
// mapped with a ClassMap; DontCare, Misc, Tram and unmapped types are skipped.

const kittiForm = "15 or 16 fields: type truncated occluded alpha x1 y1 x2 y2 h w l x y z rotation_y [score]"

// ReadKITTI parses one KITTI label file with class map m (DefaultKITTIMap
// when nil); name is used in errors.
func ReadKITTI(r io.Reader, name string, m ClassMap) ([]Box, error) {
	if m == nil {
		m = DefaultKITTIMap
	}
	l := newLineReader(r, name)
	var out []Box
	err := l.nonBlank(func(line string) error {
		f := strings.Fields(line)
		if len(f) != 15 && len(f) != 16 {
			return l.errorf(kittiForm, "%d fields", len(f))
		}
		var v [4]float64
		for i := range v {
			x, err := strconv.ParseFloat(f[4+i], 64)
			if err != nil || x != x || x > 1e9 || x < -1e9 {
				return l.errorf(kittiForm, "box coordinate %q is not a finite number", f[4+i])
			}
			v[i] = x
		}
		if cls, ok := m.lookup(f[0]); ok {
			out = append(out, Box{Class: cls, X1: v[0], Y1: v[1], X2: v[2], Y2: v[3]})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// kittiName is the KITTI type written for each class.
var kittiName = map[Class]string{Car: "Car", Person: "Pedestrian", Sign: "Sign"}

// WriteKITTI writes boxes as KITTI label lines, with zeros for the 3-D fields.
func WriteKITTI(w io.Writer, boxes []Box) error {
	bw := bufio.NewWriter(w)
	for _, b := range boxes {
		fmt.Fprintf(bw, "%s 0.00 0 0.00 %s %s %s %s 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n",
			kittiName[b.Class], fmtNum(b.X1), fmtNum(b.Y1), fmtNum(b.X2), fmtNum(b.Y2))
	}
	return bw.Flush()
}
