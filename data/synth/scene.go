package synth

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Version is the generator version written into manifests; it changes
// whenever the same seed would draw or render a different scene.
const Version = 1

// Street geometry in metres (X from the camera's lane centre).
const (
	roadHalf  = 5.25 // road edges at ±roadHalf: oncoming lane, ego lane, right lane
	laneWidth = 3.5
	walkOuter = 8.5 // sidewalks from the road edge to the facades
	farZ      = 160 // end of the street
)

// Scene is one street scene: everything needed to render it in any domain.
type Scene struct {
	Seed      uint64     `json:"seed"`
	Camera    Camera     `json:"camera"`
	SunX      float64    `json:"sun_x"` // shadow direction (metres of shadow per metre of height, sideways)
	Buildings []Building `json:"buildings"`
	Trees     []Tree     `json:"trees"`
	Lamps     []Lamp     `json:"lamps"`
	Cars      []Car      `json:"cars"`
	Persons   []Person   `json:"persons"`
	Signs     []Sign     `json:"signs"`
}

// Building is a facade along one side of the street.
type Building struct {
	Side   int     `json:"side"` // −1 left, +1 right
	Z0     float64 `json:"z0"`
	Z1     float64 `json:"z1"`
	Height float64 `json:"height"`
	Color  rgb     `json:"color"`
	Window rgb     `json:"window"`
	Lit    uint64  `json:"lit"` // hash seed choosing which windows are lit at night
}

// Tree stands on a sidewalk.
type Tree struct {
	X      float64 `json:"x"`
	Z      float64 `json:"z"`
	Height float64 `json:"height"`
	Leaves rgb     `json:"leaves"`
}

// Lamp is a street lamp whose arm reaches over the road.
type Lamp struct {
	X float64 `json:"x"`
	Z float64 `json:"z"`
}

// Car body shapes.
const (
	Sedan = iota
	Hatchback
	SUV
	Van
)

// Car is seen from behind (same direction) or from the front (Oncoming).
type Car struct {
	ID       int     `json:"id"`
	X        float64 `json:"x"` // centre of the near face
	Z        float64 `json:"z"`
	Body     int     `json:"body"`
	Color    rgb     `json:"color"`
	Oncoming bool    `json:"oncoming"`
}

// Person walks on a sidewalk or crosses the street.
type Person struct {
	ID     int     `json:"id"`
	X      float64 `json:"x"`
	Z      float64 `json:"z"`
	Height float64 `json:"height"`
	Skin   rgb     `json:"skin"`
	Hair   rgb     `json:"hair"`
	Shirt  rgb     `json:"shirt"`
	Pants  rgb     `json:"pants"`
	Stride float64 `json:"stride"` // leg spread, 0…1
	Bag    bool    `json:"bag"`
}

// Sign shapes.
const (
	SignRound    = iota // speed limit: white disc, red ring, black digits
	SignTriangle        // warning: white triangle, red border
	SignRect            // information: blue rectangle, white symbol
)

// Sign is a traffic sign on a pole at the road edge.
type Sign struct {
	ID    int     `json:"id"`
	X     float64 `json:"x"`
	Z     float64 `json:"z"`
	Shape int     `json:"shape"`
	Digit int     `json:"digit"` // speed-limit tens digit
}

var (
	carColors = []uint32{0xb8b8b8, 0x202020, 0xf0f0f0, 0x8a1c1c, 0x1c3d8a, 0x2f5f3a, 0x7a7a80,
		0xc9a227, 0x5a2d82, 0xd35400, 0x34495e, 0x95a5a6}
	shirtColors = []uint32{0xc0392b, 0x2980b9, 0x27ae60, 0xf1c40f, 0xecf0f1, 0x2c3e50, 0x8e44ad,
		0xe67e22, 0x16a085, 0x7f8c8d}
	pantsColors = []uint32{0x1f2a44, 0x2d2d2d, 0x4a3b2a, 0x5d6d7e, 0x1b4f72, 0x6e2c00}
	skinColors  = []uint32{0xf1c27d, 0xe0ac69, 0xc68642, 0x8d5524, 0xffdbac}
	hairColors  = []uint32{0x1c1c1c, 0x3b2a1a, 0x6b4423, 0xa67b5b, 0x8c8c8c}
	wallColors  = []uint32{0xb5651d, 0x9c9c94, 0xd8c3a5, 0x8b5a2b, 0xc2b280, 0x7d7d78, 0xa0522d,
		0xe5d3b3, 0x6f7c85, 0xbfae94}
)

func pick(rng *rand.Rand, c []uint32) rgb { return hex(c[rng.IntN(len(c))]) }

func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// carSize is (width, height, length, body height) of a body shape in metres.
func carSize(body int) (w, h, l, hb float64) {
	switch body {
	case Hatchback:
		return 1.75, 1.5, 4.0, 0.95
	case SUV:
		return 1.9, 1.75, 4.7, 1.1
	case Van:
		return 2.0, 2.3, 5.2, 2.3
	}
	return 1.8, 1.45, 4.6, 0.9
}

