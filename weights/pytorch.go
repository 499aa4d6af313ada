package weights

import "fmt"

// ParsePyTorch reads a zip-format PyTorch checkpoint (placeholder until the
// pickle reader lands).
func ParsePyTorch(path string, raw []byte) (*File, error) {
	return nil, fmt.Errorf("%s: PyTorch checkpoints are not supported yet", path)
}
