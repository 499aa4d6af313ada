// Package optim updates parameters from their gradients: Adam exactly as
// torch.optim.Adam in PyTorch 1.13 (weight decay coupled into the gradient),
// AdamW (decoupled decay), and learning-rate schedules (constant, linear
// decay to zero after N epochs, step decay). Optimiser state can be saved and
// restored for exact training resumes.
package optim
