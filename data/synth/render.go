package synth

import (
	"image"
	"math"
	"math/rand/v2"
	"slices"

	"i2i/data"
)

// minVisible is the fraction of an instance's own painted pixels that must
// stay visible for it to get a box; minBoxPixels is the smallest box side.
const (
	minVisible   = 0.25
	minBoxPixels = 3
)

// Render paints the scene in one domain and returns the image and the
// boxes of its visible instances (the same in every domain).
func Render(s Scene, domain string) (*image.RGBA, []data.Box, error) {
	lk, err := lookOf(domain)
	if err != nil {
		return nil, nil, err
	}
	cam := s.Camera
	c := newCanvas(cam.W, cam.H)
	drawSky(c, s, lk)
	drawStreet(c, s, lk)
	for _, b := range farToNear(s.Buildings) {
		drawBuilding(c, cam, b, lk)
	}
	if lk.shadow > 0 {
		drawShadows(c, s, lk)
	}
	type inst struct {
		id    int
		class data.Class
		box   bbox
	}
	var insts []inst
	var ds []drawable
	for i, t := range s.Trees {
		ds = append(ds, drawable{t.Z, func() { drawTree(c, cam, t, lk, s.Seed+uint64(i)) }})
	}
	for _, l := range s.Lamps {
		ds = append(ds, drawable{l.Z, func() { drawLamp(c, cam, l, lk) }})
	}
	instance := func(id int, cls data.Class, fn func() bbox) func() {
		return func() {
			c.cur = int16(id)
			insts = append(insts, inst{id, cls, fn()})
			c.cur = 0
		}
	}
	for _, sg := range s.Signs {
		ds = append(ds, drawable{sg.Z, instance(sg.ID, data.Sign, func() bbox { return drawSign(c, cam, sg, lk) })})
	}
	for _, p := range s.Persons {
		ds = append(ds, drawable{p.Z, instance(p.ID, data.Person, func() bbox { return drawPerson(c, cam, p, lk) })})
	}
	for _, car := range s.Cars {
		ds = append(ds, drawable{car.Z, instance(car.ID, data.Car, func() bbox { return drawCar(c, cam, car, lk) })})
	}
	sortFarToNear(ds)
	for _, d := range ds {
		d.draw()
	}
	// Boxes of instances that stay visible enough after occlusion: compare
	// the pixels each one owns now with the area of its box.
	visible := map[int16]int{}
	for _, o := range c.owner {
		if o != 0 {
			visible[o]++
		}
	}
	var boxes []data.Box
	slices.SortFunc(insts, func(a, b inst) int { return a.id - b.id })
	for _, in := range insts {
		b := data.Box{Class: in.class, X1: in.box.x0, Y1: in.box.y0, X2: in.box.x1, Y2: in.box.y1}
		full := b.Area()
		b.X1, b.X2 = max(0, b.X1), min(float64(cam.W), b.X2)
		b.Y1, b.Y2 = max(0, b.Y1), min(float64(cam.H), b.Y2)
		if b.W() < minBoxPixels || b.H() < minBoxPixels || full <= 0 {
			continue
		}
		// Shapes cover part of their box (persons about half), so the
		// test is against a fraction of the box area inside the image.
		if float64(visible[int16(in.id)]) < minVisible*0.4*b.Area() {
			continue
		}
		b.X1, b.Y1 = math.Round(b.X1*10)/10, math.Round(b.Y1*10)/10
		b.X2, b.Y2 = math.Round(b.X2*10)/10, math.Round(b.Y2*10)/10
		boxes = append(boxes, b)
	}
	if lk.wet {
		drawRain(c, s)
	}
	return finish(c, s, lk, domain), boxes, nil
}

func farToNear(bs []Building) []Building {
	out := slices.Clone(bs)
	slices.SortStableFunc(out, func(a, b Building) int {
		switch {
		case a.Z0 > b.Z0:
			return -1
		case a.Z0 < b.Z0:
			return 1
		}
		return 0
	})
	return out
}

