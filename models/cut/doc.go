// Package cut is Contrastive Unpaired Translation (Park et al., ECCV 2020)
// as the official repository taesungp/contrastive-unpaired-translation does
// it (specs/cut.md): the ResNet generator with anti-aliased sampling, the
// PatchGAN discriminator, the patch-sampling MLP F and the multilayer
// PatchNCE loss, plus FastCUT (CUT without identity NCE, flip equivariance,
// λ_NCE 10) and the CycleGAN of the same repository as a baseline.
//
// InstaFormer reuses the discriminator, the patch sampler and the PatchNCE
// criterion from here, as its reference code copies them from CUT.
package cut
