#include "textflag.h"

// Element-wise steps of the Winograd transforms (winovec.go), AVX2 + FMA,
// eight floats at a time. Products by the signs (±1) are exact, so
// VFMADD231PS rounds as an add does.

// func gatherAsm(nch int, dst, src *float32, plane int, offs *int, signs *float32, n, nr int)
// The n ≤ 4 terms' offsets go to R8..R11 and their signs to Y12..Y15.
TEXT ·gatherAsm(SB), NOSPLIT, $0-64
	MOVQ nch+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ plane+24(FP), DX
	SHLQ $2, DX
	MOVQ n+48(FP), AX
	MOVQ offs+32(FP), R12
	MOVQ signs+40(FP), R13
	MOVQ 0(R12), R8
	VBROADCASTSS 0(R13), Y12
	CMPQ AX, $2
	JLT loadedgather
	MOVQ 8(R12), R9
	VBROADCASTSS 4(R13), Y13
	CMPQ AX, $3
	JLT loadedgather
	MOVQ 16(R12), R10
	VBROADCASTSS 8(R13), Y14
	CMPQ AX, $4
	JLT loadedgather
	MOVQ 24(R12), R11
	VBROADCASTSS 12(R13), Y15

loadedgather:
	SHLQ $2, R8
	SHLQ $2, R9
	SHLQ $2, R10
	SHLQ $2, R11
	MOVQ nr+56(FP), BX
	SHRQ $3, BX
	TESTQ CX, CX
	JZ donegather

gatherchannel:
	MOVQ BX, R12
	MOVQ SI, R13

gatherchunk:
	VMULPS (R13)(R8*1), Y12, Y0
	CMPQ AX, $2
	JLT storegather
	VFMADD231PS (R13)(R9*1), Y13, Y0
	CMPQ AX, $3
	JLT storegather
	VFMADD231PS (R13)(R10*1), Y14, Y0
	CMPQ AX, $4
	JLT storegather
	VFMADD231PS (R13)(R11*1), Y15, Y0

storegather:
	VMOVUPS Y0, (DI)
	ADDQ $32, R13
	ADDQ $32, DI
	DECQ R12
	JNZ gatherchunk
	ADDQ DX, SI
	DECQ CX
	JNZ gatherchannel

donegather:
	VZEROUPPER
	RET

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

// TRANSPOSE4 turns the four rows A0..A3 (four taps of four kernels) into
// the four taps' vectors K0..K3 (one lane per kernel), with T0, T1 scratch;
// A0 and A1 end as scratch too.
#define TRANSPOSE4(A0, A1, A2, A3, T0, T1, K0, K1, K2, K3) \
	VUNPCKLPS A1, A0, T0; \
	VUNPCKHPS A1, A0, T1; \
	VUNPCKLPS A3, A2, A0; \
	VUNPCKHPS A3, A2, A1; \
	VMOVLHPS A0, T0, K0; \
	VMOVHLPS T0, A0, K1; \
	VMOVLHPS A1, T1, K2; \
	VMOVHLPS T1, A1, K3

// func winoKernelsAsm(nd int, src *float32, rowStride, depthStride int, dst *float32, mr int, offs *[16]int, chunks int)
// Four kernels (rows r … r+3 at one depth) at R10, R10+R8, R10+2·R8 and
// R10+R14 (R14 = 3·R8) are transposed into the tap vectors X0..X8, then
// transformed as winoKernel does.
TEXT ·winoKernelsAsm(SB), NOSPLIT, $0-64
	MOVQ nd+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ rowStride+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R14
	MOVQ depthStride+24(FP), AX
	SHLQ $2, AX
	MOVQ dst+32(FP), DI
	MOVQ mr+40(FP), BX
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
	VMOVUPS (R10), X9
	VMOVUPS (R10)(R8*1), X10
	VMOVUPS (R10)(R8*2), X11
	VMOVUPS (R10)(R14*1), X12
	TRANSPOSE4(X9, X10, X11, X12, X13, X14, X0, X1, X2, X3)
	VMOVUPS 16(R10), X9
	VMOVUPS 16(R10)(R8*1), X10
	VMOVUPS 16(R10)(R8*2), X11
	VMOVUPS 16(R10)(R14*1), X12
	TRANSPOSE4(X9, X10, X11, X12, X13, X14, X4, X5, X6, X7)
	VMOVSS 32(R10), X9
	VMOVSS 32(R10)(R8*1), X10
	VMOVSS 32(R10)(R8*2), X11
	VMOVSS 32(R10)(R14*1), X12
	VUNPCKLPS X10, X9, X13
	VUNPCKLPS X12, X11, X14
	VMOVLHPS X14, X13, X8
	TROW(X0, X1, X2, 0, 8, 16, 24)
	GKROW(VADDPS)
	TROW(X9, X10, X11, 32, 40, 48, 56)
	GKROW(VSUBPS)
	TROW(X9, X10, X11, 64, 72, 80, 88)
	TROW(X6, X7, X8, 96, 104, 112, 120)
	LEAQ (R10)(R8*4), R10
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

