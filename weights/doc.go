// Package weights reads and writes named tensors on disk: safetensors files
// (read F32, F16, BF16, I64; write F32) and PyTorch .pth/.pt checkpoints
// (a zip of a pickled state dict plus raw storages). Both come into the same
// name → tensor map, so that official weights load into i2i modules by their
// state_dict keys.
//
// Damaged input never panics: a truncated file, a bad header, a shape that
// disagrees with its bytes or an unsupported dtype is an error naming the
// file and the tensor. Writes are atomic (temporary file, fsync, rename).
package weights
