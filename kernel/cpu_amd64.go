package kernel

import (
	"os"

	"golang.org/x/sys/cpu"
)

var (
	asmSupported = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	// hasAVX512 selects the 12×32 AVX-512 micro-kernel (sgemm512_amd64.s).
	hasAVX512 = asmSupported && cpu.X86.HasAVX512F && os.Getenv("I2I_NOAVX512") != "1"
)

// kern6x16 is the AVX2+FMA micro-kernel (sgemm_amd64.s): the same contract
// as microKernelGo, on pointers to the first elements.
//
//go:noescape
func kern6x16(k int, a, b, c *float32, ldc int)

// kern12x32 is the AVX-512 micro-kernel (sgemm512_amd64.s), 12×32 tile.
//
//go:noescape
func kern12x32(k int, a, b, c *float32, ldc int)

// kern12x32ind is kern12x32 reading row p of B in place at base+offs[p]
// (32 consecutive floats) instead of from a packed sliver.
//
//go:noescape
func kern12x32ind(k int, a *float32, offs *int64, base, c *float32, ldc int)

// transpose8x8 is the AVX 8×8 transpose (transpose_amd64.s):
// dst[j*ldd+i] = src[i*lds+j] for i, j < 8.
//
//go:noescape
func transpose8x8(dst *float32, ldd int, src *float32, lds int)

// kern12x32rows is kern12x32 reading row i of A in place, the k floats at
// base+offs[i], instead of from a packed sliver (convweight.go).
//
//go:noescape
func kern12x32rows(k int, base *float32, offs *int64, b, c *float32, ldc int)

// kern6x4dot is the AVX-512 dot-product kernel for weight gradients with
// few output channels (convdot.go): six runs of A against four rows of B,
// k a multiple of 16, sums left in 16 lanes each.
//
//go:noescape
func kern6x4dot(k int, base *float32, offs *int64, b *float32, ldb int, out *float32)

// kern3x64ind is the AVX-512 indirect-B kernel with a 3×64 tile, for
// convolutions with at most three output channels.
//
//go:noescape
func kern3x64ind(k int, a *float32, offs *int64, base, c *float32, ldc int)

// kern4x64ind is kern3x64ind with four rows, for the rows left after the
// 12-row tiles.
//
//go:noescape
func kern4x64ind(k int, a *float32, offs *int64, base, c *float32, ldc int)

// sum64asm returns Σ v[i] in float64 over the first n&^15 elements
// (reduce_amd64.s).
//
//go:noescape
func sum64asm(n int, v *float32) float64

// sqDev64asm returns Σ (v[i] − m)² in float64 over the first n&^15 elements.
//
//go:noescape
func sqDev64asm(n int, v *float32, m float64) float64

// sumDot64asm returns Σ g[i] and Σ g[i]·y[i] in float64 over the first n&^7
// elements, with masked only where y[i] > 0.
//
//go:noescape
func sumDot64asm(n int, gr, y *float32, masked bool) (float64, float64)

// adamAsm is AdamStep's loop over the first n&^7 elements (adam_amd64.s).
//
//go:noescape
func adamAsm(n int, d, gr, m, v *float32, k *AdamConsts)

// comb2asm is comb2's loop over the first n&^7 elements.
//
//go:noescape
func comb2asm(n int, dst, a, b *float32, sb float32)

// comb3asm is comb3's loop over the first n&^7 elements.
//
//go:noescape
func comb3asm(n int, dst, a, b, c *float32, sb, sc float32)

// interleaveAsm is interleave's loop over the first n&^7 pairs; add says
// beta is 1.
//
//go:noescape
func interleaveAsm(n int, dst, even, odd *float32, add bool)

// winoKernelsAsm is winoKernels for a whole sliver of mr = 4·chunks rows,
// four at a time, transposing each four kernels in registers
// (winograd_amd64.s); strides and offsets count floats.
//
//go:noescape
func winoKernelsAsm(nd int, src *float32, rowStride, depthStride int, dst *float32, mr int, offs *[16]int, chunks int)

// gatherColumnAsm is gatherColumn for nr a multiple of 8
// (winograd_amd64.s).
//
//go:noescape
func gatherColumnAsm(nch int, dst *float32, vstride int, src *float32, plane, wq int, offs *[4]int, signs *[2]float32, nr int)

// gatherAsm is gather for nr a multiple of 8 (winograd_amd64.s).
//
//go:noescape
func gatherAsm(nch int, dst, src *float32, plane int, offs *int, signs *float32, n, nr int)

// winoKernelGradsAsm is winoKernelGrads for n a multiple of 8
// (winograd_amd64.s).
//
//go:noescape
func winoKernelGradsAsm(n int, src *float32, size int, dst *float32, ldd int)

// deinterleaveAsm is deinterleave's loop over n pairs, n a multiple of 8
// (winograd_amd64.s).
//
//go:noescape
func deinterleaveAsm(n int, even, odd, src *float32)
