package synth

// Camera is a pinhole camera at height Height metres looking down a
// straight street along +Z; X is to the right and Y up (metres).
type Camera struct {
	W, H    int     // image size in pixels
	Horizon float64 // image row of the horizon
	Focal   float64 // focal length in pixels
	Height  float64 // camera height above the road in metres
}

// nearZ is the near clipping depth: nothing closer is drawn.
const nearZ = 1.2

// Project maps the world point (x, y, z), z > 0, to image coordinates.
func (c Camera) Project(x, y, z float64) vec2 {
	return vec2{float64(c.W)/2 + c.Focal*x/z, c.Horizon + c.Focal*(c.Height-y)/z}
}

// Scale is how many pixels one metre spans at depth z.
func (c Camera) Scale(z float64) float64 { return c.Focal / z }

type vec2 struct{ X, Y float64 }

// quadZ projects the world quad with corners p (given as x, y, z triples),
// clipping its edges at the near plane; it returns nil when nothing is in
// front of the camera.
func (c Camera) quadZ(p [][3]float64) []vec2 {
	var out []vec2
	n := len(p)
	for i := 0; i < n; i++ {
		a, b := p[i], p[(i+1)%n]
		if a[2] >= nearZ {
			out = append(out, c.Project(a[0], a[1], a[2]))
		}
		if (a[2] >= nearZ) != (b[2] >= nearZ) {
			t := (nearZ - a[2]) / (b[2] - a[2])
			out = append(out, c.Project(a[0]+t*(b[0]-a[0]), a[1]+t*(b[1]-a[1]), nearZ))
		}
	}
	if len(out) < 3 {
		return nil
	}
	return out
}
