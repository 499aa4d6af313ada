package synth

import "fmt"

// Domains are the looks Render knows, in the INIT data set's order.
var Domains = []string{"sunny", "night", "cloudy", "rainy"}

// look is how a domain lights and colours a scene.
type look struct {
	skyTop, skyHorizon rgb
	ambient            rgb     // multiplies every surface
	shadow             float32 // strength of hard shadows (0: none)
	clouds             int     // cloud puffs in the sky
	cloud              rgb
	overcast           bool    // a flat cloud layer covers the sky
	carLights          float32 // head/tail light intensity (0: off)
	lamps              bool    // street lamps and lit windows
	reflective         float32 // retro-reflection of signs
	wet                bool    // wet road: darker, reflections, rain streaks
	desaturate         float32 // 0 keeps colours, 1 is grey
	contrast           float32 // 1 keeps contrast
	noise              float32 // sensor noise σ
}

func lookOf(domain string) (look, error) {
	switch domain {
	case "sunny":
		return look{skyTop: hex(0x3d7fd6), skyHorizon: hex(0xc4dcf2), ambient: rgb{1.05, 1.0, 0.92},
			shadow: 0.55, clouds: 3, cloud: hex(0xffffff), contrast: 1.08, noise: 0.004}, nil
	case "cloudy":
		return look{skyTop: hex(0x8e98a3), skyHorizon: hex(0xc9cdd2), ambient: rgb{0.8, 0.81, 0.84},
			clouds: 10, cloud: hex(0xb4b9bf), overcast: true, desaturate: 0.3, contrast: 0.78, noise: 0.006}, nil
	case "rainy":
		return look{skyTop: hex(0x4d5560), skyHorizon: hex(0x78808a), ambient: rgb{0.52, 0.55, 0.62},
			clouds: 8, cloud: hex(0x5f6670), overcast: true, carLights: 0.6, reflective: 0.1, wet: true,
			desaturate: 0.45, contrast: 0.85, noise: 0.012}, nil
	case "night":
		return look{skyTop: hex(0x03050c), skyHorizon: hex(0x1b2235), ambient: rgb{0.09, 0.10, 0.16},
			carLights: 1, lamps: true, reflective: 0.55, contrast: 1.0, noise: 0.025}, nil
	}
	return look{}, fmt.Errorf("unknown domain %q (known: sunny, night, cloudy, rainy)", domain)
}
