package synth

import (
	"image"
	"math"

	"golang.org/x/image/vector"
)

// rgb is a linear colour with components in [0, 1] (more for lights).
type rgb struct{ R, G, B float32 }

func (c rgb) scale(k float32) rgb { return rgb{c.R * k, c.G * k, c.B * k} }

func (c rgb) mix(d rgb, t float32) rgb {
	return rgb{c.R + (d.R-c.R)*t, c.G + (d.G-c.G)*t, c.B + (d.B-c.B)*t}
}

func hex(v uint32) rgb {
	return rgb{float32(v>>16&255) / 255, float32(v>>8&255) / 255, float32(v&255) / 255}
}

// Blend modes of a fill.
const (
	paint    = iota // over: dst = dst·(1−a) + col·a
	multiply        // dst = dst·(1 − a·(1−col))
	add             // dst = dst + col·a
)

// layer is a float RGB image.
type layer struct {
	w, h int
	pix  []float32 // RGB interleaved
}

func newLayer(w, h int) *layer { return &layer{w, h, make([]float32, 3*w*h)} }

// canvas holds the albedo layer that the scene is painted on, the emissive
// layer added after lighting, and an owner map that records which instance
// covers each pixel (for the occlusion test of the boxes).
type canvas struct {
	w, h   int
	albedo *layer
	emit   *layer
	extra  *layer    // light added to the ambient light (lamp pools, beams)
	sky    []float32 // how much of each pixel is still sky (self-lit)
	owner  []int16
	cur    int16 // instance being drawn (0: scenery)
	ras    vector.Rasterizer
	mask   *image.Alpha
}

func newCanvas(w, h int) *canvas {
	return &canvas{w: w, h: h, albedo: newLayer(w, h), emit: newLayer(w, h), extra: newLayer(w, h),
		sky: make([]float32, w*h), owner: make([]int16, w*h),
		mask: image.NewAlpha(image.Rect(0, 0, w, h))}
}

// coverage rasterises the polygon into c.mask over its clipped bounding box
// and calls fn(x, y, a) for every covered pixel with coverage a in (0, 1].
func (c *canvas) coverage(pts []vec2, fn func(x, y int, a float32)) {
	if len(pts) < 3 {
		return
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	bx0, by0 := max(0, int(math.Floor(x0))), max(0, int(math.Floor(y0)))
	bx1, by1 := min(c.w, int(math.Ceil(x1))), min(c.h, int(math.Ceil(y1)))
	if bx1 <= bx0 || by1 <= by0 {
		return
	}
	bw, bh := bx1-bx0, by1-by0
	c.ras.Reset(bw, bh)
	c.ras.MoveTo(float32(pts[0].X-float64(bx0)), float32(pts[0].Y-float64(by0)))
	for _, p := range pts[1:] {
		c.ras.LineTo(float32(p.X-float64(bx0)), float32(p.Y-float64(by0)))
	}
	c.ras.ClosePath()
	// A contiguous mask: vector's fast path writes Pix as if Stride = width.
	m := &image.Alpha{Pix: c.mask.Pix[:bw*bh], Stride: bw, Rect: image.Rect(0, 0, bw, bh)}
	clear(m.Pix)
	c.ras.Draw(m, m.Bounds(), image.Opaque, image.Point{})
	for y := 0; y < bh; y++ {
		row := m.Pix[y*bw : y*bw+bw]
		for x, v := range row {
			if v != 0 {
				fn(bx0+x, by0+y, float32(v)/255)
			}
		}
	}
}

// fill paints a polygon on the albedo layer.
func (c *canvas) fill(pts []vec2, col rgb, mode int, alpha float32) {
	c.coverage(pts, func(x, y int, a float32) {
		a *= alpha
		i := 3 * (y*c.w + x)
		p := c.albedo.pix[i : i+3 : i+3]
		switch mode {
		case paint:
			p[0] += (col.R - p[0]) * a
			p[1] += (col.G - p[1]) * a
			p[2] += (col.B - p[2]) * a
			c.sky[y*c.w+x] *= 1 - a
			if a >= 0.5 {
				c.owner[y*c.w+x] = c.cur
			}
		case multiply:
			p[0] *= 1 - a*(1-col.R)
			p[1] *= 1 - a*(1-col.G)
			p[2] *= 1 - a*(1-col.B)
		case add:
			p[0] += col.R * a
			p[1] += col.G * a
			p[2] += col.B * a
		}
	})
}

// glowFill adds a polygon of light to the emissive layer.
func (c *canvas) glowFill(pts []vec2, col rgb, alpha float32) {
	c.coverage(pts, func(x, y int, a float32) {
		a *= alpha
		i := 3 * (y*c.w + x)
		c.emit.pix[i] += col.R * a
		c.emit.pix[i+1] += col.G * a
		c.emit.pix[i+2] += col.B * a
	})
}

// light adds light falling on a polygon of the scene (lit in proportion
// to the surfaces' albedo).
func (c *canvas) light(pts []vec2, col rgb) {
	c.coverage(pts, func(x, y int, a float32) {
		i := 3 * (y*c.w + x)
		c.extra.pix[i] += col.R * a
		c.extra.pix[i+1] += col.G * a
		c.extra.pix[i+2] += col.B * a
	})
}

// glow adds a Gaussian halo of light centred at p with radius sigma
// (pixels), squashed vertically by aspect (1 = round).
func (c *canvas) glow(p vec2, sigma float64, col rgb, aspect float64) {
	if sigma < 0.3 {
		sigma = 0.3
	}
	r := 3 * sigma
	ry := r * aspect
	x0, x1 := max(0, int(p.X-r)), min(c.w-1, int(p.X+r)+1)
	y0, y1 := max(0, int(p.Y-ry)), min(c.h-1, int(p.Y+ry)+1)
	inv := 1 / (2 * sigma * sigma)
	for y := y0; y <= y1; y++ {
		dy := (float64(y) + 0.5 - p.Y) / aspect
		for x := x0; x <= x1; x++ {
			dx := float64(x) + 0.5 - p.X
			k := float32(math.Exp(-(dx*dx + dy*dy) * inv))
			if k < 0.004 {
				continue
			}
			i := 3 * (y*c.w + x)
			c.emit.pix[i] += col.R * k
			c.emit.pix[i+1] += col.G * k
			c.emit.pix[i+2] += col.B * k
		}
	}
}

// ellipse is a polygon approximating the ellipse at (cx, cy) with radii rx, ry.
func ellipse(cx, cy, rx, ry float64) []vec2 {
	n := 12 + int(min(36, (rx+ry)/2))
	pts := make([]vec2, n)
	for i := range pts {
		t := 2 * math.Pi * float64(i) / float64(n)
		pts[i] = vec2{cx + rx*math.Cos(t), cy + ry*math.Sin(t)}
	}
	return pts
}

// rect is the axis-aligned rectangle [x0, x1]×[y0, y1] as a polygon.
func rect(x0, y0, x1, y1 float64) []vec2 {
	return []vec2{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}
