package report

import "strconv"

func fmtf(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