// drawSky paints the sky gradient, clouds and a distant skyline.
func drawSky(c *canvas, s Scene, lk look) {
	hz := int(math.Ceil(s.Camera.Horizon)) + 1
	for y := 0; y < min(hz, c.h); y++ {
		t := float32(y) / float32(max(1, hz))
		col := lk.skyTop.mix(lk.skyHorizon, t*t)
		for x := 0; x < c.w; x++ {
			i := 3 * (y*c.w + x)
			c.albedo.pix[i], c.albedo.pix[i+1], c.albedo.pix[i+2] = col.R, col.G, col.B
			c.sky[y*c.w+x] = 1
		}
	}
	w, hzf := float64(c.w), s.Camera.Horizon
	if lk.overcast {
		for i := 0; i < 4; i++ {
			y := hzf * (0.1 + 0.2*float64(i))
			c.fill(rect(0, y, w, y+hzf*0.12), lk.cloud.mix(lk.skyTop, 0.3), paint, 0.35)
		}
	}
	for i := 0; i < lk.clouds; i++ {
		cx := hash01(s.Seed, 100+i) * w
		cy := hzf * (0.1 + 0.55*hash01(s.Seed, 200+i))
		r := w * (0.05 + 0.08*hash01(s.Seed, 300+i))
		for j := 0; j < 4; j++ {
			dx := (float64(j) - 1.5) * r * 0.6
			c.fill(ellipse(cx+dx, cy+r*0.15*float64(j%2), r*0.55, r*0.32), lk.cloud, paint, 0.85)
		}
	}
	// Distant skyline around the vanishing point.
	cam := s.Camera
	for i := 0; i < 14; i++ {
		x0 := -60 + 120*hash01(s.Seed, 400+i)
		bw := 6 + 14*hash01(s.Seed, 500+i)
		bh := 8 + 30*hash01(s.Seed, 600+i)
		col := hex(0x6c7480).mix(lk.skyHorizon, 0.55)
		c.fill(face(cam, x0, x0+bw, 0, bh, farZ+20), col, paint, 1)
	}
	c.fill(face(cam, -200, 200, 0, 1.5, farZ+10), hex(0x5a6068).mix(lk.skyHorizon, 0.4), paint, 1)
}

// drawStreet paints road, sidewalks and lane marks.
func drawStreet(c *canvas, s Scene, lk look) {
	cam := s.Camera
	hz := cam.Horizon
	asphalt, walk, kerb, mark := hex(0x5b5d60), hex(0x9d9a93), hex(0xbcbab4), hex(0xe8e6dc)
	if lk.wet {
		asphalt, walk = asphalt.scale(0.62), walk.scale(0.75)
	}
	c.fill(rect(0, hz, float64(c.w), float64(c.h)), walk.scale(0.9), paint, 1)
	for _, sd := range []float64{-1, 1} {
		c.fill(ground(cam, sd*roadHalf, sd*walkOuter, nearZ, farZ, 0), walk, paint, 1)
		c.fill(ground(cam, sd*roadHalf, sd*(roadHalf+0.25), nearZ, farZ, 0.001), kerb, paint, 1)
	}
	c.fill(ground(cam, -roadHalf, roadHalf, nearZ, farZ, 0.002), asphalt, paint, 1)
	// Tar patches give the road some texture.
	for i := 0; i < 6; i++ {
		x := (hash01(s.Seed, 700+i) - 0.5) * 2 * roadHalf
		z := 4 + 50*hash01(s.Seed, 800+i)
		c.fill(ground(cam, x-0.8, x+0.8, z, z+2+3*hash01(s.Seed, 900+i), 0.003), asphalt.scale(0.85), paint, 0.6)
	}
	for _, lx := range []float64{-laneWidth / 2, laneWidth / 2} {
		for z := 2.0; z < farZ; z += 9 {
			c.fill(ground(cam, lx-0.07, lx+0.07, z, z+3, 0.004), mark, paint, 0.9)
		}
	}
	for _, sd := range []float64{-1, 1} {
		c.fill(ground(cam, sd*(roadHalf-0.35), sd*(roadHalf-0.2), nearZ, farZ, 0.004), mark, paint, 0.9)
	}
	if lk.wet { // a sheen of sky reflected in the wet road
		c.fill(ground(cam, -roadHalf, roadHalf, nearZ, farZ, 0.005), lk.skyHorizon, paint, 0.12)
	}
}

