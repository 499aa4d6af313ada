//go:build !amd64

package kernel

const asmSupported = false

var hasAVX512 = false

func kern6x16(k int, a, b, c *float32, ldc int) { panic("kernel: no assembly on this architecture") }

func kern12x32(k int, a, b, c *float32, ldc int) { panic("kernel: no assembly on this architecture") }

func transpose8x8(dst *float32, ldd int, src *float32, lds int) {
	panic("kernel: no assembly on this architecture")
}

func kern12x32ind(k int, a *float32, offs *int64, base, c *float32, ldc int) {
	panic("kernel: no assembly on this architecture")
}

func kern12x32rows(k int, base *float32, offs *int64, b, c *float32, ldc int) {
	panic("kernel: no assembly on this architecture")
}

func kern6x4dot(k int, base *float32, offs *int64, b *float32, ldb int, out *float32) {
	panic("kernel: no assembly on this architecture")
}

func kern3x64ind(k int, a *float32, offs *int64, base, c *float32, ldc int) {
	panic("kernel: no assembly on this architecture")
}

func kern4x64ind(k int, a *float32, offs *int64, base, c *float32, ldc int) {
	panic("kernel: no assembly on this architecture")
}

func sum64asm(n int, v *float32) float64 { panic("kernel: no assembly on this architecture") }

func sqDev64asm(n int, v *float32, m float64) float64 {
	panic("kernel: no assembly on this architecture")
}

func sumDot64asm(n int, gr, y *float32, masked bool) (float64, float64) {
	panic("kernel: no assembly on this architecture")
}

func adamAsm(n int, d, gr, m, v *float32, k *AdamConsts) {
	panic("kernel: no assembly on this architecture")
}

func comb2asm(n int, dst, a, b *float32, sb float32) {
	panic("kernel: no assembly on this architecture")
}

func comb3asm(n int, dst, a, b, c *float32, sb, sc float32) {
	panic("kernel: no assembly on this architecture")
}

func interleaveAsm(n int, dst, even, odd *float32, add bool) {
	panic("kernel: no assembly on this architecture")
}

func winoKernelsAsm(nd int, src *float32, rowStride, depthStride int, dst *float32, mr int, offs *[16]int, chunks int) {
	panic("kernel: no assembly on this architecture")
}

func gatherColumnAsm(nch int, dst *float32, vstride int, src *float32, plane, wq int, offs *[4]int, signs *[2]float32, nr int) {
	panic("kernel: no assembly on this architecture")
}

func gatherAsm(nch int, dst, src *float32, plane int, offs *int, signs *float32, n, nr int) {
	panic("kernel: no assembly on this architecture")
}

func winoKernelGradsAsm(n int, src *float32, size int, dst *float32, ldd int) {
	panic("kernel: no assembly on this architecture")
}

func deinterleaveAsm(n int, even, odd, src *float32) {
	panic("kernel: no assembly on this architecture")
}
