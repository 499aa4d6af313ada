package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The float64 reductions agree with plain loops on both paths, for lengths
// around the assembly's group sizes.
func TestReductionsMatchLoops(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(4, 2))
		for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 33, 1000} {
			v, g, y := randSlice(r, n), randSlice(r, n), randSlice(r, n)
			for i := range y {
				if i%3 == 0 {
					y[i] = 0
				}
				y[i] = float32(math.Abs(float64(y[i])))
			}
			var s, sq, a, b, ap, bp float64
			m := 0.3
			for i := range v {
				s += float64(v[i])
				sq += (float64(v[i]) - m) * (float64(v[i]) - m)
				a += float64(g[i])
				b += float64(g[i]) * float64(y[i])
				if y[i] > 0 {
					ap += float64(g[i])
					bp += float64(g[i]) * float64(y[i])
				}
			}
			ga, gb := SumDot64(g, y, false)
			pa, pb := SumDot64(g, y, true)
			for _, c := range [][3]float64{{Sum64(v), s, 0}, {SqDev64(v, m), sq, 1}, {ga, a, 2}, {gb, b, 3}, {pa, ap, 4}, {pb, bp, 5}} {
				if math.Abs(c[0]-c[1]) > 1e-12*(1+math.Abs(c[1])) {
					t.Fatalf("n %d, sum %v: %v, want %v", n, c[2], c[0], c[1])
				}
			}
		}
	})
}
