package kernel

// What the Winograd passes (winograd.go, winogradw.go) share: the tiling of
// the output, the transformed kernels U_ξ = G·g·Gᵀ packed for the products,
// and the parity phases of the zero-padded input.

// winoPlan is the tiling of one Winograd call (ConvWinograd,
// ConvWinogradGrad).
type winoPlan struct {
	g      ConvGeom
	t      tile
	m, cin int // output rows and depth of the products
	rows   int // m rounded up to whole register tiles
	th, tw int // tile rows and columns
	wq     int // tiles per row with the junk one: the phase images' width
	nt     int // tiles counted, th·wq
	plane  int // floats per phase image of one channel
	usize  int // floats from one packed U_ξ to the next
	bs     int // slivers per block
	ldm    int // row stride of a block's buffers: bs·nr tiles
}

func newWinoPlan(g ConvGeom, m int, t tile) *winoPlan {
	p := newWinoShape(m, g.C, t)
	p.g, p.th, p.tw = g, (g.OutH+1)/2, (g.OutW+1)/2
	p.wq = p.tw + 1
	p.nt = p.th * p.wq
	// A worker's rows: its share of the register tiles.
	wr := ((p.rows/t.mr + workers - 1) / workers) * t.mr
	p.bs = max(1, (winoL2Bytes/4-4*p.cin*t.nr)/(8*wr*t.nr))
	p.ldm = p.bs * t.nr
	// Slivers read up to a whole sliver past the last tile, one phase row
	// and one column further; the extra 16 floats keep the phase images
	// of consecutive channels off the same cache sets.
	p.plane = (p.nt+t.nr-1)/t.nr*t.nr + p.wq + 1 + 16
	return p
}

// newWinoShape is the part of a plan that the packed kernels depend on:
// m rows of products of depth d with tile t.
func newWinoShape(m, d int, t tile) *winoPlan {
	p := &winoPlan{t: t, m: m, cin: d}
	p.rows = (m + t.mr - 1) / t.mr * t.mr
	// A cache line more than a whole matrix apart, so that the 16 values
	// written together for one kernel do not all fall in one L1 set.
	p.usize = p.rows*p.cin + 16
	return p
}

// packKernels returns U_ξ = G·g·Gᵀ for the 16 ξ, each packed as the left
// operand of a product (denseA's layout: depth blocks of kc, slivers of mr
// rows stored column by column), rows past m zero. The transform runs on
// vectors of rows, so that each ξ's values of a depth are stored as a run of
// mr floats.
func (p *winoPlan) packKernels(w []float32, flipped bool) []float32 {
	size, mr := p.usize, p.t.mr
	u := GetBuf(16 * size)
	// Kernel (r, d) is at w[r·rowStride + d·depthStride].
	rowStride, depthStride := p.cin*9, 9
	if flipped { // w is [depth × m × 3 × 3]
		rowStride, depthStride = 9, p.m*9
	}
	// Where each transformed value goes: for the flipped kernel, the value
	// at ξ of the unflipped one belongs at winoFlip[ξ].
	var offs [16]int
	for xi := range offs {
		at := xi
		if flipped {
			at = winoFlip[xi]
		}
		offs[xi] = at * size
	}
	ParallelFor(p.rows/mr, 1, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			lanes := min(mr, p.m-s*mr) // rows of the sliver that exist
			for pc := 0; pc < p.cin; pc += kc {
				kb := min(kc, p.cin-pc)
				winoKernels(kb, lanes, w[s*mr*rowStride+pc*depthStride:], rowStride, depthStride, u[pc*p.rows+s*mr*kb:], mr, &offs)
			}
		}
	})
	return u
}

// winoKernel sets t = G·k·Gᵀ for the 3×3 kernel k, with
// G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
func winoKernel(t *[16]float32, k *[9]float32) {
	var gk [12]float32 // G·k, 4×3
	for j := 0; j < 3; j++ {
		a, b, c := k[j], k[3+j], k[6+j]
		gk[j], gk[3+j], gk[6+j], gk[9+j] = a, 0.5*(a+b+c), 0.5*(a-b+c), c
	}
	for i := 0; i < 4; i++ {
		a, b, c := gk[3*i], gk[3*i+1], gk[3*i+2]
		t[4*i], t[4*i+1], t[4*i+2], t[4*i+3] = a, 0.5*(a+b+c), 0.5*(a-b+c), c
	}
}

// winoFlip maps ξ = 4i+j to the position holding, for the kernel flipped
// spatially, the same transformed value: G·reverse(v) is G·v with its first
// and last entries swapped.
var winoFlip = [16]int{15, 13, 14, 12, 7, 5, 6, 4, 11, 9, 10, 8, 3, 1, 2, 0}

// phases writes the four parity phases of the zero-padded image, phase
// (a, b) of channel c at ((2a+b)·cin + c)·plane: row yy, column xx holds
// padded pixel (2yy+a, 2xx+b); zeros follow the last row. An image row is
// split between both column phases at once (columnPhases).
func (p *winoPlan) phases(ph, img []float32) {
	g := p.g
	cp := newColumnPhases(g.W, g.PadW, p.wq)
	ParallelFor(2*p.cin, 4, func(lo, hi int) {
		for ac := lo; ac < hi; ac++ {
			a, c := ac/p.cin, ac%p.cin
			qe := ph[((2*a+cp.even)*p.cin+c)*p.plane:][:p.plane]
			qo := ph[((2*a+cp.odd)*p.cin+c)*p.plane:][:p.plane]
			src := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for yy := 0; yy <= p.th; yy++ {
				var row []float32
				if iy := 2*yy + a - g.PadH; iy >= 0 && iy < g.H {
					row = src[iy*g.W : (iy+1)*g.W]
				}
				cp.split(qe[yy*p.wq:(yy+1)*p.wq], qo[yy*p.wq:(yy+1)*p.wq], row)
			}
			clear(qe[(p.th+1)*p.wq:])
			clear(qo[(p.th+1)*p.wq:])
		}
	})
}

// winoRows lists, for each row i of Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0;
// 0 1 0 −1] (and so column i of B), its two nonzero entries: (pixel row,
// sign) twice.
var winoRows = [4][2]struct {
	r    int
	sign float32
}{
	{{0, 1}, {2, -1}},
	{{1, 1}, {2, 1}},
	{{2, 1}, {1, -1}},
	{{1, 1}, {3, -1}},
}
