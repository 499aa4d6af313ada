// Package synth renders procedural street scenes, the same scene in every
// weather and light domain, so that unpaired translation can be scored
// against paired ground truth.
//
// A Scene (scene.go) is a JSON-able description drawn from a seed: a camera
// over a straight street, buildings, trees, street lamps and the instances
// — cars, persons and traffic signs — with their boxes. Render (render.go)
// paints it for one domain: the geometry is fixed and only light, sky,
// weather and emissive parts change, on the instances too (head and tail
// lights, retro-reflective signs). Generate (generate.go) writes a whole
// data set in parallel with INIT annotations and a manifest.
//
//   - camera.go: pinhole projection of the street's world coordinates.
//   - canvas.go: anti-aliased polygon fills (x/image/vector) on float layers.
//   - objects.go: how each kind of object is drawn.
//   - domains.go: the look of sunny, night, cloudy and rainy.
package synth
