package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"i2i/data"
	"i2i/weights"
)

// Options configure Generate.
type Options struct {
	Out      string   // output directory
	N        int      // number of scenes
	W, H     int      // image size
	Domains  []string // domains to render (each scene in every one)
	Seed     uint64
	TestFrac float64 // fraction of scenes in the test split (the last ones)
	Workers  int     // 0: one per core
	Progress func()  // called once per finished scene (may be nil)
}

// Manifest describes a generated data set (DIR/manifest.json).
type Manifest struct {
	Generator string                    `json:"generator"`
	Version   int                       `json:"version"`
	Seed      uint64                    `json:"seed"`
	Width     int                       `json:"width"`
	Height    int                       `json:"height"`
	Scenes    int                       `json:"scenes"`
	TestFrac  float64                   `json:"test_frac"`
	Domains   []string                  `json:"domains"`
	Counts    map[string]map[string]int `json:"counts"` // domain → split → images
	Boxes     map[string]int            `json:"boxes"`  // class → boxes per domain
	Classes   []ManifestClass           `json:"classes"`
	Layout    string                    `json:"layout"`
}

// ManifestClass is one entry of the class list.
type ManifestClass struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Check validates the options.
func (o *Options) Check() error {
	switch {
	case o.N <= 0 || o.N > 10_000_000:
		return fmt.Errorf("--n %d: need 1 … 10,000,000 scenes", o.N)
	case o.W < 32 || o.H < 32 || o.W > 4096 || o.H > 4096:
		return fmt.Errorf("--size %dx%d: need 32 … 4096 pixels a side", o.W, o.H)
	case o.TestFrac < 0 || o.TestFrac >= 1 || math.IsNaN(o.TestFrac):
		return fmt.Errorf("--test-frac %v: need 0 ≤ f < 1", o.TestFrac)
	case len(o.Domains) == 0:
		return fmt.Errorf("no domains given")
	}
	for i, d := range o.Domains {
		if _, err := lookOf(d); err != nil {
			return err
		}
		if slices.Contains(o.Domains[:i], d) {
			return fmt.Errorf("domain %q given twice", d)
		}
	}
	return nil
}

// SceneSeed is the seed of scene i of a data set generated with seed.
func SceneSeed(seed uint64, i int) uint64 { return uint64(1e9)*seed + uint64(i) + 1 }

// Generate renders o.N scenes in every domain under o.Out and writes the
// INIT annotations, the scene descriptions and the manifest. The result
// depends only on the options, not on the number of workers.
func Generate(o Options) (*Manifest, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	nTest := int(math.Round(float64(o.N) * o.TestFrac))
	split := func(i int) string {
		if i >= o.N-nTest {
			return "test"
		}
		return "train"
	}
	for _, d := range o.Domains {
		for _, sp := range []string{"train", "test"} {
			if err := os.MkdirAll(filepath.Join(o.Out, d, sp), 0o755); err != nil {
				return nil, err
			}
		}
	}
	for _, sp := range []string{"train", "test"} {
		if err := os.MkdirAll(filepath.Join(o.Out, "scenes", sp), 0o755); err != nil {
			return nil, err
		}
	}
	boxes := make([][]data.Box, o.N)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= o.N {
					return
				}
				b, err := renderScene(o, i, split(i))
				if err != nil {
					once.Do(func() { firstErr = err })
					next.Store(int64(o.N))
					return
				}
				boxes[i] = b
				if o.Progress != nil {
					o.Progress()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	m := &Manifest{Generator: "i2i synth", Version: Version, Seed: o.Seed, Width: o.W, Height: o.H, Scenes: o.N,
		TestFrac: o.TestFrac, Domains: o.Domains, Counts: map[string]map[string]int{}, Boxes: map[string]int{},
		Layout: "<domain>/<split>/<stem>.png; <domain>_<split>.txt INIT annotations; scenes/<split>/<stem>.json"}
	for _, c := range data.Classes {
		m.Classes = append(m.Classes, ManifestClass{int(c), c.String()})
	}
	for _, bs := range boxes {
		for _, b := range bs {
			m.Boxes[b.Class.String()]++
		}
	}
	for _, d := range o.Domains {
		m.Counts[d] = map[string]int{}
		for _, sp := range []string{"train", "test"} {
			var ss []data.Sample
			for i := range boxes {
				if split(i) == sp {
					ss = append(ss, data.Sample{Path: fmt.Sprintf("%s/%s/%06d.png", d, sp, i), W: o.W, H: o.H, Boxes: boxes[i]})
				}
			}
			m.Counts[d][sp] = len(ss)
			var buf bytes.Buffer
			if err := data.WriteINIT(&buf, ss); err != nil {
				return nil, err
			}
			if err := weights.WriteFileAtomic(filepath.Join(o.Out, d+"_"+sp+".txt"), buf.Bytes()); err != nil {
				return nil, err
			}
		}
	}
	js, _ := json.MarshalIndent(m, "", "  ")
	if err := weights.WriteFileAtomic(filepath.Join(o.Out, "manifest.json"), append(js, '\n')); err != nil {
		return nil, err
	}
	return m, nil
}

// renderScene draws scene i, writes its description and one PNG per domain,
// and returns its boxes.
func renderScene(o Options, i int, split string) ([]data.Box, error) {
	s := NewScene(SceneSeed(o.Seed, i), o.W, o.H)
	stem := fmt.Sprintf("%06d", i)
	js, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	if err := weights.WriteFileAtomic(filepath.Join(o.Out, "scenes", split, stem+".json"), js); err != nil {
		return nil, err
	}
	var boxes []data.Box
	for _, d := range o.Domains {
		img, b, err := Render(s, d)
		if err != nil {
			return nil, err
		}
		boxes = b
		if err := data.WritePNG(filepath.Join(o.Out, d, split, stem+".png"), img); err != nil {
			return nil, err
		}
	}
	return boxes, nil
}
