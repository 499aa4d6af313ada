package kernel

// The portable 6×16 micro-kernels: C[0:6, 0:16] += A·B where A is a packed
// mr×k sliver and c has row stride ldc. They differ only in where row p of
// B lies.

const goMR, goNR = 6, 16

// microKernelGo reads row p of B from a packed k×nr sliver.
func microKernelGo(k int, a, b, c []float32, ldc int) {
	var acc [goMR * goNR]float32
	a, b = a[:k*goMR], b[:k*goNR]
	for p := 0; p < k; p++ {
		rank1(&acc, (*[goMR]float32)(a[p*goMR:]), (*[goNR]float32)(b[p*goNR:]))
	}
	addTileGo(&acc, c, ldc)
}

// microKernelIndGo reads row p of B in place at base[offs[p]:offs[p]+16].
func microKernelIndGo(k int, a []float32, offs []int64, base, c []float32, ldc int) {
	var acc [goMR * goNR]float32
	a = a[:k*goMR]
	for p := 0; p < k; p++ {
		rank1(&acc, (*[goMR]float32)(a[p*goMR:]), (*[goNR]float32)(base[offs[p]:]))
	}
	addTileGo(&acc, c, ldc)
}

// microKernelRowsGo reads row i of A in place at base[offs[i]:offs[i]+k]
// and row p of B from a packed k×nr sliver.
func microKernelRowsGo(k int, base []float32, offs []int64, b, c []float32, ldc int) {
	var acc [goMR * goNR]float32
	var rows [goMR][]float32
	for i := range rows {
		rows[i] = base[offs[i] : offs[i]+int64(k)]
	}
	b = b[:k*goNR]
	var col [goMR]float32
	for p := 0; p < k; p++ {
		for i := range col {
			col[i] = rows[i][p]
		}
		rank1(&acc, &col, (*[goNR]float32)(b[p*goNR:]))
	}
	addTileGo(&acc, c, ldc)
}

// rank1 adds the outer product of a column of A and a row of B to acc.
func rank1(acc *[goMR * goNR]float32, ap *[goMR]float32, bp *[goNR]float32) {
	for i := 0; i < goMR; i++ {
		ai := ap[i]
		row := (*[goNR]float32)(acc[i*goNR:])
		for j := 0; j < goNR; j++ {
			row[j] += ai * bp[j]
		}
	}
}

// addTileGo adds the accumulated tile to C.
func addTileGo(acc *[goMR * goNR]float32, c []float32, ldc int) {
	for i := 0; i < goMR; i++ {
		crow := c[i*ldc : i*ldc+goNR]
		for j := range crow {
			crow[j] += acc[i*goNR+j]
		}
	}
}
