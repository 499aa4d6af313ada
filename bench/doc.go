// Package bench times the engine on the workloads defined in
// ../shared/bench/README.md (SGEMM, a 3×3 convolution forward and backward,
// and a training step of the "resgen" ResNet generator), reporting the same
// keys as the PyTorch peer script so that the two can be compared side by
// side in one run.
package bench
