package train

import (
	"image"
	"image/draw"

	"i2i/data"
	"i2i/tensor"
)

// sampler writes the grids of samples/: one row per fixed test input with
// the input, three translations with random styles (one for unimodal
// models) and a target-domain example.
type sampler struct {
	inputs *tensor.Tensor
	target *image.RGBA
	seed   uint64
	size   int
}

func newSampler(c Config, ds *data.Dataset) (*sampler, error) {
	pick := func(domain string, n int) ([]*image.RGBA, error) {
		s := ds.Select(domain, "test")
		if len(s) == 0 {
			s = ds.Select(domain, "train")
		}
		var out []*image.RGBA
		for _, smp := range s[:min(n, len(s))] {
			img, err := data.ReadImage(ds.Abs(smp))
			if err != nil {
				return nil, err
			}
			out = append(out, data.ResizeImage(img, c.Size, c.Size))
		}
		return out, nil
	}
	in, err := pick(c.From, 4)
	if err != nil {
		return nil, err
	}
	tg, err := pick(c.To, 1)
	if err != nil {
		return nil, err
	}
	return &sampler{inputs: data.ImageTensor(in), target: tg[0], seed: c.Seed, size: c.Size}, nil
}

func (s *sampler) write(path string, m Model) error {
	cols := 1
	if _, ok := m.(Multimodal); ok {
		cols = 3
	}
	rng := newRNG(s.seed, sampleStream) // the same styles at every step
	var outs []*tensor.Tensor
	tensor.NoGrad(func() {
		for i := 0; i < cols; i++ {
			outs = append(outs, m.Translate(s.inputs, rng))
		}
	})
	n, sz := s.inputs.Dim(0), s.size
	grid := image.NewRGBA(image.Rect(0, 0, (cols+2)*sz, n*sz))
	plane := 3 * sz * sz
	put := func(img image.Image, col, row int) {
		draw.Draw(grid, image.Rect(col*sz, row*sz, (col+1)*sz, (row+1)*sz), img, image.Point{}, draw.Src)
	}
	for r := 0; r < n; r++ {
		put(data.FromCHW(s.inputs.Data[r*plane:(r+1)*plane], sz, sz), 0, r)
		for c, o := range outs {
			put(data.FromCHW(o.Data[r*plane:(r+1)*plane], sz, sz), c+1, r)
		}
		put(s.target, cols+1, r)
	}
	return data.WritePNG(path, grid)
}
