#include "textflag.h"

// Element-wise steps of the Winograd transforms (winovec.go), AVX2 + FMA,
// eight floats at a time. Products by the signs (±1) are exact, so
// VFMADD231PS rounds as an add does.

// func gatherColumnAsm(nch int, dst *float32, vstride int, src *float32, plane, wq int, offs *[4]int, signs *[2]float32, nr int)
TEXT ·gatherColumnAsm(SB), NOSPLIT, $0-72
	MOVQ nch+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ vstride+16(FP), AX
	SHLQ $2, AX
	MOVQ src+24(FP), SI
	MOVQ plane+32(FP), DX
	SHLQ $2, DX
	MOVQ offs+48(FP), R12
	MOVQ 0(R12), R8
	MOVQ 8(R12), R9
	MOVQ 16(R12), R10
	MOVQ 24(R12), R11
	SHLQ $2, R8
	SHLQ $2, R9
	SHLQ $2, R10
	SHLQ $2, R11
	MOVQ signs+56(FP), R12
	VBROADCASTSS 0(R12), Y14
	VBROADCASTSS 4(R12), Y15
	TESTQ CX, CX
	JZ donecolumn

columnchannel:
	MOVQ nr+64(FP), BX
	SHRQ $3, BX
	MOVQ SI, R13
	MOVQ wq+40(FP), R14
	SHLQ $2, R14
	ADDQ SI, R14
	MOVQ DI, R15

columnchunk:
	VMULPS (R13)(R8*1), Y14, Y0 // c0: row 0
	VFMADD231PS (R13)(R9*1), Y15, Y0
	VMULPS (R13)(R10*1), Y14, Y1 // c1: row 1
	VFMADD231PS (R13)(R11*1), Y15, Y1
	VMULPS (R14)(R8*1), Y14, Y2 // c2: row 2, a phase row below row 0
	VFMADD231PS (R14)(R9*1), Y15, Y2
	VMULPS (R14)(R10*1), Y14, Y3 // c3
	VFMADD231PS (R14)(R11*1), Y15, Y3
	VSUBPS Y2, Y0, Y4 // c0 − c2
	VMOVUPS Y4, (R15)
	VADDPS Y2, Y1, Y5 // c1 + c2
	VMOVUPS Y5, (R15)(AX*1)
	VSUBPS Y1, Y2, Y6 // c2 − c1
	VMOVUPS Y6, (R15)(AX*2)
	VSUBPS Y3, Y1, Y7 // c1 − c3
	LEAQ (R15)(AX*2), R12
	VMOVUPS Y7, (R12)(AX*1)
	ADDQ $32, R13
	ADDQ $32, R14
	ADDQ $32, R15
	DECQ BX
	JNZ columnchunk
	ADDQ DX, SI
	MOVQ nr+64(FP), R12
	SHLQ $2, R12
	ADDQ R12, DI
	DECQ CX
	JNZ columnchannel

donecolumn:
	VZEROUPPER
	RET

// func comb2asm(n int, dst, a, b *float32, sb float32)
TEXT ·comb2asm(SB), NOSPLIT, $0-36
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	VBROADCASTSS sb+32(FP), Y13
	SHRQ $3, CX
	JZ donecomb2

loopcomb2:
	VMOVUPS (SI), Y0
	VFMADD231PS (DX), Y13, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ loopcomb2

donecomb2:
	VZEROUPPER
	RET

