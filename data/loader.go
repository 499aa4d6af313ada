package data

import (
	"fmt"
	"image"
	"math/rand/v2"
	"runtime"
	"sync"

	"i2i/tensor"
)

// LoaderConfig sets up unpaired batches.
type LoaderConfig struct {
	BatchSize    int      // images of each domain per batch
	Workers      int      // decoding goroutines (0: one per core)
	Seed         uint64   // all random draws derive from it
	Shuffle      bool     // visit A in a seeded random order each epoch (else in file order)
	Pipeline     Pipeline // per-image transform
	MaxBoxes     int      // box slots per image in Batch.ABoxes/BBoxes (0: no box tensors)
	MaskW, MaskH int      // class-mask resolution (0: no masks)
	Strict       bool     // an unreadable image is an error instead of a skipped, counted warning
	Warn         func(string)
}

// LoaderState is a loader's position: the next item of an epoch. Every
// random choice is a function of (Seed, Epoch, Index), so restoring a state
// continues exactly where the run stopped.
type LoaderState struct {
	Epoch int `json:"epoch"`
	Index int `json:"index"`
}

// Batch is one unpaired batch: images of A and B in [−1, 1], their boxes in
// the padded [B, MaxBoxes, 5] form and class masks, when configured.
type Batch struct {
	A, B           *tensor.Tensor
	ABoxes, BBoxes *tensor.Tensor
	AMasks, BMasks *tensor.Tensor
	APaths, BPaths []string
	ABoxList       [][]Box // the boxes in pixels of the transformed images
	BBoxList       [][]Box
}

// LoaderStats counts what the loader dropped.
type LoaderStats struct {
	SkippedImages int // unreadable images skipped
	DroppedBoxes  int // boxes lost to cropping or the minimum size
	Truncated     int // boxes beyond MaxBoxes
}

// Loader draws unpaired batches as the reference code does: A in order (or
// shuffled per epoch), B at random; an epoch is max(|A|, |B|) items.
type Loader struct {
	cfg   LoaderConfig
	ds    *Dataset
	a, b  []Sample
	pos   LoaderState
	Stats LoaderStats

	mu      sync.Mutex
	perm    []int
	permEp  int
	pending chan chan item
	stop    chan struct{}
}

type item struct {
	aImg, bImg     *image.RGBA
	aBoxes, bBoxes []Box
	aPath, bPath   string
	dropped        int
	err            error // set when a read fails
	skip           string
}

// NewLoader makes a loader over samples a and b of ds.
func NewLoader(ds *Dataset, a, b []Sample, cfg LoaderConfig) (*Loader, error) {
	if len(a) == 0 || len(b) == 0 {
		return nil, fmt.Errorf("loader needs images in both domains (have %d and %d)", len(a), len(b))
	}
	if cfg.BatchSize <= 0 || cfg.BatchSize > 4096 {
		return nil, fmt.Errorf("batch size %d out of range 1…4096", cfg.BatchSize)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Warn == nil {
		cfg.Warn = func(string) {}
	}
	return &Loader{cfg: cfg, ds: ds, a: a, b: b, permEp: -1}, nil
}

// EpochLen is the number of items in an epoch.
func (l *Loader) EpochLen() int { return max(len(l.a), len(l.b)) }

// State is the position of the next batch.
func (l *Loader) State() LoaderState { return l.pos }

// Restore moves the loader to a saved position.
func (l *Loader) Restore(s LoaderState) {
	l.Close()
	l.pos = s
}

// Close stops the decode-ahead workers.
func (l *Loader) Close() {
	if l.stop != nil {
		close(l.stop)
		for range l.pending {
		}
		l.stop, l.pending = nil, nil
	}
}

// itemRNG is the random source of one item.
func (l *Loader) itemRNG(s LoaderState) *rand.Rand {
	return rand.New(rand.NewPCG(l.cfg.Seed, uint64(s.Epoch)<<32|uint64(s.Index)))
}

// aIndex is the A sample visited at position s.
func (l *Loader) aIndex(s LoaderState) int {
	i := s.Index % len(l.a)
	if !l.cfg.Shuffle {
		return i
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.permEp != s.Epoch {
		l.perm = rand.New(rand.NewPCG(l.cfg.Seed^0x5eed, uint64(s.Epoch))).Perm(len(l.a))
		l.permEp = s.Epoch
	}
	return l.perm[i]
}

func (l *Loader) advance(s LoaderState) LoaderState {
	if s.Index++; s.Index >= l.EpochLen() {
		s.Epoch, s.Index = s.Epoch+1, 0
	}
	return s
}

// load reads and transforms the item at position s.
func (l *Loader) load(s LoaderState, ai int) item {
	rng := l.itemRNG(s)
	bi := rng.IntN(len(l.b))
	var it item
	var err error
	sa, sb := l.a[ai], l.b[bi]
	it.aPath, it.bPath = l.ds.Abs(sa), l.ds.Abs(sb)
	var da, db int
	if it.aImg, it.aBoxes, da, err = l.one(sa, rng); err == nil {
		it.bImg, it.bBoxes, db, err = l.one(sb, rng)
	}
	it.dropped = da + db
	if err != nil {
		if l.cfg.Strict {
			it.err = err
		} else {
			it.skip = err.Error()
		}
	}
	return it
}

func (l *Loader) one(s Sample, rng *rand.Rand) (*image.RGBA, []Box, int, error) {
	img, err := ReadImage(l.ds.Abs(s))
	if err != nil {
		return nil, nil, 0, err
	}
	boxes := s.Boxes
	if s.W > 0 && s.H > 0 && (s.W != img.Bounds().Dx() || s.H != img.Bounds().Dy()) {
		boxes = ScaleBoxes(boxes, float64(img.Bounds().Dx())/float64(s.W), float64(img.Bounds().Dy())/float64(s.H))
	}
	out, kept, dropped := l.cfg.Pipeline.Apply(img, boxes, rng)
	return out, kept, dropped, nil
}

// start launches the producer and workers from the current position; items
// arrive in order through pending, whatever the number of workers.
func (l *Loader) start() {
	l.stop = make(chan struct{})
	l.pending = make(chan chan item, 2*l.cfg.Workers*l.cfg.BatchSize)
	stop, pending := l.stop, l.pending
	jobs := make(chan func(), l.cfg.Workers)
	var wg sync.WaitGroup
	for w := 0; w < l.cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j()
			}
		}()
	}
	go func() {
		defer func() { close(jobs); wg.Wait(); close(pending) }()
		s := l.pos
		for {
			fut := make(chan item, 1)
			ss := s
			select {
			case pending <- fut:
			case <-stop:
				return
			}
			select {
			case jobs <- func() { fut <- l.load(ss, l.aIndex(ss)) }:
			case <-stop:
				fut <- item{err: fmt.Errorf("loader closed")}
				return
			}
			s = l.advance(s)
		}
	}()
}

