package kernel

// Indirect B: for a convolution whose output width is a multiple of the
// tile width nr, row (c, i, j) of the im2col matrix at output positions
// n0 … n0+nr−1 (all in one output row) is a run of nr consecutive pixels of
// the padded, phase-split image (convimage.go). The
// micro-kernel then reads B in place through a table of kb offsets per
// sliver, and B is never packed: packing would copy every pixel KH·KW times.

// indirectB is the im2col matrix of an image laid out as a convImage.
type indirectB struct {
	g *ConvGeom
	convImage
}

// indirectOK reports whether ConvGemm can read the im2col matrix of g in
// place with tile t. For a horizontal stride of 2 the image is split into
// column phases (convimage.go), which pays where output rows hold at least
// two slivers (forward 3×3, stride 2 on 128² inputs: 64→128 1.34×, 128→128
// 1.39×, 3→64 1.93× faster than packing) and not on narrower outputs (on
// 64² inputs 0.92–0.99×); larger strides are left to packing.
func indirectOK(t tile, g *ConvGeom) bool {
	return t.kernInd != nil && g.OutW%t.nr == 0 && (g.StrideW == 1 || g.StrideW == 2 && g.OutW >= 2*t.nr)
}

// newIndirectB lays img out for in-place reads; release hands it back.
func newIndirectB(g *ConvGeom, img []float32) *indirectB {
	return &indirectB{g, newConvImage(g, img, 0, 1)}
}

// offsets fills dst[0:kb] with the padded-image offsets of rows p0 … p0+kb
// of the im2col matrix at the sliver starting at output position n0.
func (s *indirectB) offsets(dst []int64, p0, kb, n0 int) {
	at := s.at(n0/s.g.OutW, n0%s.g.OutW)
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
