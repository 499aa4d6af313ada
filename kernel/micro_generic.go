package kernel

// microKernelGo is the portable 6×16 micro-kernel: C[0:6, 0:16] += A·B where A is
// a packed mr×k sliver and B a packed k×nr sliver; c has row stride ldc.
func microKernelGo(k int, a, b, c []float32, ldc int) {
	const mr, nr = 6, 16
	var acc [mr * nr]float32
	a = a[:k*mr]
	b = b[:k*nr]
	for p := 0; p < k; p++ {
		bp := (*[nr]float32)(b[p*nr:])
		ap := (*[mr]float32)(a[p*mr:])
		for i := 0; i < mr; i++ {
			ai := ap[i]
			row := (*[nr]float32)(acc[i*nr:])
			for j := 0; j < nr; j++ {
				row[j] += ai * bp[j]
			}
		}
	}
	for i := 0; i < mr; i++ {
		crow := c[i*ldc : i*ldc+nr]
		for j := range crow {
			crow[j] += acc[i*nr+j]
		}
	}
}

// microKernelIndGo is microKernelGo reading row p of B in place at
// base[offs[p]:offs[p]+16].
func microKernelIndGo(k int, a []float32, offs []int64, base, c []float32, ldc int) {
	const mr, nr = 6, 16
	var acc [mr * nr]float32
	a = a[:k*mr]
	for p := 0; p < k; p++ {
		bp := (*[nr]float32)(base[offs[p]:])
		ap := (*[mr]float32)(a[p*mr:])
		for i := 0; i < mr; i++ {
			ai := ap[i]
			row := (*[nr]float32)(acc[i*nr:])
			for j := 0; j < nr; j++ {
				row[j] += ai * bp[j]
			}
		}
	}
	for i := 0; i < mr; i++ {
		crow := c[i*ldc : i*ldc+nr]
		for j := range crow {
			crow[j] += acc[i*nr+j]
		}
	}
}
