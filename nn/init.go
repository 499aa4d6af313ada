package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"i2i/tensor"
)

// Initialisers fill a tensor in place from an explicit random source, so
// that the same seed always builds the same network.

// fans returns PyTorch's fan_in and fan_out of a weight: dims 0 and 1 times
// the receptive field (the product of the remaining dims).
func fans(t *tensor.Tensor) (in, out int) {
	s := t.Shape()
	if len(s) < 2 {
		return s[0], s[0]
	}
	rf := 1
	for _, d := range s[2:] {
		rf *= d
	}
	return s[1] * rf, s[0] * rf
}

// InitNormal draws N(mean, std²) values (the "normal" init of CUT/MUNIT).
func InitNormal(t *tensor.Tensor, mean, std float64, rng *rand.Rand) {
	for i := range t.Data {
		t.Data[i] = float32(mean + std*rng.NormFloat64())
	}
}

// InitUniform draws U(lo, hi) values.
func InitUniform(t *tensor.Tensor, lo, hi float64, rng *rand.Rand) {
	for i := range t.Data {
		t.Data[i] = float32(lo + (hi-lo)*rng.Float64())
	}
}

// InitXavierNormal draws N(0, gain²·2/(fan_in+fan_out)).
func InitXavierNormal(t *tensor.Tensor, gain float64, rng *rand.Rand) {
	in, out := fans(t)
	InitNormal(t, 0, gain*math.Sqrt(2/float64(in+out)), rng)
}

// InitKaimingNormal draws N(0, 2/((1+a²)·fan_in)) (mode fan_in,
// leaky_relu gain), as torch.nn.init.kaiming_normal_(a=a).
func InitKaimingNormal(t *tensor.Tensor, a float64, rng *rand.Rand) {
	in, _ := fans(t)
	InitNormal(t, 0, math.Sqrt(2/((1+a*a)*float64(in))), rng)
}

// InitDefault applies PyTorch's default initialisation of Conv and Linear
// layers: weight ~ U(±1/sqrt(fan_in)) (kaiming_uniform with a = √5) and
// bias ~ U(±1/sqrt(fan_in)). bias may be nil.
func InitDefault(weight, bias *tensor.Tensor, rng *rand.Rand) {
	in, _ := fans(weight)
	bound := 1 / math.Sqrt(float64(in))
	InitUniform(weight, -bound, bound, rng)
	if bias != nil {
		InitUniform(bias, -bound, bound, rng)
	}
}

// InitNet re-initialises every weight of m as the reference repositories'
// init_net does: weights with two or more axes (Conv, ConvTranspose, Linear)
// get the named scheme ("normal": N(0, gain²); "xavier": xavier_normal with
// gain; "kaiming": kaiming_normal, a = 0), their biases 0, and 1-D weights
// (BatchNorm) N(1, gain²) with bias 0. Buffers are untouched.
func InitNet(m Module, kind string, gain float64, rng *rand.Rand) error {
	for _, n := range Walk(m) {
		if n.Buffer {
			continue
		}
		switch {
		case strings.HasSuffix(n.Name, "weight") && n.T.Dims() >= 2:
			switch kind {
			case "normal":
				InitNormal(n.T, 0, gain, rng)
			case "xavier":
				InitXavierNormal(n.T, gain, rng)
			case "kaiming":
				InitKaimingNormal(n.T, 0, rng)
			default:
				return fmt.Errorf("init: unknown scheme %q (normal, xavier, kaiming)", kind)
			}
		case strings.HasSuffix(n.Name, "weight"):
			InitNormal(n.T, 1, gain, rng)
		case strings.HasSuffix(n.Name, "bias"):
			clear(n.T.Data)
		}
	}
	return nil
}