// Next returns the next batch. Unreadable images are skipped (with a
// warning naming them) unless Strict is set.
func (l *Loader) Next() (*Batch, error) {
	if l.pending == nil {
		l.start()
	}
	var items []item
	for len(items) < l.cfg.BatchSize {
		it := <-<-l.pending
		if it.err != nil {
			return nil, it.err
		}
		l.pos = l.advance(l.pos)
		if it.skip != "" {
			l.Stats.SkippedImages++
			l.cfg.Warn("skipping unreadable image: " + it.skip)
			if l.Stats.SkippedImages > 100 && l.Stats.SkippedImages*2 > l.pos.Index+l.pos.Epoch*l.EpochLen() {
				return nil, fmt.Errorf("more than half of the images are unreadable (last: %s)", it.skip)
			}
			continue
		}
		l.Stats.DroppedBoxes += it.dropped
		items = append(items, it)
	}
	return l.assemble(items)
}

func (l *Loader) assemble(items []item) (*Batch, error) {
	bt := &Batch{}
	var as, bs []*image.RGBA
	for _, it := range items {
		as, bs = append(as, it.aImg), append(bs, it.bImg)
		bt.APaths, bt.BPaths = append(bt.APaths, it.aPath), append(bt.BPaths, it.bPath)
		bt.ABoxList, bt.BBoxList = append(bt.ABoxList, it.aBoxes), append(bt.BBoxList, it.bBoxes)
	}
	for _, group := range [][]*image.RGBA{as, bs} {
		r := group[0].Bounds()
		for i, img := range group {
			if img.Bounds().Size() != r.Size() {
				return nil, fmt.Errorf("images of one batch differ in size (%v and %v, %s): set a resize or crop",
					r.Size(), img.Bounds().Size(), bt.APaths[i])
			}
		}
	}
	bt.A, bt.B = ImageTensor(as), ImageTensor(bs)
	w, h := as[0].Bounds().Dx(), as[0].Bounds().Dy()
	wb, hb := bs[0].Bounds().Dx(), bs[0].Bounds().Dy()
	if l.cfg.MaxBoxes > 0 {
		var ta, tb int
		bt.ABoxes, ta = BoxTensor(bt.ABoxList, l.cfg.MaxBoxes, w, h)
		bt.BBoxes, tb = BoxTensor(bt.BBoxList, l.cfg.MaxBoxes, wb, hb)
		l.Stats.Truncated += ta + tb
	}
	if l.cfg.MaskW > 0 && l.cfg.MaskH > 0 {
		bt.AMasks = ClassMasks(bt.ABoxList, w, h, l.cfg.MaskW, l.cfg.MaskH)
		bt.BMasks = ClassMasks(bt.BBoxList, wb, hb, l.cfg.MaskW, l.cfg.MaskH)
	}
	return bt, nil
}
