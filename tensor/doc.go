// Package tensor is the engine's core: dense float32 tensors in row-major
// (NCHW) order and reverse-mode automatic differentiation over them.
//
// Every operation is a plain function that computes its result and, when any
// input requires a gradient and gradients are enabled, records a backward
// closure on the result. Backward walks the recorded graph from the outputs in
// reverse topological order, accumulates gradients into the leaves' Grad
// slices and frees the intermediate gradients and graph links as it goes, so a
// graph is used once, as in PyTorch. NoGrad runs a function without recording.
// Results of the common operations take their buffers from a pool, and
// Recycle hands a dead intermediate's buffer back (at once, or once backward
// has used it), so that a training step reuses the last one's memory.
//
// The operations cover what image-to-image translation networks need:
// broadcasting arithmetic, reductions, shape views, matrix products,
// convolutions (with im2col and the packed SGEMM of package kernel; nearest
// ×2 upsampling and a following convolution fused in upconv.go),
// normalisations, pooling, interpolation, RoIAlign, softmax and losses. Each
// file keeps an operation's forward and backward side by side.
package tensor
