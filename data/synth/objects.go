package synth

import "math"

// bbox accumulates the image-space extent of an instance.
type bbox struct{ x0, y0, x1, y1 float64 }

func emptyBox() bbox { return bbox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *bbox) add(p vec2) {
	b.x0, b.y0, b.x1, b.y1 = min(b.x0, p.X), min(b.y0, p.Y), max(b.x1, p.X), max(b.y1, p.Y)
}

// cuboidBox is the image extent of the world box [x0,x1]×[y0,y1]×[z0,z1].
func cuboidBox(cam Camera, x0, x1, y0, y1, z0, z1 float64) bbox {
	b := emptyBox()
	z0 = max(z0, nearZ)
	for _, x := range []float64{x0, x1} {
		for _, y := range []float64{y0, y1} {
			for _, z := range []float64{z0, z1} {
				b.add(cam.Project(x, y, z))
			}
		}
	}
	return b
}

// face is the vertical quad facing the camera at depth z.
func face(cam Camera, x0, x1, y0, y1, z float64) []vec2 {
	a, b := cam.Project(x0, y1, z), cam.Project(x1, y0, z)
	return rect(a.X, a.Y, b.X, b.Y)
}

// ground is the quad on the road [x0,x1]×[z0,z1] at height y.
func ground(cam Camera, x0, x1, z0, z1, y float64) []vec2 {
	return cam.quadZ([][3]float64{{x0, y, z0}, {x1, y, z0}, {x1, y, z1}, {x0, y, z1}})
}

// side is the vertical quad at x spanning [y0,y1]×[z0,z1].
func side(cam Camera, x, y0, y1, z0, z1 float64) []vec2 {
	return cam.quadZ([][3]float64{{x, y0, z0}, {x, y1, z0}, {x, y1, z1}, {x, y0, z1}})
}

var (
	glass     = hex(0x1e2a36)
	tyre      = hex(0x141414)
	tailRed   = hex(0x7a0d0d)
	headWhite = hex(0xd8d8cc)
	plate     = hex(0xe8e8e0)
	poleGrey  = hex(0x6d7175)
)

