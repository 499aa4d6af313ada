#include "textflag.h"

// INDARGS loads the arguments of the indirect-B kernels, (k int, a *float32,
// offs *int64, base, c *float32, ldc int): k in CX, the packed A sliver in
// SI, the offset table in DI, the image in BX, C in DX and its row stride in
// bytes in R8.
#define INDARGS \
	MOVQ k+0(FP), CX; \
	MOVQ a+8(FP), SI; \
	MOVQ offs+16(FP), DI; \
	MOVQ base+24(FP), BX; \
	MOVQ c+32(FP), DX; \
	MOVQ ldc+40(FP), R8; \
	SHLQ $2, R8

// ZERO24 clears the accumulators Z0..Z23.
#define ZERO24 \
	VPXORD Z0, Z0, Z0 \
	VPXORD Z1, Z1, Z1 \
	VPXORD Z2, Z2, Z2 \
	VPXORD Z3, Z3, Z3 \
	VPXORD Z4, Z4, Z4 \
	VPXORD Z5, Z5, Z5 \
	VPXORD Z6, Z6, Z6 \
	VPXORD Z7, Z7, Z7 \
	VPXORD Z8, Z8, Z8 \
	VPXORD Z9, Z9, Z9 \
	VPXORD Z10, Z10, Z10 \
	VPXORD Z11, Z11, Z11 \
	VPXORD Z12, Z12, Z12 \
	VPXORD Z13, Z13, Z13 \
	VPXORD Z14, Z14, Z14 \
	VPXORD Z15, Z15, Z15 \
	VPXORD Z16, Z16, Z16 \
	VPXORD Z17, Z17, Z17 \
	VPXORD Z18, Z18, Z18 \
	VPXORD Z19, Z19, Z19 \
	VPXORD Z20, Z20, Z20 \
	VPXORD Z21, Z21, Z21 \
	VPXORD Z22, Z22, Z22 \
	VPXORD Z23, Z23, Z23

// FMA12X32 multiplies the B row in Z24, Z25 by the 12 values of a packed A
// column at OA(SI) into the accumulator tile Z0..Z23 (row i in Z(2i), Z(2i+1)).
#define FMA12X32(OA) \
	VBROADCASTSS (OA+0)(SI), Z26; \
	VFMADD231PS Z24, Z26, Z0; \
	VFMADD231PS Z25, Z26, Z1; \
	VBROADCASTSS (OA+4)(SI), Z27; \
	VFMADD231PS Z24, Z27, Z2; \
	VFMADD231PS Z25, Z27, Z3; \
	VBROADCASTSS (OA+8)(SI), Z28; \
	VFMADD231PS Z24, Z28, Z4; \
	VFMADD231PS Z25, Z28, Z5; \
	VBROADCASTSS (OA+12)(SI), Z29; \
	VFMADD231PS Z24, Z29, Z6; \
	VFMADD231PS Z25, Z29, Z7; \
	VBROADCASTSS (OA+16)(SI), Z26; \
	VFMADD231PS Z24, Z26, Z8; \
	VFMADD231PS Z25, Z26, Z9; \
	VBROADCASTSS (OA+20)(SI), Z27; \
	VFMADD231PS Z24, Z27, Z10; \
	VFMADD231PS Z25, Z27, Z11; \
	VBROADCASTSS (OA+24)(SI), Z28; \
	VFMADD231PS Z24, Z28, Z12; \
	VFMADD231PS Z25, Z28, Z13; \
	VBROADCASTSS (OA+28)(SI), Z29; \
	VFMADD231PS Z24, Z29, Z14; \
	VFMADD231PS Z25, Z29, Z15; \
	VBROADCASTSS (OA+32)(SI), Z26; \
	VFMADD231PS Z24, Z26, Z16; \
	VFMADD231PS Z25, Z26, Z17; \
	VBROADCASTSS (OA+36)(SI), Z27; \
	VFMADD231PS Z24, Z27, Z18; \
	VFMADD231PS Z25, Z27, Z19; \
	VBROADCASTSS (OA+40)(SI), Z28; \
	VFMADD231PS Z24, Z28, Z20; \
	VFMADD231PS Z25, Z28, Z21; \
	VBROADCASTSS (OA+44)(SI), Z29; \
	VFMADD231PS Z24, Z29, Z22; \
	VFMADD231PS Z25, Z29, Z23

