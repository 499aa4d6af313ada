package report

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
)

// LossPlot draws one small chart per loss term of the metrics records
// (step → value), each with its own y-range and a moving average over
// window steps on top of the raw values.
func LossPlot(records []map[string]float64, window int) template.HTML {
	skip := map[string]bool{"step": true, "epoch": true, "lr": true, "step_s": true}
	var names []string
	if len(records) > 0 {
		for k := range records[0] {
			if !skip[k] {
				names = append(names, k)
			}
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`<div class="plots">`)
	for _, n := range names {
		b.WriteString(chart(n, records, window))
	}
	b.WriteString(`</div>`)
	return template.HTML(b.String())
}

// chart is one 300×160 SVG line chart.
func chart(name string, recs []map[string]float64, window int) string {
	const w, h, ml, mr, mt, mb = 300.0, 160.0, 44.0, 8.0, 20.0, 22.0
	var xs, ys []float64
	for _, r := range recs {
		if v, ok := r[name]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			xs, ys = append(xs, r["step"]), append(ys, v)
		}
	}
	if len(xs) == 0 {
		return ""
	}
	avg := movingAverage(ys, window)
	// The y-range covers the 1st to 99th percentile of the raw values plus
	// the whole average, so the first steps' spike does not flatten the rest.
	lo, hi := percentile(ys, 0.01), percentile(ys, 0.99)
	alo, ahi := minMax(avg[min(len(avg)-1, len(avg)/20):])
	lo, hi = math.Min(lo, alo), math.Max(hi, ahi)
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	x0, x1 := xs[0], xs[len(xs)-1]
	if x1 == x0 {
		x1 = x0 + 1
	}
	px := func(x float64) float64 { return ml + (x-x0)/(x1-x0)*(w-ml-mr) }
	py := func(y float64) float64 { return mt + (hi-math.Max(lo, math.Min(hi, y)))/(hi-lo)*(h-mt-mb) }
	path := func(vs []float64) string {
		var s strings.Builder
		for i, v := range vs {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&s, "%s%.1f %.1f", cmd, px(xs[i]), py(v))
		}
		return s.String()
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`, w, h, w, h, template.HTMLEscapeString(name))
	fmt.Fprintf(&s, `<text x="%g" y="14" class="title">%s</text>`, ml, template.HTMLEscapeString(name))
	fmt.Fprintf(&s, `<rect x="%g" y="%g" width="%g" height="%g" class="frame"/>`, ml, mt, w-ml-mr, h-mt-mb)
	for _, v := range []float64{lo, (lo + hi) / 2, hi} {
		fmt.Fprintf(&s, `<text x="%g" y="%.1f" class="tick" text-anchor="end">%s</text>`, ml-4, py(v)+3, short(v))
	}
	fmt.Fprintf(&s, `<text x="%g" y="%g" class="tick">%g</text>`, ml, h-6, x0)
	fmt.Fprintf(&s, `<text x="%g" y="%g" class="tick" text-anchor="end">step %g</text>`, w-mr, h-6, x1)
	fmt.Fprintf(&s, `<path d="%s" class="raw"/>`, path(ys))
	fmt.Fprintf(&s, `<path d="%s" class="avg"/>`, path(avg))
	s.WriteString(`</svg>`)
	return s.String()
}

func movingAverage(v []float64, window int) []float64 {
	out := make([]float64, len(v))
	var sum float64
	for i, x := range v {
		sum += x
		if i >= window {
			sum -= v[i-window]
		}
		out[i] = sum / float64(min(i+1, window))
	}
	return out
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return
}

func short(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}

// percentile returns the q-quantile of v (nearest rank).
func percentile(v []float64, q float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
