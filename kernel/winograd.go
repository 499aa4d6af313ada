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
// it goes through ξ = (i, j) column by column: for each sliver of tiles the
// four V_ξ of column j are built together, just before their four
// products; the column's products are then folded into the two row sums of
// Aᵀ·M, and those into the block's four outputs.
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
	return winograd && winoGeom(g) && g.C*m >= winoMinC*(g.C+m) && winoTiles(g) >= winoMinTiles
}

// winoGeom reports whether g is a 3×3, unit-stride, undilated convolution
// padded by at most 2 on each side, whose outputs F(2×2, 3×3) can compute.
func winoGeom(g *ConvGeom) bool {
	return g.KH == 3 && g.KW == 3 && g.StrideH == 1 && g.StrideW == 1 && g.DilH == 1 && g.DilW == 1 &&
		g.PadH <= 2 && g.PadW <= 2 && g.OutH == g.H+2*g.PadH-2 && g.OutW == g.W+2*g.PadW-2
}

// winoTiles is the number of 2×2 output tiles of g.
func winoTiles(g *ConvGeom) int { return (g.OutH + 1) / 2 * ((g.OutW + 1) / 2) }

// ConvWinograd computes C = beta·C + conv, like ConvGemm and
// ConvGemmFlipped, for a geometry that WinogradOK accepts, with the kernel
// w [cout × cin × 3 × 3]. With flipped false it is the forward convolution
// of img (g.C = cin) and C is [cout × OutH·OutW]; with flipped true the
// kernels are flipped spatially and transposed, g.C = cout, and C is
// [cin × OutH·OutW]: the input gradient of the forward convolution, as a
// convolution of the output gradient img. For a batch, NewWinoKernels
// transforms the kernels once.
func ConvWinograd(w []float32, cout, cin int, flipped bool, g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	k := NewWinoKernels(w, cout, cin, flipped)
	defer k.Release()
	k.Conv(g, img, beta, c, ldc)
}

// WinoKernels are a convolution's 16 transformed kernels U_ξ = G·g·Gᵀ,
// packed for ConvWinograd's products, to be used for every image of a
// batch.
type WinoKernels struct {
	shape *winoPlan // rows, depth and tile of the products
	u     []float32
}

// NewWinoKernels transforms the kernel w [cout × cin × 3 × 3] for the
// forward convolution, or with flipped for the input gradient (see
// ConvWinograd); Release hands the buffer back.
func NewWinoKernels(w []float32, cout, cin int, flipped bool) *WinoKernels {
	m, depth := cout, cin
	if flipped {
		m, depth = cin, cout
	}
	_ = w[cout*cin*9-1]
	k := &WinoKernels{shape: newWinoShape(m, depth, currentTile())}
	k.u = k.shape.packKernels(w, flipped)
	return k
}

// Release hands the transformed kernels back to the buffer pool.
func (k *WinoKernels) Release() {
	PutBuf(k.u)
	k.u = nil
}

// Conv computes C = beta·C + the convolution of img under g (which
// WinogradOK accepts, g.C the kernels' depth) by the kernels, as
// ConvWinograd does.
func (k *WinoKernels) Conv(g ConvGeom, img []float32, beta float32, c []float32, ldc int) {
	m := k.shape.m
	if k.u == nil || g.C != k.shape.cin || !winoGeom(&g) {
		panic("kernel: Winograd geometry and kernels disagree")
	}
	if beta != 0 && beta != 1 {
		scaleC(m, g.OutH*g.OutW, beta, c, ldc)
		beta = 1
	}
	p := newWinoPlan(g, m, k.shape.t)
	ph := GetBuf(4 * p.cin * p.plane)
	defer PutBuf(ph)
	p.phases(ph, img)

	slivers := (p.nt + p.t.nr - 1) / p.t.nr
	mr := p.t.mr
	ParallelFor(p.rows/mr, 1, func(lo, hi int) {
		ws := p.newWorkspace(lo*mr, (hi-lo)*mr)
		defer ws.release()
		for s0 := 0; s0 < slivers; s0 += p.bs {
			p.block(ws, k.u, ph, s0*p.t.nr, min(p.bs, slivers-s0), beta, c, ldc)
		}
	})
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

// product sets the worker's rows of M at column s·nr to U_ξ·V_ξ for one
// sliver of tiles (rows past m hold junk).
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
