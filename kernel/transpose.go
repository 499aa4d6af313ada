package kernel

// Transpose writes the rows×cols matrix src (row stride lds) transposed into
// dst (row stride ldd): dst[j*ldd+i] = src[i*lds+j]. Whole 8×8 blocks go
// through the AVX kernel when the assembly kernels are in use.
func Transpose(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	_, _ = dst[(cols-1)*ldd+rows-1], src[(rows-1)*lds+cols-1]
	r8, c8 := 0, 0
	if useAsm {
		r8, c8 = rows&^7, cols&^7
		for i := 0; i < r8; i += 8 {
			for j := 0; j < c8; j += 8 {
				transpose8x8(&dst[j*ldd+i], ldd, &src[i*lds+j], lds)
			}
		}
	}
	// What the blocks did not cover: the right-hand columns of the block
	// rows, then the bottom rows.
	for i := 0; i < r8; i++ {
		for j := c8; j < cols; j++ {
			dst[j*ldd+i] = src[i*lds+j]
		}
	}
	for i := r8; i < rows; i++ {
		row := src[i*lds : i*lds+cols]
		for j, v := range row {
			dst[j*ldd+i] = v
		}
	}
}