// drawCar paints a car as boxes (body, cabin, wheels, lights) and returns
// its image extent.
func drawCar(c *canvas, cam Camera, car Car, lk look) bbox {
	w, h, l, hb := carSize(car.Body)
	x0, x1, z := car.X-w/2, car.X+w/2, car.Z
	body := car.Color
	s := cam.Scale(z)
	if lk.wet { // mirror image of the body on the wet road
		p0, p1 := cam.Project(x0, 0, z), cam.Project(x1, 0, z)
		c.fill(rect(p0.X, p0.Y, p1.X, p0.Y+0.6*hb*s), body.scale(0.8), paint, 0.25)
	}
	// Side of the body and cabin, when the car is off to one side.
	if sx := map[bool]float64{true: x1, false: x0}[car.X < 0]; math.Abs(car.X) > w/2 {
		c.fill(side(cam, sx, 0.3, hb, z, z+l), body.scale(0.72), paint, 1)
		if car.Body == Van {
			c.fill(side(cam, sx, hb-0.9, hb-0.3, z+0.4, z+l-0.6), glass, paint, 1)
		} else {
			c.fill(cam.quadZ([][3]float64{{sx, hb, z + 0.15*l}, {sx, h, z + 0.32*l}, {sx, h, z + 0.7*l}, {sx, hb, z + 0.85*l}}),
				glass.mix(body, 0.2), paint, 1)
		}
		for _, wz := range []float64{z + 0.8, z + l - 0.8} {
			if wz > nearZ {
				p := cam.Project(sx, 0.33, wz)
				r := 0.33 * cam.Scale(wz)
				c.fill(ellipse(p.X, p.Y, r*0.45, r), tyre, paint, 1)
			}
		}
	}
	// Tops seen from above (the camera is higher than most cars).
	if car.Body != Van {
		c.fill(ground(cam, x0, x1, z, z+l, hb), body.scale(1.08), paint, 1)
		c.fill(ground(cam, x0+0.15, x1-0.15, z+0.32*l, z+0.7*l, h), body.scale(1.12), paint, 1)
		// Rear window sloping from the boot to the roof.
		c.fill(cam.quadZ([][3]float64{{x0 + 0.12, hb, z + 0.15*l}, {x1 - 0.12, hb, z + 0.15*l},
			{x1 - 0.15, h, z + 0.32*l}, {x0 + 0.15, h, z + 0.32*l}}), glass.mix(body, 0.1), paint, 1)
	} else {
		c.fill(ground(cam, x0, x1, z, z+l, h), body.scale(1.1), paint, 1)
	}
	// Near face: wheels, body, bumper, lights, plate.
	c.fill(face(cam, x0+0.12, x0+0.45, 0, 0.45, z+0.1), tyre, paint, 1)
	c.fill(face(cam, x1-0.45, x1-0.12, 0, 0.45, z+0.1), tyre, paint, 1)
	top := hb
	if car.Body == Van {
		top = h
	}
	c.fill(face(cam, x0, x1, 0.28, top, z), body, paint, 1)
	c.fill(face(cam, x0, x1, 0.28, 0.48, z), body.scale(0.55), paint, 1)
	if car.Body == Van {
		c.fill(face(cam, x0+0.15, x1-0.15, h-0.85, h-0.2, z), glass, paint, 1)
	}
	c.fill(face(cam, car.X-0.26, car.X+0.26, 0.52, 0.66, z), plate, paint, 1)
	ly0, ly1 := hb-0.32, hb-0.1
	if car.Body == Van {
		ly0, ly1 = 0.7, 1.0
	}
	lamp, emit := tailRed, rgb{1, 0.08, 0.05}
	if car.Oncoming {
		lamp, emit = headWhite, rgb{1, 0.95, 0.82}
	}
	for _, lx := range [][2]float64{{x0 + 0.06, x0 + 0.42}, {x1 - 0.42, x1 - 0.06}} {
		q := face(cam, lx[0], lx[1], ly0, ly1, z)
		c.fill(q, lamp, paint, 1)
		if lk.carLights > 0 {
			c.glowFill(q, emit, 1.5*lk.carLights)
			p := cam.Project((lx[0]+lx[1])/2, (ly0+ly1)/2, z)
			size := 0.35 * s
			if car.Oncoming {
				size = 0.8 * s
			}
			c.glow(p, size, emit.scale(0.9*lk.carLights), 1)
			if lk.wet { // streak of the light on the wet road
				g := cam.Project((lx[0]+lx[1])/2, -(ly0+ly1)/2, z)
				c.glow(vec2{g.X, g.Y}, 0.25*s, emit.scale(0.35*lk.carLights), 4)
			}
		}
	}
	if car.Oncoming && lk.carLights > 0 { // headlight beams on the road
		c.light(ground(cam, x0-0.5, x1+0.5, max(nearZ, z-18), z, 0.01), rgb{0.9, 0.85, 0.7}.scale(0.5*lk.carLights))
	}
	return cuboidBox(cam, x0, x1, 0, h, z, z+l)
}

