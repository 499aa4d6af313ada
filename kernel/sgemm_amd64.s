#include "textflag.h"

// One rank-1 update of the 6×16 accumulator tile Y0..Y11: load a row of the
// packed B sliver (16 floats at OB(DI)), broadcast the 6 values of a column
// of the packed A sliver (at OA(SI)) and multiply-add.
#define STEP(OA, OB) \
	VMOVUPS OB(DI), Y12; \
	VMOVUPS (OB+32)(DI), Y13; \
	VBROADCASTSS OA(SI), Y14; \
	VBROADCASTSS (OA+4)(SI), Y15; \
	VFMADD231PS Y12, Y14, Y0; \
	VFMADD231PS Y13, Y14, Y1; \
	VFMADD231PS Y12, Y15, Y2; \
	VFMADD231PS Y13, Y15, Y3; \
	VBROADCASTSS (OA+8)(SI), Y14; \
	VBROADCASTSS (OA+12)(SI), Y15; \
	VFMADD231PS Y12, Y14, Y4; \
	VFMADD231PS Y13, Y14, Y5; \
	VFMADD231PS Y12, Y15, Y6; \
	VFMADD231PS Y13, Y15, Y7; \
	VBROADCASTSS (OA+16)(SI), Y14; \
	VBROADCASTSS (OA+20)(SI), Y15; \
	VFMADD231PS Y12, Y14, Y8; \
	VFMADD231PS Y13, Y14, Y9; \
	VFMADD231PS Y12, Y15, Y10; \
	VFMADD231PS Y13, Y15, Y11

// Add two accumulators to one row of C at DX, then step DX to the next row.
#define STORE(R0, R1) \
	VADDPS (DX), R0, R0; \
	VADDPS 32(DX), R1, R1; \
	VMOVUPS R0, (DX); \
	VMOVUPS R1, 32(DX); \
	ADDQ R8, DX

// func kern6x16(k int, a, b, c *float32, ldc int)
TEXT ·kern6x16(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	MOVQ CX, R9
	SHRQ $2, R9
	ANDQ $3, CX
	TESTQ R9, R9
	JZ tail

loop4:
	PREFETCHT0 512(DI)
	STEP(0, 0)
	STEP(24, 64)
	PREFETCHT0 576(DI)
	STEP(48, 128)
	STEP(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	DECQ R9
	JNZ loop4

tail:
	TESTQ CX, CX
	JZ done

loop1:
	STEP(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop1

done:
	STORE(Y0, Y1)
	STORE(Y2, Y3)
	STORE(Y4, Y5)
	STORE(Y6, Y7)
	STORE(Y8, Y9)
	STORE(Y10, Y11)
	VZEROUPPER
	RET
