package kernel

import "os"

// Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms
// for Convolutional Neural Networks", CVPR 2016) for 3×3 unit-stride
// convolutions with many channels. Each 2×2 block of outputs comes from a
// 4×4 tile d of the padded input as
//
//	Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
//
// so the convolution becomes 16 matrix products, one per position ξ of the
// transformed tile: M_ξ = U_ξ·V_ξ, with U_ξ [M × C] the transformed kernels
// and V_ξ [C × tiles] the transformed input. That is 16 multiplications per
// 4 outputs instead of 36. The transforms' factors (±1, ½) are exact, so
// the result differs from the direct sum by rounding only.
//
// Layout. The zero-padded input is split into its four (row, column) parity
// phases, so that a sliver of nr consecutive tiles reads runs of
// consecutive floats: tiles are counted along rows of tw+1, the last tile
// of a row being junk (computed and dropped), and tile k reads its pixel
// (r, s) from phase (r mod 2, s mod 2) at k + (r div 2)·(tw+1) + s div 2.
//
// Work and blocking. The workers split the output channels (whole register
// tiles of them) and each goes through all tiles, a block at a time: an L2
// cache of 2 MB cannot hold the 16 V_ξ and M_ξ of many tiles. For a block
// it goes through ξ = (i, j) column by column (j outer, i inner): V_ξ is
// built just before its product, the four products of a column are folded
// into the two row sums of Aᵀ·M, and those into the block's four outputs.
// Only the worker's share of U (4 MB in all for 256 channels in and out)
// streams from L3, once per block; blocks are as large as winoL2Bytes of
// buffers allow.

// Bounds on the convolutions worth transforming. Per tile the products
// save work in proportion to C·M and the transforms cost in proportion to
// C + M, so C·M/(C + M) must reach winoMinC (128 channels in and out do,
// 64 do not); the weight gradient, whose transforms are dearer, also needs
// winoGradMinTiles. Measured on a 2-core AVX-512 machine: 128→128 on 32²
// runs 1.27× faster forward, 64→64 on 64² 0.96×, and the weight gradient
// of 256→256 on 16² (64 tiles) 0.68×.
const (
	winoMinC         = 64
	winoMinTiles     = 64
	winoGradMinTiles = 256
	// winoL2Bytes bounds a worker's buffers for one block (V_ξ, four M_ξ,
	// four outputs).
	winoL2Bytes = 768 << 10
)

// winograd is whether WinogradOK may say yes (SetWinograd; I2I_NOWINOGRAD=1
// turns it off for direct sums throughout).
var winograd = os.Getenv("I2I_NOWINOGRAD") != "1"

// SetWinograd turns the Winograd path for 3×3 convolutions on or off and
// returns the previous setting. Off, every convolution sums its taps
// directly, as PyTorch's CPU path does.
func SetWinograd(on bool) bool {
	old := winograd
	winograd = on
	return old
}

// WinogradOK reports whether ConvWinograd serves geometry g (3×3, unit
// stride, undilated, "valid or same" padding of at most 2) with m output
// channels, and whether it is worth it there.
func WinogradOK(g *ConvGeom, m int) bool {
	return winograd && g.KH == 3 && g.KW == 3 && g.StrideH == 1 && g.StrideW == 1 && g.DilH == 1 && g.DilW == 1 &&
		g.PadH <= 2 && g.PadW <= 2 && g.OutH == g.H+2*g.PadH-2 && g.OutW == g.W+2*g.PadW-2 &&
		g.C*m >= winoMinC*(g.C+m) && winoTiles(g) >= winoMinTiles
}

// winoTiles is the number of 2×2 output tiles of g.
func winoTiles(g *ConvGeom) int { return (g.OutH + 1) / 2 * ((g.OutW + 1) / 2) }

