package data

import (
	"fmt"
	"strings"
)

// Class is an object class. The numbers are INIT's label ids, which MGUIT's
// loader and InstaFormer's box files also use.
type Class int

// The object classes of the street scenes.
const (
	Car    Class = 1
	Sign   Class = 2
	Person Class = 3
)

// Classes lists the object classes in label order.
var Classes = []Class{Car, Sign, Person}

// NumClasses is the number of object classes (class masks add a background
// channel in front of them).
const NumClasses = 3

func (c Class) String() string {
	switch c {
	case Car:
		return "car"
	case Sign:
		return "sign"
	case Person:
		return "person"
	}
	return fmt.Sprintf("class(%d)", int(c))
}

// Valid reports whether c is one of Classes.
func (c Class) Valid() bool { return c >= Car && c <= Person }

// ParseClass reads a class name ("car", "sign", "person", also "traffic
// sign") or label id ("1", "2", "3").
func ParseClass(s string) (Class, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "car", "1":
		return Car, nil
	case "sign", "traffic sign", "traffic_sign", "2":
		return Sign, nil
	case "person", "3":
		return Person, nil
	}
	return 0, fmt.Errorf("unknown class %q (known: car, sign, person, or 1, 2, 3)", s)
}

// Box is an object box in pixel coordinates of its image: columns [X1, X2),
// rows [Y1, Y2).
type Box struct {
	Class          Class
	X1, Y1, X2, Y2 float64
}

// W is the box's width in pixels.
func (b Box) W() float64 { return b.X2 - b.X1 }

// H is the box's height in pixels.
func (b Box) H() float64 { return b.Y2 - b.Y1 }

// Area is the box's area in pixels (0 for an empty or inverted box).
func (b Box) Area() float64 { return max(0, b.W()) * max(0, b.H()) }

// Sample is one image of a data set with its object boxes.
type Sample struct {
	Path   string // image file (absolute, or relative to the data set root)
	W, H   int    // image size in pixels (0 when not yet known)
	Domain string // e.g. "sunny", "night"
	Split  string // "train" or "test"
	Boxes  []Box
}

// Stem is the file name of the sample's image without directory or extension.
func (s Sample) Stem() string { return stem(s.Path) }

func stem(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	if i := strings.LastIndexByte(p, '.'); i > 0 {
		p = p[:i]
	}
	return p
}

// ClipBoxes clips every box to the image [0,W)×[0,H) and drops those left
// with zero area; it returns how many were dropped.
func (s *Sample) ClipBoxes() (dropped int) {
	if s.W <= 0 || s.H <= 0 {
		return 0
	}
	kept := s.Boxes[:0]
	for _, b := range s.Boxes {
		b.X1, b.X2 = clamp(b.X1, 0, float64(s.W)), clamp(b.X2, 0, float64(s.W))
		b.Y1, b.Y2 = clamp(b.Y1, 0, float64(s.H)), clamp(b.Y2, 0, float64(s.H))
		if b.W() <= 0 || b.H() <= 0 {
			dropped++
			continue
		}
		kept = append(kept, b)
	}
	s.Boxes = kept
	return dropped
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }
