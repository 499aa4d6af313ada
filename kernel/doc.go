// Package kernel holds the engine's hot loops: single-precision matrix
// multiplication (SGEMM) with packing, cache blocking and micro-kernels
// written in Go assembly (AVX-512 12×32 or AVX2+FMA 6×16); convolutions as
// matrix products whose im2col operand is read in place from a padded image
// (convimage.go) — indirect B for forward passes and input gradients
// (convindirect.go), indirect A and a dot-product kernel for weight
// gradients (convweight.go, convdot.go) — with packing and col2im where those
// do not apply (convgemm.go, im2col.go), the left operand packed once per
// product and shared by the workers (packa.go); Winograd's F(2×2, 3×3) for
// 3×3 unit-stride convolutions with many channels, forward and input
// gradient (winograd.go), weight gradient (winogradw.go), with what they
// share in winoprep.go and their element-wise transforms in winovec.go; the
// float64 sums of the norms (reduce.go) and Adam's update (adam.go) in
// vector registers; a helper that spreads loops over the machine's cores;
// and a pool of float buffers that survives garbage collections
// (bufpool.go).
//
// The assembly path is chosen at run time with golang.org/x/sys/cpu; a
// pure-Go fallback computes the same thing on every other CPU and can be
// forced by setting I2I_NOASM=1 in the environment.
//
// Nothing here knows about tensors, gradients or neural networks: every
// function takes plain float32 slices with explicit sizes and strides.
package kernel
