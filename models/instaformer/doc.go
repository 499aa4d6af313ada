// Package instaformer is InstaFormer (Kim et al., CVPR 2022), instance-aware
// image-to-image translation with a transformer, as the official code
// KU-CVLAB/InstaFormer @47e7c07 does it (specs/instaformer.md).
//
// A content encoder turns the image into a C×h×h map; a patch embedding
// turns that map into tokens, and RoIAlign features of the instance boxes
// into one extra token each; a transformer whose layer norms are replaced by
// AdaIN (parameters from a mapping MLP of a random or encoded style code)
// mixes patch and instance tokens; a decoder paints the image back. Training
// adds an LSGAN PatchGAN, reconstruction and style-reconstruction L1 terms,
// a global PatchNCE over content-encoder layers and an instance-level NCE
// over the box features.
//
// Files follow the method: encoders.go (content, style, mapping MLP),
// aggregator.go (patch and box tokens, positional codes, the AdaIN
// transformer), decoder.go, model.go (the modules under their checkpoint
// names), loss.go (the training step).
package instaformer
