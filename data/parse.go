package data

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseError is a malformed line of an annotation file.
type ParseError struct {
	File string // file name as given to the reader
	Line int    // 1-based line number
	Msg  string // what is wrong
	Want string // the expected form of the line
}

func (e *ParseError) Error() string {
	s := fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	if e.Want != "" {
		s += " (expected " + e.Want + ")"
	}
	return s
}

// lineReader hands out the lines of an annotation file with their numbers.
type lineReader struct {
	name string
	sc   *bufio.Scanner
	n    int
	peek *string
}

func newLineReader(r io.Reader, name string) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return &lineReader{name: name, sc: sc}
}

// next returns the next line without its line ending; ok is false at the end.
func (l *lineReader) next() (line string, ok bool) {
	if l.peek != nil {
		line, l.peek = *l.peek, nil
		l.n++
		return line, true
	}
	if !l.sc.Scan() {
		return "", false
	}
	l.n++
	return strings.TrimRight(l.sc.Text(), "\r"), true
}

// unread pushes back the line just read.
func (l *lineReader) unread(line string) {
	l.peek = &line
	l.n--
}

func (l *lineReader) err() error {
	if err := l.sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", l.name, err)
	}
	return nil
}

func (l *lineReader) errorf(want, format string, a ...any) error {
	return &ParseError{File: l.name, Line: l.n, Msg: fmt.Sprintf(format, a...), Want: want}
}

// nonBlank calls fn with each remaining line that is not blank, stopping
// at the first error.
func (l *lineReader) nonBlank(fn func(line string) error) error {
	for {
		line, ok := l.next()
		if !ok {
			return l.err()
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := fn(line); err != nil {
			return err
		}
	}
}

// boxLine parses "cls x1 y1 x2 y2" (class as id or name, coordinates as
// numbers); it checks that the numbers are finite.
func (l *lineReader) boxLine(line, want string) (Box, error) {
	f := strings.Fields(line)
	if len(f) != 5 {
		return Box{}, l.errorf(want, "%d fields in %q", len(f), line)
	}
	c, err := ParseClass(f[0])
	if err != nil {
		return Box{}, l.errorf(want, "%v", err)
	}
	var v [4]float64
	for i := range v {
		x, err := strconv.ParseFloat(f[i+1], 64)
		if err != nil || x != x || x > 1e9 || x < -1e9 {
			return Box{}, l.errorf(want, "coordinate %q is not a finite number", f[i+1])
		}
		v[i] = x
	}
	return Box{Class: c, X1: v[0], Y1: v[1], X2: v[2], Y2: v[3]}, nil
}

// fmtNum prints a coordinate compactly and exactly enough to read back.
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
