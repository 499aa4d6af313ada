#include "textflag.h"

// Float64 reductions of float32 runs (reduce.go), AVX2: each group of 16
// floats is widened four at a time into four accumulators of four lanes.

// ZERO4 clears the accumulators Y4..Y7.
#define ZERO4 \
	VXORPD Y4, Y4, Y4; \
	VXORPD Y5, Y5, Y5; \
	VXORPD Y6, Y6, Y6; \
	VXORPD Y7, Y7, Y7

// HSUM4 adds Y4..Y7 lane-wise and then across lanes into X4.
#define HSUM4 \
	VADDPD Y5, Y4, Y4; \
	VADDPD Y7, Y6, Y6; \
	VADDPD Y6, Y4, Y4; \
	VEXTRACTF128 $1, Y4, X5; \
	VADDPD X5, X4, X4; \
	VHADDPD X4, X4, X4

// func sum64asm(n int, v *float32) float64
// Σ v[i] for i < n&^15.
TEXT ·sum64asm(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ v+8(FP), SI
	ZERO4
	SHRQ $4, CX
	JZ donesum

loopsum:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD 32(SI), Y2
	VCVTPS2PD 48(SI), Y3
	VADDPD Y0, Y4, Y4
	VADDPD Y1, Y5, Y5
	VADDPD Y2, Y6, Y6
	VADDPD Y3, Y7, Y7
	ADDQ $64, SI
	DECQ CX
	JNZ loopsum

donesum:
	HSUM4
	VMOVSD X4, ret+16(FP)
	VZEROUPPER
	RET

// func sqDev64asm(n int, v *float32, m float64) float64
// Σ (v[i] − m)² for i < n&^15.
TEXT ·sqDev64asm(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ v+8(FP), SI
	VBROADCASTSD m+16(FP), Y8
	ZERO4
	SHRQ $4, CX
	JZ donesq

loopsq:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD 32(SI), Y2
	VCVTPS2PD 48(SI), Y3
	VSUBPD Y8, Y0, Y0
	VSUBPD Y8, Y1, Y1
	VSUBPD Y8, Y2, Y2
	VSUBPD Y8, Y3, Y3
	VFMADD231PD Y0, Y0, Y4
	VFMADD231PD Y1, Y1, Y5
	VFMADD231PD Y2, Y2, Y6
	VFMADD231PD Y3, Y3, Y7
	ADDQ $64, SI
	DECQ CX
	JNZ loopsq

donesq:
	HSUM4
	VMOVSD X4, ret+24(FP)
	VZEROUPPER
	RET

// DOTACC adds the eight g values widened in Y0, Y1 to Y4, Y5 and their
// products with the next eight y values (DI) to Y6, Y7, then steps SI and
// DI on and counts CX down.
#define DOTACC \
	VCVTPS2PD (DI), Y2; \
	VCVTPS2PD 16(DI), Y3; \
	VADDPD Y0, Y4, Y4; \
	VADDPD Y1, Y5, Y5; \
	VFMADD231PD Y2, Y0, Y6; \
	VFMADD231PD Y3, Y1, Y7; \
	ADDQ $32, SI; \
	ADDQ $32, DI; \
	DECQ CX

// func sumDot64asm(n int, gr, y *float32, masked bool) (float64, float64)
// Σ g[i] and Σ g[i]·y[i] for i < n&^7; with masked, only where y[i] > 0.
TEXT ·sumDot64asm(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ gr+8(FP), SI
	MOVQ y+16(FP), DI
	MOVBLZX masked+24(FP), AX
	VXORPS X9, X9, X9
	ZERO4
	SHRQ $3, CX
	JZ donedot
	TESTQ AX, AX
	JNZ loopmask

loopdot:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	DOTACC
	JNZ loopdot
	JMP donedot

loopmask:
	VMOVUPS (DI), Y10
	VCMPPS $0x1e, Y9, Y10, Y11 // y > 0 (ordered, quiet)
	VANDPS (SI), Y11, Y11      // g where y > 0, else +0
	VEXTRACTF128 $1, Y11, X12
	VCVTPS2PD X11, Y0
	VCVTPS2PD X12, Y1
	DOTACC
	JNZ loopmask

donedot:
	VADDPD Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPD X5, X4, X4
	VHADDPD X4, X4, X4
	VMOVSD X4, ret+32(FP)
	VADDPD Y7, Y6, Y6
	VEXTRACTF128 $1, Y6, X7
	VADDPD X7, X6, X6
	VHADDPD X6, X6, X6
	VMOVSD X6, ret1+40(FP)
	VZEROUPPER
	RET