// NewScene draws a scene for a w×h image from seed.
func NewScene(seed uint64, w, h int) Scene {
	rng := rand.New(rand.NewPCG(seed, 0x5ce7e))
	s := Scene{Seed: seed}
	s.Camera = Camera{W: w, H: h, Horizon: float64(h) * uniform(rng, 0.38, 0.46),
		Focal: float64(w) * uniform(rng, 0.85, 1.0), Height: uniform(rng, 1.3, 1.6)}
	s.SunX = uniform(rng, -1.2, 1.2)
	for _, side := range []int{-1, 1} {
		z := uniform(rng, -2, 6)
		for z < farZ {
			l := uniform(rng, 8, 26)
			b := Building{Side: side, Z0: z, Z1: z + l, Height: uniform(rng, 5, 22),
				Color: pick(rng, wallColors).scale(float32(uniform(rng, 0.8, 1.05))), Lit: rng.Uint64()}
			b.Window = hex(0x3a4a5c).mix(hex(0x9bb0c8), float32(rng.Float64()))
			s.Buildings = append(s.Buildings, b)
			z += l + uniform(rng, 0, 3)
		}
		for z := uniform(rng, 4, 14); z < 90; z += uniform(rng, 9, 30) {
			s.Trees = append(s.Trees, Tree{X: float64(side) * uniform(rng, 7.0, 7.8), Z: z,
				Height: uniform(rng, 4, 7), Leaves: hex(0x2e6b30).mix(hex(0x6b8e23), float32(rng.Float64()))})
		}
	}
	lampSide := []int{-1, 1}[rng.IntN(2)]
	for z := uniform(rng, 6, 20); z < 120; z += uniform(rng, 22, 30) {
		s.Lamps = append(s.Lamps, Lamp{X: float64(lampSide) * (roadHalf + 0.5), Z: z})
	}
	id := 1
	// Cars: lanes −3.5 (oncoming), 0 (ego), +3.5; at least one, up to six.
	type slot struct{ lane, z0, z1 float64 }
	var used []slot
	nCars := 1 + rng.IntN(6)
	for tries := 0; len(s.Cars) < nCars && tries < 40; tries++ {
		lane := float64(rng.IntN(3)-1) * laneWidth
		body := rng.IntN(4)
		if body == Van && rng.IntN(2) == 0 {
			body = Sedan
		}
		_, _, l, _ := carSize(body)
		u := rng.Float64()
		z := 5 + 40*u*u // most cars near, some far
		if lane == 0 {
			z += 3 // room in front of the ego car
		}
		ok := true
		for _, u := range used {
			if u.lane == lane && z < u.z1+2 && z+l+2 > u.z0 {
				ok = false
			}
		}
		if !ok {
			continue
		}
		used = append(used, slot{lane, z, z + l})
		c := Car{ID: id, X: lane + uniform(rng, -0.4, 0.4), Z: z, Body: body, Color: pick(rng, carColors),
			Oncoming: lane < 0}
		id++
		s.Cars = append(s.Cars, c)
	}
	for i, n := 0, rng.IntN(6); i < n; i++ {
		p := Person{ID: id, Height: uniform(rng, 1.55, 1.9), Skin: pick(rng, skinColors), Hair: pick(rng, hairColors),
			Shirt: pick(rng, shirtColors), Pants: pick(rng, pantsColors), Stride: rng.Float64(), Bag: rng.IntN(3) == 0}
		side := float64(rng.IntN(2)*2 - 1)
		p.X, p.Z = side*uniform(rng, roadHalf+0.5, walkOuter-0.6), uniform(rng, 3.5, 28)
		if rng.IntN(6) == 0 { // crossing the street
			p.X = uniform(rng, -roadHalf+0.5, roadHalf-0.5)
			p.Z = uniform(rng, 7, 30)
		}
		id++
		s.Persons = append(s.Persons, p)
	}
	for i, n := 0, 1+rng.IntN(3); i < n; i++ {
		side := float64(rng.IntN(2)*2 - 1)
		s.Signs = append(s.Signs, Sign{ID: id, X: side * (roadHalf + uniform(rng, 0.3, 0.9)), Z: uniform(rng, 4, 30),
			Shape: rng.IntN(3), Digit: 2 + rng.IntN(7)})
		id++
	}
	return s
}

// drawable is an object to paint in depth order.
type drawable struct {
	z    float64
	draw func()
}

// sortFarToNear orders drawables so that near objects are painted last.
func sortFarToNear(d []drawable) {
	sort.SliceStable(d, func(i, j int) bool { return d[i].z > d[j].z })
}

// hash01 is a deterministic pseudo-random number in [0, 1) from a seed and index.
func hash01(seed uint64, i int) float64 {
	x := seed ^ uint64(i)*0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

var _ = math.Pi
