package report

import (
	"bytes"
	"html/template"
	"path/filepath"

	"i2i/eval"
	"i2i/weights"
)

// Page is what the report shows.
type Page struct {
	Title   string
	Summary []string             // lines describing the run
	Grid    string               // image file of the input | translation | ground truth grid, relative to the report
	GridW   int                  // display width of the grid in CSS pixels (0: natural size)
	Eval    *eval.Report         // scores of the model and the baselines
	Metrics []map[string]float64 // metrics.jsonl records
	Notes   []string             // closing remarks (e.g. what beats what)
}

// Write renders the page to DIR/report.html atomically and returns its path.
func Write(dir string, p Page) (string, error) {
	var b bytes.Buffer
	err := page.Execute(&b, map[string]any{"P": p, "Plot": LossPlot(p.Metrics, 25), "Regions": eval.Regions,
		"Rows": rows(p.Eval)})
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "report.html")
	return path, weights.WriteFileAtomic(path, b.Bytes())
}

type row struct {
	Region, Method string
	S              eval.Scores
	N              int
	Best           [3]bool // lowest L1, highest PSNR, highest SSIM within the region
}

func rows(r *eval.Report) []row {
	if r == nil {
		return nil
	}
	var out []row
	for _, reg := range eval.Regions {
		if r.Counts[reg] == 0 {
			continue
		}
		start := len(out)
		for _, m := range r.Methods {
			out = append(out, row{Region: reg, Method: m, S: r.Scores[m][reg], N: r.Counts[reg]})
		}
		grp := out[start:]
		bi := [3]int{}
		for i, x := range grp {
			if x.S.L1 < grp[bi[0]].S.L1 {
				bi[0] = i
			}
			if x.S.PSNR > grp[bi[1]].S.PSNR {
				bi[1] = i
			}
			if x.S.SSIM > grp[bi[2]].S.SSIM {
				bi[2] = i
			}
		}
		for k, i := range bi {
			grp[i].Best[k] = true
		}
	}
	return out
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"f4": func(v float64) string { return template.HTMLEscapeString(fmtf(v, 4)) },
	"f2": func(v float64) string { return template.HTMLEscapeString(fmtf(v, 2)) },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.P.Title}}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse} td,th{padding:.25em .7em;text-align:right;border-bottom:1px solid #eee}
th:first-child,td:first-child,td:nth-child(2),th:nth-child(2){text-align:left}
.best{font-weight:700;color:#0a5} .grid img{max-width:100%;image-rendering:pixelated;border:1px solid #ccc}
.plots{display:flex;flex-wrap:wrap;gap:8px} .chart .frame{fill:none;stroke:#ccc}
.chart .raw{fill:none;stroke:#9ac;stroke-width:.7;opacity:.6} .chart .avg{fill:none;stroke:#c40;stroke-width:1.6}
.chart .title{font:600 12px sans-serif} .chart .tick{font:10px sans-serif;fill:#555}
</style></head><body>
<h1>{{.P.Title}}</h1>
<ul>{{range .P.Summary}}<li>{{.}}</li>{{end}}</ul>
{{if .P.Grid}}<h2>Test images: input | translation | ground truth</h2>
<div class="grid"><img src="{{.P.Grid}}"{{if .P.GridW}} width="{{.P.GridW}}"{{end}} alt="input, translation and ground truth of test images"></div>{{end}}
{{if .Rows}}<h2>Evaluation against the ground-truth renders</h2>
<p>L1 in [0, 1] pixel units (lower is better), PSNR in dB and SSIM (higher is better); "image" is the whole
image, the class rows are the pixels inside that class's boxes. Bold green marks the best method per region.</p>
<table><tr><th>region</th><th>method</th><th>L1</th><th>PSNR</th><th>SSIM</th><th>images</th></tr>
{{range .Rows}}<tr><td>{{.Region}}</td><td>{{.Method}}</td>
<td{{if index .Best 0}} class="best"{{end}}>{{f4 .S.L1}}</td><td{{if index .Best 1}} class="best"{{end}}>{{f2 .S.PSNR}}</td>
<td{{if index .Best 2}} class="best"{{end}}>{{f4 .S.SSIM}}</td><td>{{.N}}</td></tr>
{{end}}</table>{{end}}
{{range .P.Notes}}<p>{{.}}</p>{{end}}
{{if .P.Metrics}}<h2>Training losses</h2>
<p>Each loss term per step (thin) and its 25-step moving average (thick).</p>
{{.Plot}}{{end}}
</body></html>
`))
