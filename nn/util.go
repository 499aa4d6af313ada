package nn

import "math"

func sqrt64(v float64) float64 { return math.Sqrt(v) }