// drawShadows darkens the ground under and beside cars, persons and poles.
func drawShadows(c *canvas, s Scene, lk look) {
	cam := s.Camera
	dark := rgb{0.25, 0.27, 0.35}
	for _, car := range s.Cars {
		w, h, l, _ := carSize(car.Body)
		dx := s.SunX * h * 0.6
		x0, x1 := car.X-w/2, car.X+w/2
		c.fill(cam.quadZ([][3]float64{{x0, 0.01, car.Z - 0.2}, {x1, 0.01, car.Z - 0.2}, {x1 + dx, 0.01, car.Z + l + 0.6},
			{x0 + dx, 0.01, car.Z + l + 0.6}}), dark, multiply, lk.shadow)
	}
	for _, p := range s.Persons {
		dx := s.SunX * p.Height
		c.fill(cam.quadZ([][3]float64{{p.X - 0.2, 0.01, p.Z - 0.1}, {p.X + 0.2, 0.01, p.Z - 0.1}, {p.X + dx + 0.1, 0.01, p.Z + 0.6},
			{p.X + dx - 0.1, 0.01, p.Z + 0.6}}), dark, multiply, lk.shadow)
	}
	for _, t := range s.Trees {
		dx := s.SunX * t.Height
		c.fill(cam.quadZ([][3]float64{{t.X - 1.5 + dx, 0.01, t.Z - 1.2}, {t.X + 1.5 + dx, 0.01, t.Z - 1.2},
			{t.X + 1.5 + dx, 0.01, t.Z + 1.2}, {t.X - 1.5 + dx, 0.01, t.Z + 1.2}}), dark, multiply, 0.8*lk.shadow)
	}
	for _, sg := range s.Signs {
		dx := s.SunX * 2.4
		c.fill(cam.quadZ([][3]float64{{sg.X - 0.05, 0.01, sg.Z}, {sg.X + 0.05, 0.01, sg.Z}, {sg.X + dx + 0.3, 0.01, sg.Z + 0.3},
			{sg.X + dx - 0.3, 0.01, sg.Z + 0.3}}), dark, multiply, lk.shadow)
	}
}

// drawRain adds slanted streaks in front of everything.
func drawRain(c *canvas, s Scene) {
	w, h := float64(c.w), float64(c.h)
	n := int(w * h / 180)
	slant := 0.15 + 0.2*hash01(s.Seed, 1000)
	for i := 0; i < n; i++ {
		x, y := hash01(s.Seed, 2000+i)*w, hash01(s.Seed, 3000+i)*h
		l := h * (0.02 + 0.04*hash01(s.Seed, 4000+i))
		t := 0.35 + 0.4*hash01(s.Seed, 5000+i)
		c.glowFill([]vec2{{x, y}, {x + t, y}, {x + t + slant*l, y + l}, {x + slant*l, y + l}}, rgb{0.55, 0.58, 0.62}, 0.35)
	}
}

// finish lights the albedo, adds the emissive layer, grades the colours and
// adds sensor noise.
func finish(c *canvas, s Scene, lk look, domain string) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	di := uint64(slices.Index(Domains, domain) + 1)
	rng := rand.New(rand.NewPCG(s.Seed, 0xd0a1+di))
	amb := [3]float32{lk.ambient.R, lk.ambient.G, lk.ambient.B}
	for p := 0; p < c.w*c.h; p++ {
		sky := c.sky[p]
		var v [3]float32
		for k := 0; k < 3; k++ {
			light := sky + (1-sky)*(amb[k]+c.extra.pix[3*p+k])
			v[k] = c.albedo.pix[3*p+k]*light + c.emit.pix[3*p+k]
		}
		if lk.desaturate > 0 {
			y := 0.299*v[0] + 0.587*v[1] + 0.114*v[2]
			for k := range v {
				v[k] += (y - v[k]) * lk.desaturate
			}
		}
		n := float32(0)
		if lk.noise > 0 {
			n = float32(rng.NormFloat64()) * lk.noise
		}
		o := 4 * p
		for k := range v {
			x := (v[k]-0.45)*lk.contrast + 0.45 + n
			img.Pix[o+k] = uint8(min(max(x*255+0.5, 0), 255))
		}
		img.Pix[o+3] = 255
	}
	return img
}