// ConvWinograd computes C = beta·C + conv, like ConvGemm and
// ConvGemmFlipped, for a geometry that WinogradOK accepts, with the kernel
// w [cout × cin × 3 × 3]. With flipped false it is the forward convolution
// of img (g.C = cin) and C is [cout × OutH·OutW]; with flipped true the
// kernels are flipped spatially and transposed, g.C = cout, and C is
// [cin × OutH·OutW]: the input gradient of the forward convolution, as a
// convolution of the output gradient img.
func ConvWinograd(w []float32, cout, cin int, flipped bool, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	m, depth := cout, cin
	if flipped {
		m, depth = cin, cout
	}
	if g.C != depth || g.KH != 3 || g.KW != 3 || g.StrideH != 1 || g.StrideW != 1 || g.DilH != 1 || g.DilW != 1 ||
		g.PadH > 2 || g.PadW > 2 || g.OutH != g.H+2*g.PadH-2 || g.OutW != g.W+2*g.PadW-2 || len(w) < cout*cin*9 {
		panic("kernel: ConvWinograd geometry and kernel disagree")
	}
	if beta != 0 && beta != 1 {
		scaleC(m, g.OutH*g.OutW, beta, c, ldc)
		beta = 1
	}
	p := newWinoPlan(g, m, currentTile())
	u := p.packKernels(w, flipped)
	defer PutBuf(u)
	ph := GetBuf(4 * p.cin * p.plane)
	defer PutBuf(ph)
	p.phases(ph, img)

	slivers := (p.nt + p.t.nr - 1) / p.t.nr
	mr := p.t.mr
	ParallelFor(p.rows/mr, 1, func(lo, hi int) {
		ws := p.newWorkspace(lo*mr, (hi-lo)*mr)
		defer ws.release()
		for s0 := 0; s0 < slivers; s0 += p.bs {
			p.block(ws, u, ph, s0*p.t.nr, min(p.bs, slivers-s0), beta, c, ldc)
		}
	})
}

// winoPlan is the tiling of one ConvWinograd call.
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
	p := &winoPlan{g: g, t: t, m: m, cin: g.C, th: (g.OutH + 1) / 2, tw: (g.OutW + 1) / 2}
	p.rows = (m + t.mr - 1) / t.mr * t.mr
	// A cache line more than a whole matrix apart, so that the 16 values
	// written together for one kernel do not all fall in one L1 set.
	p.usize = p.rows*p.cin + 16
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