// One rank-1 update of the 12×32 tile: a 32-float row of the packed B sliver
// times a column of the packed A sliver.
#define STEP512(OA, OB) \
	VMOVUPS OB(DI), Z24; \
	VMOVUPS (OB+64)(DI), Z25; \
	FMA12X32(OA)

// ADDSTORE512 adds the accumulator tile Z0..Z23 to the 12 rows of C at DX
// (row stride R8 bytes) and stores it.
#define ADDSTORE512 \
	VADDPS (DX), Z0, Z0 \
	VADDPS 64(DX), Z1, Z1 \
	VMOVUPS Z0, (DX) \
	VMOVUPS Z1, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z2, Z2 \
	VADDPS 64(DX), Z3, Z3 \
	VMOVUPS Z2, (DX) \
	VMOVUPS Z3, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z4, Z4 \
	VADDPS 64(DX), Z5, Z5 \
	VMOVUPS Z4, (DX) \
	VMOVUPS Z5, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z6, Z6 \
	VADDPS 64(DX), Z7, Z7 \
	VMOVUPS Z6, (DX) \
	VMOVUPS Z7, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z8, Z8 \
	VADDPS 64(DX), Z9, Z9 \
	VMOVUPS Z8, (DX) \
	VMOVUPS Z9, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z10, Z10 \
	VADDPS 64(DX), Z11, Z11 \
	VMOVUPS Z10, (DX) \
	VMOVUPS Z11, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z12, Z12 \
	VADDPS 64(DX), Z13, Z13 \
	VMOVUPS Z12, (DX) \
	VMOVUPS Z13, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z14, Z14 \
	VADDPS 64(DX), Z15, Z15 \
	VMOVUPS Z14, (DX) \
	VMOVUPS Z15, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z16, Z16 \
	VADDPS 64(DX), Z17, Z17 \
	VMOVUPS Z16, (DX) \
	VMOVUPS Z17, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z18, Z18 \
	VADDPS 64(DX), Z19, Z19 \
	VMOVUPS Z18, (DX) \
	VMOVUPS Z19, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z20, Z20 \
	VADDPS 64(DX), Z21, Z21 \
	VMOVUPS Z20, (DX) \
	VMOVUPS Z21, 64(DX) \
	ADDQ R8, DX \
	VADDPS (DX), Z22, Z22 \
	VADDPS 64(DX), Z23, Z23 \
	VMOVUPS Z22, (DX) \
	VMOVUPS Z23, 64(DX)