// func comb3asm(n int, dst, a, b, c *float32, sb, sc float32)
TEXT ·comb3asm(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ c+32(FP), R8
	VBROADCASTSS sb+40(FP), Y13
	VBROADCASTSS sc+44(FP), Y14
	SHRQ $3, CX
	JZ donecomb3

loopcomb3:
	VMOVUPS (SI), Y0
	VFMADD231PS (DX), Y13, Y0
	VFMADD231PS (R8), Y14, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, R8
	ADDQ $32, DI
	DECQ CX
	JNZ loopcomb3

donecomb3:
	VZEROUPPER
	RET

// func interleaveAsm(n int, dst, even, odd *float32, add bool)
TEXT ·interleaveAsm(SB), NOSPLIT, $0-33
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ even+16(FP), SI
	MOVQ odd+24(FP), DX
	MOVBLZX add+32(FP), AX
	SHRQ $3, CX
	JZ doneinter

loopinter:
	VMOVUPS (SI), Y0
	VMOVUPS (DX), Y1
	VUNPCKLPS Y1, Y0, Y2 // e0 o0 e1 o1 | e4 o4 e5 o5
	VUNPCKHPS Y1, Y0, Y3 // e2 o2 e3 o3 | e6 o6 e7 o7
	VPERM2F128 $0x20, Y3, Y2, Y4
	VPERM2F128 $0x31, Y3, Y2, Y5
	TESTQ AX, AX
	JZ storeinter
	VADDPS (DI), Y4, Y4
	VADDPS 32(DI), Y5, Y5

storeinter:
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $64, DI
	DECQ CX
	JNZ loopinter

doneinter:
	VZEROUPPER
	RET

// TROW stores row i of t = (G·k)·Gᵀ from row i of G·k (A, B, C):
// a, ½((a+b)+c), ½((a−b)+c), c at the offsets O0 … O3 of the table (R9),
// relative to R11. X15 holds ½.
#define TROW(A, B, C, O0, O1, O2, O3) \
	MOVQ O0(R9), R13; \
	VMOVUPS A, (R11)(R13*4); \
	VADDPS B, A, X12; \
	VADDPS C, X12, X12; \
	VMULPS X15, X12, X12; \
	MOVQ O1(R9), R13; \
	VMOVUPS X12, (R11)(R13*4); \
	VSUBPS B, A, X13; \
	VADDPS C, X13, X13; \
	VMULPS X15, X13, X13; \
	MOVQ O2(R9), R13; \
	VMOVUPS X13, (R11)(R13*4); \
	MOVQ O3(R9), R13; \
	VMOVUPS C, (R11)(R13*4)

// GKROW sets row 1 (OP = VADDPS) or row 2 (OP = VSUBPS) of G·k into
// X9..X11 from the kernel rows X0..X8: ½((k0j OP k1j) + k2j).
#define GKROW(OP) \
	OP X3, X0, X9; \
	VADDPS X6, X9, X9; \
	VMULPS X15, X9, X9; \
	OP X4, X1, X10; \
	VADDPS X7, X10, X10; \
	VMULPS X15, X10, X10; \
	OP X5, X2, X11; \
	VADDPS X8, X11, X11; \
	VMULPS X15, X11, X11

// func winoKernelsAsm(nd int, src *float32, tapStride, dStride int, dst *float32, dstStep int, offs *[16]int, chunks int)
TEXT ·winoKernelsAsm(SB), NOSPLIT, $0-64
	MOVQ nd+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ tapStride+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R14
	MOVQ dStride+24(FP), AX
	SHLQ $2, AX
	MOVQ dst+32(FP), DI
	MOVQ dstStep+40(FP), BX
	SHLQ $2, BX
	MOVQ offs+48(FP), R9
	MOVL $0x3f000000, R13
	MOVQ R13, X15
	VBROADCASTSS X15, X15
	TESTQ CX, CX
	JZ donekern

depth:
	MOVQ chunks+56(FP), R12
	MOVQ SI, R10
	MOVQ DI, R11

lanes:
	VMOVUPS (R10), X0
	VMOVUPS (R10)(R8*1), X1
	VMOVUPS (R10)(R8*2), X2
	LEAQ (R10)(R14*1), R15
	VMOVUPS (R15), X3
	VMOVUPS (R15)(R8*1), X4
	VMOVUPS (R15)(R8*2), X5
	LEAQ (R15)(R14*1), DX
	VMOVUPS (DX), X6
	VMOVUPS (DX)(R8*1), X7
	VMOVUPS (DX)(R8*2), X8
	TROW(X0, X1, X2, 0, 8, 16, 24)
	GKROW(VADDPS)
	TROW(X9, X10, X11, 32, 40, 48, 56)
	GKROW(VSUBPS)
	TROW(X9, X10, X11, 64, 72, 80, 88)
	TROW(X6, X7, X8, 96, 104, 112, 120)
	ADDQ $16, R10
	ADDQ $16, R11
	DECQ R12
	JNZ lanes
	ADDQ AX, SI
	ADDQ BX, DI
	DECQ CX
	JNZ depth

donekern:
	VZEROUPPER
	RET
