package kernel

// The weight gradient through Winograd's F(2×2, 3×3) (winograd.go). The
// forward pass is Y = Aᵀ [U ⊙ V] A per tile with U = G·g·Gᵀ, so
//
//	dU_ξ = Σ over tiles of dM_ξ · V_ξ,   dM = A·dY·Aᵀ,   dg = Gᵀ·dU·G:
//
// 16 products [C_in × tiles]·[tiles × C_out]: 16 multiplications per tile
// and channel pair, where the direct gradient has 36 (4 outputs × 9 taps).
// V_ξ is the forward's input transform; dM_ξ, the output gradient's 2×2
// blocks spread over the 4×4 tile, is built straight into packed slivers of
// nr output channels from a transposed copy of dY.
//
// Work. The workers split the tiles and each accumulates its own dU for
// all 16 ξ, C_in × C_out each; the two are added when dg is formed. A
// worker goes through its tiles a block of winoGradBlock at a time and,
// for each ξ, reads V_ξ's rows in place (indirect A) against dM_ξ's
// slivers.

// winoGradBlock is the tiles of one block of the weight gradient: V_ξ
// (C_in × block) and dM_ξ (C_out × block) stay in L2 with a share of dU_ξ.
const winoGradBlock = 256

// WinogradGradOK reports whether ConvWinogradGrad serves the weight
// gradient of a convolution with geometry g and m output channels: where
// the forward pass may use Winograd, the tiles are many enough and the
// micro-kernel can read A in place.
func WinogradGradOK(g *ConvGeom, m int) bool {
	return WinogradOK(g, m) && winoTiles(g) >= winoGradMinTiles && currentTile().kernRows != nil
}

// ConvWinogradGrad sets gw = beta·gw + the weight gradient of the
// convolution of img under g (a geometry WinogradGradOK accepts) with
// output gradient gy [m × OutH·OutW]: gw is [m × g.C × 3 × 3], as
// ConvGemmT(false, m, 1, gy, OutH·OutW, g, img, beta, gw, g.C·9) computes
// it.
func ConvWinogradGrad(gy []float32, m int, g ConvGeom, img []float32, beta float32, gw []float32) {
	if !winoGeom(&g) {
		panic("kernel: ConvWinogradGrad geometry is not 3×3, unit stride")
	}
	t := currentTile()
	if t.kernRows == nil {
		panic("kernel: ConvWinogradGrad needs a micro-kernel reading A in place")
	}
	p := newWinoPlan(g, g.C, t) // products of C_in rows
	q := winoGrad{winoPlan: p, cout: m, ncols: (m + t.nr - 1) / t.nr * t.nr}
	_ = gy[m*g.OutH*g.OutW-1]
	_ = gw[m*g.C*9-1]

	q.phase = GetBuf(4 * p.cin * p.plane)
	defer PutBuf(q.phase)
	p.phases(q.phase, img)
	q.dyt = GetBuf(q.dytLen())
	defer PutBuf(q.dyt)
	q.transposeGrad(gy)

	// One dU per worker, 16 × rows × ncols each.
	size := p.rows * q.ncols
	parts := min(workers, (p.nt+winoGradBlock-1)/winoGradBlock)
	du := GetBuf(parts * 16 * size)
	defer PutBuf(du)
	// Whole vectors of tiles each, so that only the last block of all
	// reads tiles past its range (which hold zeros of dY).
	chunk := ((p.nt+parts-1)/parts + 7) &^ 7
	ParallelFor(parts, 1, func(lo, hi int) {
		for w := lo; w < hi; w++ {
			q.accumulate(du[w*16*size:(w+1)*16*size], w*chunk, min(p.nt, (w+1)*chunk))
		}
	})
	q.kernelGrad(du, parts, beta, gw)
}

// winoGrad is the plan of one ConvWinogradGrad call.
type winoGrad struct {
	*winoPlan
	cout  int
	ncols int       // output channels rounded up to whole slivers
	phase []float32 // the input's parity phases (winoPlan.phases)
	// dyt is the output gradient transposed and split by row parity:
	// pixel (2ty+a, x), channel co at ((a·thd + ty)·2wq + x)·ncols + co,
	// zero past the image and past cout.
	dyt []float32
}

// thd is the rows of a parity phase of dyt: the tile rows and enough zero
// rows for the 16 tiles that a block may read past the last.
func (q *winoGrad) thd() int { return q.th + 1 + (16+q.wq-1)/q.wq }

func (q *winoGrad) dytLen() int { return 2 * q.thd() * 2 * q.wq * q.ncols }

// transposeGrad fills dyt from gy [cout × OutH·OutW].
func (q *winoGrad) transposeGrad(gy []float32) {
	g := q.g
	clear(q.dyt)
	hw := g.OutH * g.OutW
	ParallelFor(g.OutH, 2, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			at := ((y%2*q.thd() + y/2) * 2 * q.wq) * q.ncols
			Transpose(q.dyt[at:], q.ncols, gy[y*g.OutW:], hw, q.cout, g.OutW)
		}
	})
}