// packKernels returns U_ξ = G·g·Gᵀ for the 16 ξ, each packed as the left
// operand of a product (denseA's layout: depth blocks of kc, slivers of mr
// rows stored column by column), rows past m zero. The kernels are first
// transposed so that the rows of a sliver lie side by side, which lets the
// transform run on vectors of rows and store runs of mr floats.
func (p *winoPlan) packKernels(w []float32, flipped bool) []float32 {
	size, mr, rows := p.usize, p.t.mr, p.rows
	u := GetBuf(16 * size)
	// wt[(d·9 + tap)·rows + r]: kernel tap of row r at depth d.
	wt := GetBuf(p.cin * 9 * rows)
	defer PutBuf(wt)
	if flipped { // w is [depth × m × 3 × 3]
		ParallelFor(p.cin, 4, func(lo, hi int) {
			for d := lo; d < hi; d++ {
				Transpose(wt[d*9*rows:], rows, w[d*p.m*9:], 9, p.m, 9)
			}
		})
	} else { // w is [m × depth × 3 × 3]: columns go to the workers in eights
		cols := p.cin * 9
		ParallelFor((cols+7)/8, 4, func(lo, hi int) {
			j0, j1 := lo*8, min(hi*8, cols)
			Transpose(wt[j0*rows:], rows, w[j0:], cols, p.m, j1-j0)
		})
	}
	if rows > p.m {
		for q := 0; q < p.cin*9; q++ {
			clear(wt[q*rows+p.m : (q+1)*rows])
		}
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
	ParallelFor(rows/mr, 1, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			for pc := 0; pc < p.cin; pc += kc {
				kb := min(kc, p.cin-pc)
				winoKernels(kb, wt[pc*9*rows+s*mr:], rows, u[pc*rows+s*mr*kb:], mr, &offs)
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
// split into its even and odd pixels once, for both column phases.
func (p *winoPlan) phases(ph, img []float32) {
	g := p.g
	// Column phase b holds pixel 2xx + b − PadW: the even pixels go to the
	// phase where b − PadW is even, shifted right by one where it is −2,
	// and the odd pixels to the other, shifted where it is −1.
	bEven, bOdd := g.PadW%2, 1-g.PadW%2
	shiftEven, shiftOdd := (g.PadW-bEven)/2, (g.PadW-bOdd+1)/2
	nEven := min((g.W+1)/2, p.wq-shiftEven)
	nOdd := min(g.W/2, p.wq-shiftOdd)
	ParallelFor(2*p.cin, 4, func(lo, hi int) {
		for ac := lo; ac < hi; ac++ {
			a, c := ac/p.cin, ac%p.cin
			qe := ph[((2*a+bEven)*p.cin+c)*p.plane:][:p.plane]
			qo := ph[((2*a+bOdd)*p.cin+c)*p.plane:][:p.plane]
			src := img[c*g.H*g.W : (c+1)*g.H*g.W]
			for yy := 0; yy <= p.th; yy++ {
				de := qe[yy*p.wq : (yy+1)*p.wq]
				do := qo[yy*p.wq : (yy+1)*p.wq]
				iy := 2*yy + a - g.PadH
				if iy < 0 || iy >= g.H {
					clear(de)
					clear(do)
					continue
				}
				clear(de[:shiftEven])
				clear(do[:shiftOdd])
				deinterleave(de[shiftEven:shiftEven+nEven], do[shiftOdd:shiftOdd+nOdd], src[iy*g.W:(iy+1)*g.W])
				clear(de[shiftEven+nEven:])
				clear(do[shiftOdd+nOdd:])
			}
			clear(qe[(p.th+1)*p.wq:])
			clear(qo[(p.th+1)*p.wq:])
		}
	})
}

// winoRows lists, for each row i of Bᵀ (and so column i of B) = [1 0 −1 0; 0 1 1 0; 0 −1 1 0;
// 0 1 0 −1], its two nonzero entries: (pixel row, sign) twice.
var winoRows = [4][2]struct {
	r    int
	sign float32
}{
	{{0, 1}, {2, -1}},
	{{1, 1}, {2, 1}},
	{{2, 1}, {1, -1}},
	{{1, 1}, {3, -1}},
}

// winoWorkspace is one worker's rows [r0, r0+nrows) of the output and its
// buffers: the four V_ξ of a column for one sliver of tiles (packed), the
// four M_ξ of a column and the block's four outputs (y00, y01, y10, y11),
// each nrows × ldm.
type winoWorkspace struct {
	r0, nrows int
	buf       []float32
	v         []float32
	m         [4][]float32
	y         [4][]float32
}

func (p *winoPlan) newWorkspace(r0, nrows int) *winoWorkspace {
	n := nrows * p.ldm
	nv := 4 * p.cin * p.t.nr
	ws := &winoWorkspace{r0: r0, nrows: nrows, buf: GetBuf(nv + 8*n)}
	ws.v = ws.buf[:nv]
	for i := range 4 {
		ws.m[i] = ws.buf[nv+i*n : nv+(i+1)*n]
		ws.y[i] = ws.buf[nv+(4+i)*n : nv+(5+i)*n]
	}
	return ws
}

func (ws *winoWorkspace) release() { PutBuf(ws.buf) }

// block computes the worker's outputs for the ns slivers of tiles
// starting at tile k0 into C.
func (p *winoPlan) block(ws *winoWorkspace, u, ph []float32, k0, ns int, beta float32, c []float32, ldc int) {
	live := min(p.m-ws.r0, ws.nrows)
	n := live * p.ldm // the live part of a buffer
	y := ws.y
	vs := p.cin * p.t.nr
	for j := 0; j < 4; j++ {
		for s := 0; s < ns; s++ {
			p.transformColumn(ws.v, ph, k0+s*p.t.nr, j)
			for i := 0; i < 4; i++ {
				p.product(ws, ws.m[i], u[(4*i+j)*p.usize:], ws.v[i*vs:(i+1)*vs], s)
			}
		}
		// Rows of Aᵀ = [1 1 1 0; 0 1 −1 −1] applied to the column:
		// T0 = M0j + M1j + M2j and T1 = M1j − M2j − M3j, then added to the
		// outputs with column j of A.
		m := ws.m
		if j == 0 {
			comb3(y[0][:n], m[0], m[1], m[2], 1, 1)
			comb3(y[2][:n], m[1], m[2], m[3], -1, -1)
			continue
		}
		comb3(m[0][:n], m[0], m[1], m[2], 1, 1)
		comb3(m[3][:n], m[1], m[2], m[3], -1, -1)
		switch j {
		case 1:
			comb2(y[0][:n], y[0], m[0], 1)
			comb2(y[2][:n], y[2], m[3], 1)
			// y01 = T0 and y11 = T1: take the buffers over.
			y[1], m[0] = m[0], y[1]
			y[3], m[3] = m[3], y[3]
			ws.m = m
			ws.y = y
		case 2:
			comb2(y[0][:n], y[0], m[0], 1)
			comb2(y[1][:n], y[1], m[0], -1)
			comb2(y[2][:n], y[2], m[3], 1)
			comb2(y[3][:n], y[3], m[3], -1)
		case 3:
			comb2(y[1][:n], y[1], m[0], -1)
			comb2(y[3][:n], y[3], m[3], -1)
		}
	}
	p.writeOutputs(y, ws.r0, live, k0, ns*p.t.nr, beta, c, ldc)
}

// transformColumn writes V_ξ for ξ = (0, j) … (3, j) of the sliver of
// tiles at tile k, V_ij at v[i·cin·nr:], channel d at d·nr: the column
// combination (column j of B) of each of the four pixel rows, then the row
// combinations of Bᵀ.
func (p *winoPlan) transformColumn(v, ph []float32, k, j int) {
	a, b := winoRows[j][0], winoRows[j][1]
	var offs [4]int
	for q, s := range [2]int{a.r, b.r} {
		offs[q] = s%2*p.cin*p.plane + s/2
		offs[2+q] = (2+s%2)*p.cin*p.plane + s/2
	}
	signs := [2]float32{a.sign, b.sign}
	gatherColumn(p.cin, v, p.cin*p.t.nr, ph[k:], p.plane, p.wq, &offs, &signs, p.t.nr)
}

// product adds the worker's rows of U_ξ·V_ξ for one sliver of tiles into
// M at column s·nr, after clearing them (rows past m hold junk).
func (p *winoPlan) product(ws *winoWorkspace, m, u, v []float32, s int) {
	t := p.t
	mr, nr := t.mr, t.nr
	for i := 0; i < ws.nrows; i++ {
		clear(m[i*p.ldm+s*nr : i*p.ldm+(s+1)*nr])
	}
	for pc := 0; pc < p.cin; pc += kc {
		kb := min(kc, p.cin-pc)
		ua := u[pc*p.rows+ws.r0*kb:]
		vb := v[pc*nr:]
		for ir := 0; ir < ws.nrows; ir += mr {
			t.kern(kb, ua[ir*kb:], vb, m[ir*p.ldm+s*nr:], p.ldm)
		}
	}
}

// writeOutputs sets rows [r0, r0+live) of C = beta·C + Y for the nk tiles
// of the block at tile k0, skipping junk tiles and outputs past the image's
// edge.
func (p *winoPlan) writeOutputs(y [4][]float32, r0, live, k0, nk int, beta float32, c []float32, ldc int) {
	g := p.g
	for kk := 0; kk < nk; {
		ty, tx := (k0+kk)/p.wq, (k0+kk)%p.wq
		if ty >= p.th {
			break
		}
		run := min(p.wq-tx, nk-kk)
		if x1 := min(tx+run, p.tw); tx < x1 {
			full := x1 - tx
			if g.OutW%2 == 1 && x1 == p.tw {
				full-- // the last tile has no right column
			}
			for co := r0; co < r0+live; co++ {
				at := (co-r0)*p.ldm + kk
				for a := 0; a < 2 && 2*ty+a < g.OutH; a++ {
					row := c[co*ldc+(2*ty+a)*g.OutW+2*tx : co*ldc+(2*ty+a+1)*g.OutW]
					even, odd := y[2*a][at:at+x1-tx], y[2*a+1][at:at+x1-tx]
					interleave(row[:2*full], even[:full], odd[:full], beta)
					if full < x1-tx {
						put(row, 2*full, beta, even[full])
					}
				}
			}
		}
		kk += run
	}
}

// put sets c[i] = beta·c[i] + v, not reading c[i] when beta is 0.
func put(c []float32, i int, beta, v float32) {
	if beta == 0 {
		c[i] = v
		return
	}
	c[i] = beta*c[i] + v
}
