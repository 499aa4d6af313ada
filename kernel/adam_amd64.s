#include "textflag.h"

// func adamAsm(n int, d, gr, m, v *float32, k *AdamConsts)
// The Adam update of adam.go on the first n&^7 elements, eight at a time,
// with the same roundings as the scalar loop: no fused multiply-adds.
TEXT ·adamAsm(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ d+8(FP), DI
	MOVQ gr+16(FP), SI
	MOVQ m+24(FP), DX
	MOVQ v+32(FP), BX
	MOVQ k+40(FP), AX
	VBROADCASTSS 0(AX), Y8   // Beta1
	VBROADCASTSS 4(AX), Y9   // 1 − Beta1
	VBROADCASTSS 8(AX), Y10  // Beta2
	VBROADCASTSS 12(AX), Y11 // 1 − Beta2
	VBROADCASTSS 16(AX), Y12 // sqrt of the second bias correction
	VBROADCASTSS 20(AX), Y13 // Eps
	VBROADCASTSS 24(AX), Y14 // step size
	SHRQ $3, CX
	JZ done

loop:
	VMOVUPS (SI), Y0         // g
	VMULPS (DX), Y8, Y1      // m·b1
	VMULPS Y0, Y9, Y2        // g·c1
	VADDPS Y2, Y1, Y1        // m
	VMOVUPS Y1, (DX)
	VMULPS (BX), Y10, Y3     // v·b2
	VMULPS Y0, Y0, Y4        // g·g
	VMULPS Y11, Y4, Y4       // ·c2
	VADDPS Y4, Y3, Y3        // v
	VMOVUPS Y3, (BX)
	VSQRTPS Y3, Y3
	VDIVPS Y12, Y3, Y3       // sqrt(v)/bc2
	VADDPS Y13, Y3, Y3       // + eps
	VDIVPS Y3, Y1, Y1        // m/denom
	VMULPS Y14, Y1, Y1       // ·step size
	VMOVUPS (DI), Y5
	VSUBPS Y1, Y5, Y5
	VMOVUPS Y5, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, BX
	ADDQ $32, DI
	DECQ CX
	JNZ loop

done:
	VZEROUPPER
	RET
