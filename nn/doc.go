// Package nn builds networks out of the tensor engine: a Module tree whose
// parameters and buffers carry the hierarchical names of PyTorch's
// state_dict() (so reference weights load by name), train/eval mode, the
// common layers (convolutions, linear, normalisations, activations, padding,
// resampling, attention), their PyTorch initialisers driven by an explicit
// seeded random source, and the losses shared by several papers (LSGAN,
// PatchNCE).
//
// Nothing here belongs to one paper: a model package assembles these pieces
// under the names its reference code uses.
package nn