// drawPerson paints a pedestrian facing the camera and returns its extent.
func drawPerson(c *canvas, cam Camera, p Person, lk look) bbox {
	H, z := p.Height, p.Z
	pt := func(dx, y float64) vec2 { return cam.Project(p.X+dx, y, z) }
	quad := func(a, b vec2, wa, wb float64) []vec2 { // a limb from a to b with widths in metres
		s := cam.Scale(z)
		return []vec2{{a.X - wa*s/2, a.Y}, {a.X + wa*s/2, a.Y}, {b.X + wb*s/2, b.Y}, {b.X - wb*s/2, b.Y}}
	}
	spread := (0.03 + 0.09*p.Stride) * H
	if lk.wet {
		f := pt(0, 0)
		s := cam.Scale(z)
		c.fill(rect(f.X-0.12*H*s, f.Y, f.X+0.12*H*s, f.Y+0.3*H*s), p.Pants, paint, 0.2)
	}
	c.fill(quad(pt(-0.05*H, 0.48*H), pt(-spread, 0.02*H), 0.09*H, 0.07*H), p.Pants, paint, 1)
	c.fill(quad(pt(0.05*H, 0.48*H), pt(spread, 0.02*H), 0.09*H, 0.07*H), p.Pants, paint, 1)
	for _, sx := range []float64{-1, 1} {
		f := pt(sx*spread, 0.02*H)
		s := cam.Scale(z)
		c.fill(ellipse(f.X, f.Y, 0.05*H*s, 0.02*H*s), tyre, paint, 1)
	}
	if p.Bag {
		c.fill(face(cam, p.X-0.14*H, p.X+0.14*H, 0.5*H, 0.78*H, z+0.15), hex(0x3b3b3b), paint, 1)
	}
	torso := []vec2{pt(-0.13*H, 0.81*H), pt(0.13*H, 0.81*H), pt(0.1*H, 0.46*H), pt(-0.1*H, 0.46*H)}
	c.fill(torso, p.Shirt, paint, 1)
	for _, sx := range []float64{-1, 1} {
		c.fill(quad(pt(sx*0.15*H, 0.8*H), pt(sx*(0.17+0.03*p.Stride)*H, 0.5*H), 0.06*H, 0.05*H), p.Shirt.scale(0.85), paint, 1)
		h := pt(sx*(0.17+0.03*p.Stride)*H, 0.48*H)
		s := cam.Scale(z)
		c.fill(ellipse(h.X, h.Y, 0.03*H*s, 0.03*H*s), p.Skin, paint, 1)
	}
	s := cam.Scale(z)
	n := pt(0, 0.82*H)
	c.fill(rect(n.X-0.03*H*s, n.Y-0.03*H*s, n.X+0.03*H*s, n.Y+0.01*H*s), p.Skin.scale(0.9), paint, 1)
	hc := pt(0, 0.905*H)
	c.fill(ellipse(hc.X, hc.Y, 0.062*H*s, 0.08*H*s), p.Skin, paint, 1)
	c.fill(ellipse(hc.X, hc.Y-0.035*H*s, 0.066*H*s, 0.05*H*s), p.Hair, paint, 1)
	b := emptyBox()
	b.add(pt(-max(0.19*H, spread+0.05*H), 0))
	b.add(pt(max(0.19*H, spread+0.05*H), H))
	return b
}

// drawSign paints a sign on its pole and returns the extent of the plate.
func drawSign(c *canvas, cam Camera, sg Sign, lk look) bbox {
	z, s := sg.Z, cam.Scale(sg.Z)
	const cy, r = 2.35, 0.36
	c.fill(face(cam, sg.X-0.04, sg.X+0.04, 0, cy, z+0.02), poleGrey, paint, 1)
	ctr := cam.Project(sg.X, cy, z)
	red, white, blue, black := hex(0xc0161b), hex(0xf4f4f0), hex(0x1f4fa0), hex(0x111111)
	var parts []struct {
		pts []vec2
		col rgb
	}
	add := func(pts []vec2, col rgb) {
		parts = append(parts, struct {
			pts []vec2
			col rgb
		}{pts, col})
	}
	R := r * s
	switch sg.Shape {
	case SignRound:
		add(ellipse(ctr.X, ctr.Y, R, R), red)
		add(ellipse(ctr.X, ctr.Y, 0.76*R, 0.76*R), white)
		// Two digits: a bar-ish tens digit and a round zero.
		add(rect(ctr.X-0.42*R, ctr.Y-0.35*R, ctr.X-0.08*R, ctr.Y+0.35*R), black)
		add(rect(ctr.X-0.33*R+0.03*R*float64(sg.Digit%3), ctr.Y-0.25*R, ctr.X-0.17*R, ctr.Y+0.25*R), white)
		add(ellipse(ctr.X+0.25*R, ctr.Y, 0.18*R, 0.35*R), black)
		add(ellipse(ctr.X+0.25*R, ctr.Y, 0.08*R, 0.22*R), white)
	case SignTriangle:
		tri := func(k float64) []vec2 {
			return []vec2{{ctr.X, ctr.Y - k*R}, {ctr.X + 0.95*k*R, ctr.Y + 0.7*k*R}, {ctr.X - 0.95*k*R, ctr.Y + 0.7*k*R}}
		}
		add(tri(1.15), red)
		add(tri(0.75), white)
		add(rect(ctr.X-0.07*R, ctr.Y-0.35*R, ctr.X+0.07*R, ctr.Y+0.2*R), black)
		add(rect(ctr.X-0.07*R, ctr.Y+0.3*R, ctr.X+0.07*R, ctr.Y+0.42*R), black)
	default:
		add(rect(ctr.X-R, ctr.Y-0.72*R, ctr.X+R, ctr.Y+0.72*R), blue)
		add(rect(ctr.X-0.85*R, ctr.Y-0.57*R, ctr.X+0.85*R, ctr.Y+0.57*R), blue.scale(1.15))
		add([]vec2{{ctr.X - 0.5*R, ctr.Y + 0.1*R}, {ctr.X + 0.2*R, ctr.Y + 0.1*R}, {ctr.X + 0.2*R, ctr.Y + 0.35*R},
			{ctr.X + 0.6*R, ctr.Y}, {ctr.X + 0.2*R, ctr.Y - 0.35*R}, {ctr.X + 0.2*R, ctr.Y - 0.1*R}, {ctr.X - 0.5*R, ctr.Y - 0.1*R}}, white)
	}
	b := emptyBox()
	for _, p := range parts {
		c.fill(p.pts, p.col, paint, 1)
		if lk.reflective > 0 {
			c.glowFill(p.pts, p.col, 0.7*lk.reflective)
		}
		for _, q := range p.pts {
			b.add(q)
		}
	}
	if lk.reflective > 0 {
		c.glow(ctr, 0.5*R, rgb{0.5, 0.5, 0.45}.scale(lk.reflective), 1)
	}
	return b
}

