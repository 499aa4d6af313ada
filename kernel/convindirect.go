package kernel

// Indirect B: for a convolution with unit horizontal stride and dilation
// whose output width is a multiple of the tile width nr, row (c, i, j) of
// the im2col matrix at output positions n0 … n0+nr−1 (all in one output
// row) is a run of nr consecutive pixels of the zero-padded image. The
// micro-kernel then reads B in place through a table of kb offsets per
// sliver, and B is never packed: packing would copy every pixel KH·KW times.

// indirectB is the im2col matrix of a zero-padded copy of an image.
type indirectB struct {
	g      *ConvGeom
	pad    []float32 // C × hp × wp, the image in the middle
	hp, wp int
	tap    []int64 // offset of tap (c, i, j) at output position (0, 0)
}

// indirectOK reports whether ConvGemm can read the im2col matrix of g in
// place with tile t.
func indirectOK(t tile, g *ConvGeom) bool {
	return t.kernInd != nil && g.StrideW == 1 && g.DilW == 1 && g.OutW%t.nr == 0
}

// newIndirectB copies img into a zero-padded buffer, which release hands
// back.
func newIndirectB(g *ConvGeom, img []float32) *indirectB {
	pad, hp, wp := padImage(g, img, g.PadW)
	s := &indirectB{g: g, hp: hp, wp: wp, pad: pad, tap: make([]int64, g.C*g.KH*g.KW)}
	c, i, j := 0, 0, 0
	for t := range s.tap {
		s.tap[t] = int64((c*hp+i*g.DilH)*wp + j)
		c, i, j = g.nextTap(c, i, j)
	}
	return s
}

func (s *indirectB) release() { PutBuf(s.pad) }

// offsets fills dst[0:kb] with the padded-image offsets of rows p0 … p0+kb
// of the im2col matrix at the sliver starting at output position n0.
func (s *indirectB) offsets(dst []int64, p0, kb, n0 int) {
	g := s.g
	oy, ox := n0/g.OutW, n0%g.OutW
	at := int64(oy*g.StrideH*s.wp + ox)
	for p, t := range s.tap[p0 : p0+kb] {
		dst[p] = t + at
	}
}

// pack satisfies bSource for kernels without an indirect variant.
func (s *indirectB) pack(dst []float32, p0, kb, j0, nb, nr int) {
	var offs [kc]int64
	for jr := 0; jr < nb; jr += nr {
		sl := dst[jr*kb : jr*kb+kb*nr]
		nw := min(nr, nb-jr)
		s.offsets(offs[:], p0, kb, j0+jr)
		for p, o := range offs[:kb] {
			r := sl[p*nr : p*nr+nr]
			copy(r[:nw], s.pad[o:o+int64(nw)])
			clear(r[nw:])
		}
	}
}
