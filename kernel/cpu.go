package kernel

import (
	"fmt"
	"os"
)

// UseAsm reports whether the assembly kernels are in use. It is true on
// amd64 CPUs with AVX2 and FMA unless I2I_NOASM=1 is set in the environment.
func UseAsm() bool { return useAsm }

// AsmSupported reports whether the assembly kernels may run: the CPU has
// them and I2I_NOASM=1 is not set.
func AsmSupported() bool { return asmAllowed }

// SetAsm turns the assembly kernels on or off (off is always possible; on
// only where the CPU supports them) and returns the previous setting. Tests
// use it to run both paths in one process.
func SetAsm(on bool) bool {
	old := useAsm
	useAsm = on && asmAllowed
	return old
}

var (
	asmAllowed = asmSupported && os.Getenv("I2I_NOASM") != "1"
	useAsm     = asmAllowed
)

// tile is a micro-kernel and the register tile it computes:
// C[0:mr, 0:nr] += A·B for a packed mr×k sliver of A and k×nr sliver of B.
type tile struct {
	mr, nr int
	kern   func(k int, a, b, c []float32, ldc int)
	// kernInd is the same kernel reading row p of B in place, at
	// base[offs[p]:offs[p]+nr] (indirect B, convindirect.go).
	kernInd func(k int, a []float32, offs []int64, base, c []float32, ldc int)
	// kernRows is the same kernel reading row i of A in place, at
	// base[offs[i]:offs[i]+k] (indirect A, convweight.go).
	kernRows func(k int, base []float32, offs []int64, b, c []float32, ldc int)
}

// currentTile picks the widest micro-kernel the CPU and settings allow.
func currentTile() tile {
	switch {
	case useAsm && hasAVX512:
		return tile{12, 32, func(k int, a, b, c []float32, ldc int) {
			_, _, _ = a[k*12-1], b[k*32-1], c[11*ldc+31]
			kern12x32(k, &a[0], &b[0], &c[0], ldc)
		}, func(k int, a []float32, offs []int64, base, c []float32, ldc int) {
			_, _, _ = a[k*12-1], offs[k-1], c[11*ldc+31]
			kern12x32ind(k, &a[0], &offs[0], &base[0], &c[0], ldc)
		}, func(k int, base []float32, offs []int64, b, c []float32, ldc int) {
			_, _, _ = offs[11], b[k*32-1], c[11*ldc+31]
			for _, o := range offs[:12] {
				_ = base[o+int64(k)-1]
			}
			kern12x32rows(k, &base[0], &offs[0], &b[0], &c[0], ldc)
		}}
	case useAsm:
		return tile{6, 16, func(k int, a, b, c []float32, ldc int) {
			_, _, _ = a[k*6-1], b[k*16-1], c[5*ldc+15]
			kern6x16(k, &a[0], &b[0], &c[0], ldc)
		}, nil, nil}
	}
	return tile{6, 16, microKernelGo, microKernelIndGo, microKernelRowsGo}
}

// rgbTile is the AVX-512 3×64 indirect-B tile for convolutions with at
// most three output channels (ConvGemm picks it; it has no packed kernel).
var rgbTile = tile{mr: 3, nr: 64, kernInd: func(k int, a []float32, offs []int64, base, c []float32, ldc int) {
	_, _, _ = a[k*3-1], offs[k-1], c[2*ldc+63]
	kern3x64ind(k, &a[0], &offs[0], &base[0], &c[0], ldc)
}}

// quadTile is the AVX-512 4×64 indirect-B tile for four rows left after the
// 12-row tiles.
var quadTile = tile{mr: 4, nr: 64, kernInd: func(k int, a []float32, offs []int64, base, c []float32, ldc int) {
	_, _, _ = a[k*4-1], offs[k-1], c[3*ldc+63]
	kern4x64ind(k, &a[0], &offs[0], &base[0], &c[0], ldc)
}}

// Describe names the micro-kernel in use, for reports.
func Describe() string {
	switch t := currentTile(); {
	case useAsm && hasAVX512:
		return "AVX-512 12x32"
	case useAsm:
		return "AVX2+FMA 6x16"
	default:
		return fmt.Sprintf("pure Go %dx%d", t.mr, t.nr)
	}
}