// accumulate sets du (16 × rows × ncols) to Σ over tiles [k0, k1) of
// dM_ξ·V_ξ, transposed: du[ξ][ci][co].
func (q *winoGrad) accumulate(du []float32, k0, k1 int) {
	clear(du)
	t := q.t
	mr, nr := t.mr, t.nr
	size := q.rows * q.ncols
	// The last block's tile count is rounded up to whole vectors: the
	// extra tiles lie past the image, read zeros of dY and add nothing.
	v := GetBuf(q.rows * (winoGradBlock + 8))
	defer PutBuf(v)
	b := GetBuf(q.ncols * (winoGradBlock + 8))
	defer PutBuf(b)
	var offs [12]int64
	for kb0 := k0; kb0 < k1; kb0 += winoGradBlock {
		kb := (min(winoGradBlock, k1-kb0) + 7) &^ 7
		for xi := 0; xi < 16; xi++ {
			i, j := xi/4, xi%4
			q.transformInputRows(v, kb0, kb, i, j)
			q.transformGrad(b, kb0, kb, i, j)
			c := du[xi*size:]
			for jr := 0; jr < q.ncols; jr += nr {
				bs := b[jr*kb:]
				for ir := 0; ir < q.rows; ir += mr {
					// Rows past C_in read row 0 and are thrown away.
					for r := range offs[:mr] {
						offs[r] = 0
						if ir+r < q.cin {
							offs[r] = int64((ir + r) * kb)
						}
					}
					t.kernRows(kb, v, offs[:mr], bs, c[ir*q.ncols+jr:], q.ncols)
				}
			}
		}
	}
}

// transformInputRows writes V_ξ, ξ = (i, j), of the kb tiles at tile k0
// into v as C_in rows of kb floats.
func (q *winoGrad) transformInputRows(v []float32, k0, kb, i, j int) {
	var offs [4]int
	var signs [4]float32
	n := 0
	for _, rr := range winoRows[i] {
		for _, ss := range winoRows[j] {
			offs[n] = ((rr.r%2)*2+ss.r%2)*q.cin*q.plane + rr.r/2*q.wq + ss.r/2
			signs[n] = rr.sign * ss.sign
			n++
		}
	}
	gather(q.cin, v, q.phase[k0:], q.plane, offs[:], signs[:], kb)
}

// winoGradRows lists, for each row i of A = [1 0; 1 1; 1 −1; 0 −1], its
// nonzero entries: (column, sign).
var winoGradRows = [4][]struct {
	a    int
	sign float32
}{
	{{0, 1}},
	{{0, 1}, {1, 1}},
	{{0, 1}, {1, -1}},
	{{1, -1}},
}

// transformGrad writes dM_ξ = (A·dY·Aᵀ)_ξ of the kb tiles at tile k0 into
// b as packed slivers of nr output channels (sliver s, tile k at
// (s·kb + k)·nr).
func (q *winoGrad) transformGrad(b []float32, k0, kb, i, j int) {
	var offs [4]int
	var signs [4]float32
	n := 0
	rowPhase := q.thd() * 2 * q.wq * q.ncols
	for _, ra := range winoGradRows[i] {
		for _, cb := range winoGradRows[j] {
			offs[n] = ra.a*rowPhase + cb.a*q.ncols
			signs[n] = ra.sign * cb.sign
			n++
		}
	}
	nr := q.t.nr
	for s := 0; s < q.ncols/nr; s++ {
		// Tile k's pixels lie 2·ncols floats after tile k−1's.
		gather(kb, b[s*kb*nr:(s+1)*kb*nr], q.dyt[2*k0*q.ncols+s*nr:], 2*q.ncols, offs[:n], signs[:n], nr)
	}
}

// kernelGrad sets gw = beta·gw + Gᵀ·dU·G, dU the sum of the parts (added
// into the first). The transform runs along dU's rows (vectors of output
// channels) into kt[(ci·9 + tap)·ncols + co], which is then transposed into
// gw.
func (q *winoGrad) kernelGrad(du []float32, parts int, beta float32, gw []float32) {
	size := q.rows * q.ncols
	n := 16 * size
	for w := 1; w < parts; w++ {
		ParallelFor((n+4095)/4096, 1, func(lo, hi int) {
			a, b := lo*4096, min(hi*4096, n)
			comb2(du[a:b], du[a:b], du[w*n+a:w*n+b], 1)
		})
	}
	kt := GetBuf(q.cin * 9 * q.ncols)
	defer PutBuf(kt)
	ParallelFor(q.cin, 4, func(lo, hi int) {
		for ci := lo; ci < hi; ci++ {
			winoKernelGrads(q.ncols, du[ci*q.ncols:], size, kt[ci*9*q.ncols:], q.ncols)
		}
	})
	rows := q.cin * 9
	ParallelFor((rows+63)/64, 1, func(lo, hi int) {
		r0, r1 := lo*64, min(hi*64, rows)
		if beta == 0 {
			Transpose(gw[r0:], rows, kt[r0*q.ncols:], q.ncols, r1-r0, q.cout)
			return
		}
		tr := GetBuf(64 * q.cout)
		defer PutBuf(tr)
		for b0 := r0; b0 < r1; b0 += 64 {
			rn := min(64, r1-b0)
			Transpose(tr, rn, kt[b0*q.ncols:], q.ncols, rn, q.cout)
			for co := 0; co < q.cout; co++ {
				row := gw[co*rows+b0 : co*rows+b0+rn]
				for r, v := range tr[co*rn : (co+1)*rn] {
					row[r] = beta*row[r] + v
				}
			}
		}
	})
}

// winoKernelGrad sets k = Gᵀ·u·G for the 4×4 u, the adjoint of winoKernel,
// with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
func winoKernelGrad(k *[9]float32, u *[16]float32) {
	var gu [12]float32 // Gᵀ·u, 3×4
	for j := 0; j < 4; j++ {
		a, b, c, d := u[j], u[4+j], u[8+j], u[12+j]
		gu[j], gu[4+j], gu[8+j] = a+0.5*(b+c), 0.5*(b-c), 0.5*(b+c)+d
	}
	for r := 0; r < 3; r++ {
		a, b, c, d := gu[4*r], gu[4*r+1], gu[4*r+2], gu[4*r+3]
		k[3*r], k[3*r+1], k[3*r+2] = a+0.5*(b+c), 0.5*(b-c), 0.5*(b+c)+d
	}
}
