package kernel

import "os"

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

// microKernel dispatches to the assembly or the portable micro-kernel.
func microKernel(k int, a, b, c []float32, ldc int) {
	if useAsm {
		_ = a[k*mr-1]
		_ = b[k*nr-1]
		_ = c[(mr-1)*ldc+nr-1]
		kern6x16(k, &a[0], &b[0], &c[0], ldc)
		return
	}
	microKernelGo(k, a, b, c, ldc)
}
