// Package kernel holds the engine's hot loops: single-precision matrix
// multiplication (SGEMM) with packing, cache blocking and an AVX2+FMA
// micro-kernel written in Go assembly (AVX-512 or AVX2+FMA), the implicit-GEMM
// packing and col2im transform that turn convolutions into matrix products, and a small helper that spreads loops
// over the machine's cores.
//
// The assembly path is chosen at run time with golang.org/x/sys/cpu; a
// pure-Go fallback computes the same thing on every other CPU and can be
// forced by setting I2I_NOASM=1 in the environment.
//
// Nothing here knows about tensors, gradients or neural networks: every
// function takes plain float32 slices with explicit sizes and strides.
package kernel