// drawTree paints a trunk and a canopy of overlapping blobs.
func drawTree(c *canvas, cam Camera, t Tree, lk look, seed uint64) {
	s := cam.Scale(t.Z)
	c.fill(face(cam, t.X-0.13, t.X+0.13, 0, 0.55*t.Height, t.Z), hex(0x4a3423), paint, 1)
	ctr := cam.Project(t.X, 0.7*t.Height, t.Z)
	for i := 0; i < 5; i++ {
		dx := (hash01(seed, 3*i) - 0.5) * 0.5 * t.Height * s
		dy := (hash01(seed, 3*i+1) - 0.5) * 0.35 * t.Height * s
		r := (0.22 + 0.1*hash01(seed, 3*i+2)) * t.Height * s
		c.fill(ellipse(ctr.X+dx, ctr.Y+dy, r, r*0.9), t.Leaves.scale(float32(0.8+0.3*hash01(seed, 7*i))), paint, 1)
	}
}

// drawLamp paints a street lamp; at night its head glows and lights a pool
// of road below it.
func drawLamp(c *canvas, cam Camera, l Lamp, lk look) {
	const top = 7.0
	dir := -math.Copysign(1, l.X) // the arm reaches over the road
	hx := l.X + dir*1.8
	c.fill(face(cam, l.X-0.07, l.X+0.07, 0, top, l.Z), poleGrey.scale(0.8), paint, 1)
	a, b := cam.Project(l.X, top, l.Z), cam.Project(hx, top-0.1, l.Z)
	c.fill(rect(min(a.X, b.X), a.Y, max(a.X, b.X), b.Y), poleGrey.scale(0.8), paint, 1)
	head := face(cam, hx-0.3, hx+0.3, top-0.25, top-0.05, l.Z)
	c.fill(head, hex(0x9a9a90), paint, 1)
	if lk.lamps {
		warm := rgb{1, 0.82, 0.5}
		c.glowFill(head, warm, 1.5)
		c.glow(cam.Project(hx, top-0.2, l.Z), 0.9*cam.Scale(l.Z), warm.scale(0.8), 1)
		c.light(ground(cam, hx-4, hx+4, max(nearZ, l.Z-4), l.Z+4, 0.01), warm.scale(0.55))
	}
}

// drawBuilding paints a facade with its windows, lit at night by the hash
// of the building's seed.
func drawBuilding(c *canvas, cam Camera, b Building, lk look) {
	x := float64(b.Side) * walkOuter
	z0 := max(b.Z0, nearZ)
	if b.Z1 <= z0 {
		return
	}
	c.fill(side(cam, x, 0, b.Height, z0, b.Z1), b.Color, paint, 1)
	c.fill(side(cam, x, 0, 0.7, z0, b.Z1), b.Color.scale(0.7), paint, 1)
	idx := 0
	for y := 1.6; y+1.4 < b.Height; y += 3.1 {
		for wz := b.Z0 + 1; wz+1.3 < b.Z1-0.5; wz += 2.6 {
			idx++
			if wz < nearZ {
				continue
			}
			q := side(cam, x-float64(b.Side)*0.02, y, y+1.4, wz, wz+1.3)
			c.fill(q, b.Window, paint, 1)
			if lk.lamps && hash01(b.Lit, idx) < 0.35 {
				c.glowFill(q, rgb{1, 0.78, 0.42}.scale(float32(0.5+0.5*hash01(b.Lit, -idx))), 1)
			}
		}
	}
}