// func kern12x32(k int, a, b, c *float32, ldc int)
TEXT ·kern12x32(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	ZERO24
	MOVQ CX, R9
	SHRQ $2, R9
	ANDQ $3, CX
	TESTQ R9, R9
	JZ tail512

loop512:
	PREFETCHT0 1024(DI)
	STEP512(0, 0)
	PREFETCHT0 1152(DI)
	STEP512(48, 128)
	PREFETCHT0 1280(DI)
	STEP512(96, 256)
	PREFETCHT0 1408(DI)
	STEP512(144, 384)
	ADDQ $192, SI
	ADDQ $512, DI
	DECQ R9
	JNZ loop512

tail512:
	TESTQ CX, CX
	JZ done512

loop512one:
	STEP512(0, 0)
	ADDQ $48, SI
	ADDQ $128, DI
	DECQ CX
	JNZ loop512one

done512:
	ADDSTORE512
	VZEROUPPER
	RET

// STEPIND is STEP512 with the B row read in place: the k-th entry of the
// offset table (DI) locates a 32-float run of the image at BX.
#define STEPIND(OA, OO) \
	MOVQ OO(DI), R10; \
	VMOVUPS (BX)(R10*4), Z24; \
	VMOVUPS 64(BX)(R10*4), Z25; \
	FMA12X32(OA)


// func kern12x32ind(k int, a *float32, offs *int64, base, c *float32, ldc int)
TEXT ·kern12x32ind(SB), NOSPLIT, $0-48
	INDARGS
	ZERO24
	MOVQ CX, R9
	SHRQ $2, R9
	ANDQ $3, CX
	TESTQ R9, R9
	JZ tailind

loopind:
	STEPIND(0, 0)
	STEPIND(48, 8)
	STEPIND(96, 16)
	STEPIND(144, 24)
	ADDQ $192, SI
	ADDQ $32, DI
	DECQ R9
	JNZ loopind

tailind:
	TESTQ CX, CX
	JZ doneind

loopindone:
	STEPIND(0, 0)
	ADDQ $48, SI
	ADDQ $8, DI
	DECQ CX
	JNZ loopindone

doneind:
	ADDSTORE512
	VZEROUPPER
	RET

// ROWPTR loads the row offset at OFF(R13) into R and turns it into a
// pointer into the image at R14; ROWPTRS6 does so for the first six rows.
#define ROWPTR(OFF, R) \
	MOVQ OFF(R13), R; \
	LEAQ (R14)(R*4), R

#define ROWPTRS6 \
	ROWPTR(0, AX); \
	ROWPTR(8, BX); \
	ROWPTR(16, CX); \
	ROWPTR(24, DX); \
	ROWPTR(32, SI); \
	ROWPTR(40, DI)

// STEPROWS is STEP512 with column p of A read in place: row i of the tile
// reads the float at OA bytes past its own pointer (AX … R13), indexed by
// R15, and row p of the packed B sliver is at OB(R14).
#define ROWFMA(R, OA, ZA, ZC0, ZC1) \
	VBROADCASTSS OA(R)(R15*4), ZA; \
	VFMADD231PS Z24, ZA, ZC0; \
	VFMADD231PS Z25, ZA, ZC1

#define STEPROWS(OA, OB) \
	VMOVUPS OB(R14), Z24; \
	VMOVUPS (OB+64)(R14), Z25; \
	ROWFMA(AX, OA, Z26, Z0, Z1); \
	ROWFMA(BX, OA, Z27, Z2, Z3); \
	ROWFMA(CX, OA, Z28, Z4, Z5); \
	ROWFMA(DX, OA, Z29, Z6, Z7); \
	ROWFMA(SI, OA, Z26, Z8, Z9); \
	ROWFMA(DI, OA, Z27, Z10, Z11); \
	ROWFMA(R8, OA, Z28, Z12, Z13); \
	ROWFMA(R9, OA, Z29, Z14, Z15); \
	ROWFMA(R10, OA, Z26, Z16, Z17); \
	ROWFMA(R11, OA, Z27, Z18, Z19); \
	ROWFMA(R12, OA, Z28, Z20, Z21); \
	ROWFMA(R13, OA, Z29, Z22, Z23)

// func kern12x32rows(k int, base *float32, offs *int64, b, c *float32, ldc int)
//
// Row i of A is the run base[offs[i]] … base[offs[i]+k−1]. The twelve row
// pointers end up past their runs and R15 counts from −k up to 0, so one
// index register walks all of them.
TEXT ·kern12x32rows(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), R15
	MOVQ base+8(FP), R14
	LEAQ (R14)(R15*4), R14
	MOVQ offs+16(FP), R13
	ROWPTRS6
	ROWPTR(48, R8)
	ROWPTR(56, R9)
	ROWPTR(64, R10)
	ROWPTR(72, R11)
	ROWPTR(80, R12)
	MOVQ 88(R13), R13
	LEAQ (R14)(R13*4), R13
	MOVQ b+24(FP), R14
	NEGQ R15
	ZERO24

looprows:
	CMPQ R15, $-4
	JGT tailrows
	STEPROWS(0, 0)
	STEPROWS(4, 128)
	STEPROWS(8, 256)
	STEPROWS(12, 384)
	ADDQ $512, R14
	ADDQ $4, R15
	JMP looprows

tailrows:
	TESTQ R15, R15
	JZ donerows
	STEPROWS(0, 0)
	ADDQ $128, R14
	INCQ R15
	JMP tailrows

donerows:
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	ADDSTORE512
	VZEROUPPER
	RET

// DOTROW multiplies the 16 floats of one row of A at R (indexed by R12)
// with the four B vectors Z24..Z27 into accumulators C0..C3.
#define DOTROW(R, ZA, C0, C1, C2, C3) \
	VMOVUPS (R)(R12*4), ZA; \
	VFMADD231PS Z24, ZA, C0; \
	VFMADD231PS Z25, ZA, C1; \
	VFMADD231PS Z26, ZA, C2; \
	VFMADD231PS Z27, ZA, C3

// func kern6x4dot(k int, base *float32, offs *int64, b *float32, ldb int, out *float32)
//
// Six runs of A (base+offs[i], k floats, k a multiple of 16) against four
// rows of B (b + j·ldb): out[(4i+j)·16 + l] is the sum over p ≡ l (mod 16)
// of A[i][p]·B[j][p]. The caller adds up each group of 16.
TEXT ·kern6x4dot(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), R12
	MOVQ base+8(FP), R14
	LEAQ (R14)(R12*4), R14
	MOVQ offs+16(FP), R13
	ROWPTRS6
	MOVQ b+24(FP), R8
	LEAQ (R8)(R12*4), R8
	MOVQ ldb+32(FP), R15
	LEAQ (R8)(R15*4), R9
	LEAQ (R9)(R15*4), R10
	LEAQ (R10)(R15*4), R11
	NEGQ R12
	ZERO24
	TESTQ R12, R12
	JZ donedot

loopdot:
	VMOVUPS (R8)(R12*4), Z24
	VMOVUPS (R9)(R12*4), Z25
	VMOVUPS (R10)(R12*4), Z26
	VMOVUPS (R11)(R12*4), Z27
	DOTROW(AX, Z28, Z0, Z1, Z2, Z3)
	DOTROW(BX, Z29, Z4, Z5, Z6, Z7)
	DOTROW(CX, Z28, Z8, Z9, Z10, Z11)
	DOTROW(DX, Z29, Z12, Z13, Z14, Z15)
	DOTROW(SI, Z28, Z16, Z17, Z18, Z19)
	DOTROW(DI, Z29, Z20, Z21, Z22, Z23)
	ADDQ $16, R12
	JNZ loopdot

donedot:
	MOVQ out+40(FP), R13
	VMOVUPS Z0, 0(R13)
	VMOVUPS Z1, 64(R13)
	VMOVUPS Z2, 128(R13)
	VMOVUPS Z3, 192(R13)
	VMOVUPS Z4, 256(R13)
	VMOVUPS Z5, 320(R13)
	VMOVUPS Z6, 384(R13)
	VMOVUPS Z7, 448(R13)
	VMOVUPS Z8, 512(R13)
	VMOVUPS Z9, 576(R13)
	VMOVUPS Z10, 640(R13)
	VMOVUPS Z11, 704(R13)
	VMOVUPS Z12, 768(R13)
	VMOVUPS Z13, 832(R13)
	VMOVUPS Z14, 896(R13)
	VMOVUPS Z15, 960(R13)
	VMOVUPS Z16, 1024(R13)
	VMOVUPS Z17, 1088(R13)
	VMOVUPS Z18, 1152(R13)
	VMOVUPS Z19, 1216(R13)
	VMOVUPS Z20, 1280(R13)
	VMOVUPS Z21, 1344(R13)
	VMOVUPS Z22, 1408(R13)
	VMOVUPS Z23, 1472(R13)
	VZEROUPPER
	RET

// LOADB64 loads the 64-float B row at the offset OO(DI) of the image at BX
// into Z16..Z19; ROW64 multiplies it by the A value at OA(SI) into one row
// of accumulators C0..C3.
#define LOADB64(OO) \
	MOVQ OO(DI), R10; \
	VMOVUPS (BX)(R10*4), Z16; \
	VMOVUPS 64(BX)(R10*4), Z17; \
	VMOVUPS 128(BX)(R10*4), Z18; \
	VMOVUPS 192(BX)(R10*4), Z19

#define ROW64(OA, ZA, C0, C1, C2, C3) \
	VBROADCASTSS OA(SI), ZA; \
	VFMADD231PS Z16, ZA, C0; \
	VFMADD231PS Z17, ZA, C1; \
	VFMADD231PS Z18, ZA, C2; \
	VFMADD231PS Z19, ZA, C3

// STEP3X64 is one rank-1 update of the 3×64 tile Z0..Z11 (row i in
// Z(4i)…Z(4i+3)) with B row p read in place and the packed A column at
// OA(SI); STEP4X64 adds a fourth row in Z12..Z15.
#define STEP3X64(OA, OO) \
	LOADB64(OO); \
	ROW64(OA, Z20, Z0, Z1, Z2, Z3); \
	ROW64(OA+4, Z21, Z4, Z5, Z6, Z7); \
	ROW64(OA+8, Z22, Z8, Z9, Z10, Z11)

#define STEP4X64(OA, OO) \
	STEP3X64(OA, OO); \
	ROW64(OA+12, Z23, Z12, Z13, Z14, Z15)

// ADDROW64 adds four accumulators to one 64-float row of C at DX.
#define ADDROW64(Z0_, Z1_, Z2_, Z3_) \
	VADDPS (DX), Z0_, Z0_; \
	VADDPS 64(DX), Z1_, Z1_; \
	VADDPS 128(DX), Z2_, Z2_; \
	VADDPS 192(DX), Z3_, Z3_; \
	VMOVUPS Z0_, (DX); \
	VMOVUPS Z1_, 64(DX); \
	VMOVUPS Z2_, 128(DX); \
	VMOVUPS Z3_, 192(DX)

// func kern3x64ind(k int, a *float32, offs *int64, base, c *float32, ldc int)
//
// The 3×64 tile for convolutions with at most three output channels (an
// RGB output layer), B read in place as in kern12x32ind.
TEXT ·kern3x64ind(SB), NOSPLIT, $0-48
	INDARGS
	ZERO24
	MOVQ CX, R9
	SHRQ $1, R9
	ANDQ $1, CX
	TESTQ R9, R9
	JZ tail3x64

loop3x64:
	STEP3X64(0, 0)
	STEP3X64(12, 8)
	ADDQ $24, SI
	ADDQ $16, DI
	DECQ R9
	JNZ loop3x64

tail3x64:
	TESTQ CX, CX
	JZ done3x64
	STEP3X64(0, 0)

done3x64:
	ADDROW64(Z0, Z1, Z2, Z3)
	ADDQ R8, DX
	ADDROW64(Z4, Z5, Z6, Z7)
	ADDQ R8, DX
	ADDROW64(Z8, Z9, Z10, Z11)
	VZEROUPPER
	RET

// func kern4x64ind(k int, a *float32, offs *int64, base, c *float32, ldc int)
//
// The 4×64 tile for the last rows of a convolution whose output channels
// leave a remainder of four after the 12-row tiles (64, 256), B read in
// place as in kern12x32ind.
TEXT ·kern4x64ind(SB), NOSPLIT, $0-48
	INDARGS
	ZERO24
	MOVQ CX, R9
	SHRQ $1, R9
	ANDQ $1, CX
	TESTQ R9, R9
	JZ tail4x64

loop4x64:
	STEP4X64(0, 0)
	STEP4X64(16, 8)
	ADDQ $32, SI
	ADDQ $16, DI
	DECQ R9
	JNZ loop4x64

tail4x64:
	TESTQ CX, CX
	JZ done4x64
	STEP4X64(0, 0)

done4x64:
	ADDROW64(Z0, Z1, Z2, Z3)
	ADDQ R8, DX
	ADDROW64(Z4, Z5, Z6, Z7)
	ADDQ R8, DX
	ADDROW64(Z8, Z9, Z10, Z11)
	ADDQ R8, DX
	ADDROW64(Z12, Z13, Z14, Z15)
	VZEROUPPER
	RET
