// Package eval scores translations against paired ground truth, which the
// synthetic scenes provide: every scene is rendered in every domain with the
// same boxes. It measures L1, PSNR and SSIM over the whole image and inside
// the boxes of each class, and builds the two baselines a translation must
// beat: the identity (the input unchanged) and a global colour transfer
// (per-channel mean and standard deviation matched to the target domain).
package eval
