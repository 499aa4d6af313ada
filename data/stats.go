package data

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// SizeBins are the upper edges (exclusive) of the box-size histogram, in
// pixels of √area; the last bin is open.
var SizeBins = []float64{8, 16, 32, 64, 128, 256}

// GroupStats counts one domain and split.
type GroupStats struct {
	Domain, Split string
	Images        int
	Boxes         map[Class]int
	Sizes         map[Class][]int // len(SizeBins)+1 counts per class
}

// Stats counts images and boxes per domain, split and class.
func Stats(ds *Dataset) []GroupStats {
	idx := map[string]*GroupStats{}
	var out []*GroupStats
	for _, s := range ds.Samples {
		key := s.Domain + "\x00" + s.Split
		g, ok := idx[key]
		if !ok {
			g = &GroupStats{Domain: s.Domain, Split: s.Split, Boxes: map[Class]int{}, Sizes: map[Class][]int{}}
			idx[key] = g
			out = append(out, g)
		}
		g.Images++
		for _, b := range s.Boxes {
			g.Boxes[b.Class]++
			if g.Sizes[b.Class] == nil {
				g.Sizes[b.Class] = make([]int, len(SizeBins)+1)
			}
			g.Sizes[b.Class][sizeBin(math.Sqrt(b.Area()))]++
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].Split < out[j].Split
	})
	res := make([]GroupStats, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res
}

func sizeBin(v float64) int {
	for i, e := range SizeBins {
		if v < e {
			return i
		}
	}
	return len(SizeBins)
}

// PrintStats writes the counts and histograms as text tables.
func PrintStats(w io.Writer, gs []GroupStats) {
	fmt.Fprintf(w, "%-12s %-6s %7s %7s %7s %7s\n", "domain", "split", "images", "car", "sign", "person")
	for _, g := range gs {
		fmt.Fprintf(w, "%-12s %-6s %7d %7d %7d %7d\n", g.Domain, g.Split, g.Images, g.Boxes[Car], g.Boxes[Sign], g.Boxes[Person])
	}
	head := []string{}
	lo := 0.0
	for _, e := range SizeBins {
		head = append(head, fmt.Sprintf("%g-%g", lo, e))
		lo = e
	}
	head = append(head, fmt.Sprintf("≥%g", lo))
	fmt.Fprintf(w, "\nbox size histogram (√area in pixels)\n%-12s %-6s %-7s", "domain", "split", "class")
	for _, h := range head {
		fmt.Fprintf(w, " %8s", h)
	}
	fmt.Fprintln(w)
	for _, g := range gs {
		for _, c := range Classes {
			if g.Sizes[c] == nil {
				continue
			}
			cells := make([]string, len(g.Sizes[c]))
			for i, n := range g.Sizes[c] {
				cells[i] = fmt.Sprintf("%8d", n)
			}
			fmt.Fprintf(w, "%-12s %-6s %-7s %s\n", g.Domain, g.Split, c, strings.Join(cells, " "))
		}
	}
}
