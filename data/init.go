package data

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The INIT annotation format (../shared/research/anchors.md §B.1): one file
// per domain and split (e.g. sunny_train.txt) holding a record per image:
//
//	# <index>
//	<image path relative to the data set root>
//	<width> <height>
//	0
//	<number of boxes N>
//	<label> <x1> <y1> <x2> <y2>     (N lines, absolute pixels, label 1 car, 2 sign, 3 person)
//	<two blank lines>
//
// The size line is read as width then height; a third number (channels) is
// accepted and ignored. The format is known only from a third-party loader.

const initBoxForm = "\"<label> <x1> <y1> <x2> <y2>\" with label 1, 2 or 3 and pixel coordinates"

// ReadINIT parses INIT annotation records from r; name is used in errors.
// Domain and Split of the samples are left for the caller to set.
func ReadINIT(r io.Reader, name string) ([]Sample, error) {
	l := newLineReader(r, name)
	var out []Sample
	err := l.nonBlank(func(line string) error {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			return l.errorf(`"# <index>" starting a record`, "unexpected line %q", line)
		}
		s, err := readINITRecord(l)
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readINITRecord(l *lineReader) (Sample, error) {
	var s Sample
	field := func(want string) (string, error) {
		line, ok := l.next()
		if !ok {
			l.n++
			return "", l.errorf(want, "file ends inside a record")
		}
		return strings.TrimSpace(line), nil
	}
	path, err := field("the image path")
	if err != nil {
		return s, err
	}
	if path == "" || strings.HasPrefix(path, "#") {
		return s, l.errorf("the image path", "empty image path")
	}
	s.Path = path
	size, err := field(`"<width> <height>"`)
	if err != nil {
		return s, err
	}
	f := strings.Fields(size)
	if len(f) < 2 || len(f) > 3 {
		return s, l.errorf(`"<width> <height>"`, "bad image size %q", size)
	}
	for i, p := range []*int{&s.W, &s.H} {
		v, err := strconv.Atoi(f[i])
		if err != nil || v <= 0 || v > 1<<16 {
			return s, l.errorf(`"<width> <height>"`, "bad image size %q", size)
		}
		*p = v
	}
	if z, err := field(`"0"`); err != nil {
		return s, err
	} else if z != "0" {
		return s, l.errorf(`"0"`, "unexpected line %q", z)
	}
	cnt, err := field("the number of boxes")
	if err != nil {
		return s, err
	}
	n, err := strconv.Atoi(cnt)
	if err != nil || n < 0 || n > 10000 {
		return s, l.errorf("the number of boxes", "bad box count %q", cnt)
	}
	for i := 0; i < n; i++ {
		line, err := field(initBoxForm)
		if err != nil {
			return s, err
		}
		b, err := l.boxLine(line, initBoxForm)
		if err != nil {
			return s, err
		}
		s.Boxes = append(s.Boxes, b)
	}
	return s, nil
}

// WriteINIT writes samples as INIT annotation records, indexed from 0.
func WriteINIT(w io.Writer, samples []Sample) error {
	bw := bufio.NewWriter(w)
	for i, s := range samples {
		fmt.Fprintf(bw, "# %d\n%s\n%d %d\n0\n%d\n", i, s.Path, s.W, s.H, len(s.Boxes))
		for _, b := range s.Boxes {
			fmt.Fprintf(bw, "%d %s %s %s %s\n", int(b.Class), fmtNum(b.X1), fmtNum(b.Y1), fmtNum(b.X2), fmtNum(b.Y2))
		}
		bw.WriteString("\n\n")
	}
	return bw.Flush()
}
