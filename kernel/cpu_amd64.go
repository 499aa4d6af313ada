package kernel

import "golang.org/x/sys/cpu"

var asmSupported = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kern6x16 is the AVX2+FMA micro-kernel (sgemm_amd64.s): the same contract
// as microKernelGo, on pointers to the first elements.
//
//go:noescape
func kern6x16(k int, a, b, c *float32, ldc int)