// GTCOL applies Gᵀ to column J of the 4×4 u (rows at R11..R14, column
// offset OFF): gu[0][J] = a + ½(b+c), gu[1][J] = ½(b−c), gu[2][J] =
// ½(b+c) + d into G0, G1, G2. Y12..Y14 are scratch, Y15 holds ½.
#define GTCOL(OFF, G0, G1, G2) \
	VMOVUPS OFF(R11), Y12; \
	VMOVUPS OFF(R12), Y13; \
	VMOVUPS OFF(R13), Y14; \
	VADDPS Y14, Y13, G2; \
	VSUBPS Y14, Y13, G1; \
	VMULPS Y15, G1, G1; \
	VMULPS Y15, G2, G2; \
	VADDPS G2, Y12, G0; \
	VADDPS OFF(R14), G2, G2

// GROW applies G along row (A, B, C, D) of Gᵀ·u and stores the three taps
// at (P), (P)(R15*1), (P)(R15*2).
#define GROW(A, B, C, D, P) \
	VADDPS C, B, Y13; \
	VSUBPS C, B, Y14; \
	VMULPS Y15, Y14, Y14; \
	VMULPS Y15, Y13, Y13; \
	VADDPS Y13, A, Y12; \
	VADDPS D, Y13, Y13; \
	VMOVUPS Y12, (P); \
	VMOVUPS Y14, (P)(R15*1); \
	VMOVUPS Y13, (P)(R15*2)

// func winoKernelGradsAsm(n int, src *float32, size int, dst *float32, ldd int)
TEXT ·winoKernelGradsAsm(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	SHRQ $3, CX
	MOVQ src+8(FP), SI
	MOVQ size+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*1), R9
	LEAQ (R9)(R8*1), R10
	MOVQ dst+24(FP), DI
	MOVQ ldd+32(FP), R15
	SHLQ $2, R15
	MOVL $0x3f000000, AX
	MOVQ AX, X15
	VBROADCASTSS X15, Y15
	TESTQ CX, CX
	JZ donegrads

loopgrads:
	// Rows i of u start 4i·size floats apart; column j is j·size further.
	MOVQ SI, R11
	LEAQ (R11)(R8*4), R12
	LEAQ (R12)(R8*4), R13
	LEAQ (R13)(R8*4), R14
	GTCOL(0, Y0, Y4, Y8)
	ADDQ R8, R11
	ADDQ R8, R12
	ADDQ R8, R13
	ADDQ R8, R14
	GTCOL(0, Y1, Y5, Y9)
	ADDQ R8, R11
	ADDQ R8, R12
	ADDQ R8, R13
	ADDQ R8, R14
	GTCOL(0, Y2, Y6, Y10)
	ADDQ R8, R11
	ADDQ R8, R12
	ADDQ R8, R13
	ADDQ R8, R14
	GTCOL(0, Y3, Y7, Y11)
	MOVQ DI, DX
	GROW(Y0, Y1, Y2, Y3, DX)
	LEAQ (DX)(R15*2), DX
	ADDQ R15, DX
	GROW(Y4, Y5, Y6, Y7, DX)
	LEAQ (DX)(R15*2), DX
	ADDQ R15, DX
	GROW(Y8, Y9, Y10, Y11, DX)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loopgrads

donegrads:
	VZEROUPPER
	RET

// func deinterleaveAsm(n int, even, odd, src *float32)
TEXT ·deinterleaveAsm(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	SHRQ $3, CX
	MOVQ even+8(FP), DI
	MOVQ odd+16(FP), DX
	MOVQ src+24(FP), SI
	TESTQ CX, CX
	JZ donedeinter

loopdeinter:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VSHUFPS $0x88, Y1, Y0, Y2 // s0 s2 s8 s10 | s4 s6 s12 s14
	VSHUFPS $0xDD, Y1, Y0, Y3 // s1 s3 s9 s11 | s5 s7 s13 s15
	VPERMPD $0xD8, Y2, Y2
	VPERMPD $0xD8, Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, (DX)
	ADDQ $64, SI
	ADDQ $32, DI
	ADDQ $32, DX
	DECQ CX
	JNZ loopdeinter

donedeinter:
	VZEROUPPER
	RET
