// Package parity holds the tests that rebuild every reference fixture of
// ../shared/fixtures from its stored config and compare the engine's
// outputs, gradients and state with PyTorch's at the fixture's tolerance.
package parity
