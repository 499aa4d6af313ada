package data

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MGUIT's per-image label files (../shared/specs/mguit.md §2), kept in
// label/<domain>_<split>/<stem>.txt under the data set root:
//
//	<image path relative to the root>
//	<width> <height>                  (MGUIT skips this line; we write the size)
//	<cls> <x1> <y1> <x2> <y2>         (one line per box, pixels)
//
// MGUIT expects images already resized to 572×360 (W×H); `i2i data convert
// --to mguit --size 572x360` does that.

const mguitBoxForm = "\"<cls> <x1> <y1> <x2> <y2>\" in pixels"

// ReadMGUIT parses one MGUIT label file; name is used in errors.
func ReadMGUIT(r io.Reader, name string) (Sample, error) {
	l := newLineReader(r, name)
	var s Sample
	first, ok := l.next()
	if !ok || strings.TrimSpace(first) == "" {
		l.n = max(l.n, 1)
		return s, l.errorf("the image path on line 1", "no image path")
	}
	s.Path = strings.Fields(first)[0]
	if second, ok := l.next(); ok {
		// Skipped by MGUIT; read as the size when it is one.
		if f := strings.Fields(second); len(f) == 2 {
			w, e1 := strconv.Atoi(f[0])
			h, e2 := strconv.Atoi(f[1])
			if e1 == nil && e2 == nil && w > 0 && h > 0 && w <= 1<<16 && h <= 1<<16 {
				s.W, s.H = w, h
			}
		}
	}
	err := l.nonBlank(func(line string) error {
		b, err := l.boxLine(line, mguitBoxForm)
		s.Boxes = append(s.Boxes, b)
		return err
	})
	if err != nil {
		return Sample{}, err
	}
	return s, nil
}

// WriteMGUIT writes one MGUIT label file.
func WriteMGUIT(w io.Writer, s Sample) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n%d %d\n", s.Path, s.W, s.H)
	for _, b := range s.Boxes {
		fmt.Fprintf(bw, "%d %s %s %s %s\n", int(b.Class), fmtNum(b.X1), fmtNum(b.Y1), fmtNum(b.X2), fmtNum(b.Y2))
	}
	return bw.Flush()
}
