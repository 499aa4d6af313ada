package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"i2i/data"
	"i2i/data/synth"
	"i2i/eval"
	"i2i/report"
	"i2i/train"
)

// demoPlan is the size of a demo: the data set and the model.
type demoPlan struct {
	scenes, size, steps int
	cfg                 func(*train.Config)
}

var (
	// The full demo: about 3 minutes on a 2-core machine. Two choices
	// differ from the reference configuration: the generator's weights are
	// averaged (EMA 0.999) for the translations, which smooths the
	// oscillation of such a short GAN run, and the adversarial loss weighs 4
	// instead of 1, without which the short run renders night cars too dark
	// (their lights' glare is most of a night car box; README, "The demo and
	// what it shows"). The other loss weights are the reference's.
	fullDemo = demoPlan{scenes: 600, size: 96, steps: 1200, cfg: func(c *train.Config) {
		ic := c.InstaFormer
		ic.NGF, ic.Embed, ic.Depth, ic.Heads, ic.FFDim, ic.MLPDim = 8, 512, 2, 4, 512, 64
		ic.NDF, ic.HeadNC, ic.InstHeadNC, ic.NumPatches, ic.NumBox = 16, 64, 32, 64, 8
		ic.WGAN = 4
		c.EMA = 0.999
	}}
	// The smoke version (--quick): well under a minute.
	quickDemo = demoPlan{scenes: 24, size: 64, steps: 60, cfg: func(c *train.Config) {
		ic := c.InstaFormer
		ic.NGF, ic.Embed, ic.Depth, ic.Heads, ic.FFDim, ic.MLPDim = 8, 64, 1, 2, 128, 32
		ic.NDF, ic.HeadNC, ic.InstHeadNC, ic.NumPatches, ic.NumBox = 8, 32, 16, 32, 8
	}}
)

func demoCmd() *cobra.Command {
	var (
		out   string
		quick bool
		steps int
		seed  uint64
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Render sunny/night scenes, train a small InstaFormer, translate, evaluate, write report.html",
		Long: `The whole path in one command, on the CPU: render a small synthetic sunny/night data set
(OUT/data), train a reduced-width InstaFormer on it with a progress bar (OUT/run; run the demo
again to reuse or continue it), translate the test split (OUT/translations), score it against the
ground-truth night renders and two baselines, and write OUT/report.html with image grids, the
evaluation table and the loss curves. About 3 minutes on 2 cores; --quick is a few-second smoke run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			plan := fullDemo
			if quick {
				plan = quickDemo
			}
			if cmd.Flags().Changed("steps") {
				if steps < 1 || steps > 1_000_000 {
					return fmt.Errorf("--steps %d out of range 1…1000000", steps)
				}
				plan.steps = steps
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runDemo(ctx, cmd, out, plan, seed)
		},
	}
	cmd.Flags().StringVar(&out, "out", "demo", "output directory")
	cmd.Flags().BoolVar(&quick, "quick", false, "a one-minute smoke version (tiny data and model)")
	cmd.Flags().IntVar(&steps, "steps", 0, "training steps (default: 1200, or 60 with --quick)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the data, the weights and every draw")
	return cmd
}

func runDemo(ctx context.Context, cmd *cobra.Command, out string, plan demoPlan, seed uint64) error {
	w, logw := cmd.OutOrStdout(), cmd.ErrOrStderr()
	t0 := time.Now()
	dataDir := filepath.Join(out, "data")
	if _, err := os.Stat(filepath.Join(dataDir, "manifest.json")); err != nil {
		fmt.Fprintf(w, "1/4 rendering %d sunny/night scenes at %d px into %s\n", plan.scenes, plan.size, dataDir)
		if _, err := synth.Generate(synth.Options{Out: dataDir, N: plan.scenes, W: plan.size, H: plan.size,
			Domains: []string{"sunny", "night"}, Seed: seed, TestFrac: 0.1}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "1/4 using the scenes in %s\n", dataDir)
	}

	runDir := filepath.Join(out, "run")
	c, err := train.DefaultConfig("instaformer", plan.size)
	if err != nil {
		return err
	}
	plan.cfg(&c)
	c.Data, c.Seed, c.Steps, c.Batch = dataDir, seed, plan.steps, 1
	c.SampleEvery, c.CheckpointEvery, c.Keep = max(plan.steps/10, 1), max(plan.steps/4, 1), 2
	opts := train.Options{Out: runDir, Progress: logw, Log: logw}
	if cks, _ := train.Checkpoints(runDir); len(cks) > 0 {
		opts.Resume, opts.Steps = true, plan.steps
		fmt.Fprintf(w, "2/4 continuing the InstaFormer run in %s\n", runDir)
	} else {
		fmt.Fprintf(w, "2/4 training InstaFormer (%d steps at %d px) into %s\n", plan.steps, plan.size, runDir)
	}
	t1 := time.Now()
	if _, err := train.Run(ctx, c, opts); err != nil {
		if errors.Is(err, train.ErrInterrupted) {
			fmt.Fprintf(logw, "%v; run the demo again to continue\n", err)
			return nil
		}
		return err
	}
	trainTime := time.Since(t1)

	m, ck, err := train.Open(runDir)
	if err != nil {
		return err
	}
	ds, err := data.Open(dataDir, data.OpenOptions{})
	if err != nil {
		return err
	}
	trDir := filepath.Join(out, "translations")
	if err := os.MkdirAll(trDir, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(w, "3/4 translating and evaluating the test split into %s\n", trDir)
	job := &evalJob{model: m, cfg: ck.Config, ds: ds, split: "test", seed: seed, saveDir: trDir, progress: logw}
	rep, err := job.run()
	if err != nil {
		return err
	}
	rep.WriteTable(w)

	fmt.Fprintln(w, "4/4 writing the report")
	grid, err := demoGrid(out, ds, ck.Config, trDir, 6)
	if err != nil {
		return err
	}
	metrics, err := train.ReadMetrics(runDir)
	if err != nil {
		return err
	}
	ic := ck.Config.InstaFormer
	page := report.Page{
		Title: "i2i demo: InstaFormer, sunny → night",
		Summary: []string{
			fmt.Sprintf("Data: %s, %d synthetic scenes rendered sunny and night at %d px (test split: %d pairs).", dataDir, plan.scenes, plan.size, rep.Images),
			fmt.Sprintf("Model: InstaFormer, ngf %d, embed %d, depth %d, heads %d, FF %d, %d box slots; batch %d; loss weights GAN %g, recon %g, style %g, NCE %g, instance NCE %g.",
				ic.NGF, ic.Embed, ic.Depth, ic.Heads, ic.FFDim, ic.NumBox, ck.Config.Batch, ic.WGAN, ic.WRecon, ic.WStyle, ic.WNCE, ic.WInstNCE) + emaNote(ck.Config.EMA),
			fmt.Sprintf("Training: %d steps (this invocation trained for %s); checkpoint %s.", ck.Step, trainTime.Round(time.Second), ck.Path),
			fmt.Sprintf("Samples during training: %s.", filepath.Join(runDir, "samples")),
		},
		Grid: filepath.Base(grid), GridW: 2 * (3*ck.Config.Size + 8), Eval: rep, Metrics: metrics, Notes: verdict(rep),
	}
	path, err := report.Write(out, page)
	if err != nil {
		return err
	}
	for _, n := range page.Notes {
		fmt.Fprintln(w, n)
	}
	fmt.Fprintf(w, "report: %s (total %s)\n", path, time.Since(t0).Round(time.Second))
	return nil
}

func emaNote(d float64) string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf(" Translations use the moving average of the generator's weights (decay %g).", d)
}

// verdict says whether the model beats both baselines on whole-image L1
// and on L1 inside car boxes.
func verdict(r *eval.Report) []string {
	var out []string
	for _, reg := range []string{"image", "car"} {
		if r.Counts[reg] == 0 {
			continue
		}
		m := r.Scores[methodModel][reg].L1
		id, col := r.Scores[methodIdentity][reg].L1, r.Scores[methodColour][reg].L1
		word := "beats"
		if m >= id || m >= col {
			word = "does not beat"
		}
		out = append(out, fmt.Sprintf("L1 (%s): InstaFormer %.4f %s both baselines (identity %.4f, colour transfer %.4f).", reg, m, word, id, col))
	}
	return out
}

// demoGrid writes OUT/grid.png: up to n test rows of input | translation |
// ground truth.
func demoGrid(out string, ds *data.Dataset, c train.Config, trDir string, n int) (string, error) {
	src := ds.Select(c.From, "test")
	gt := map[string]data.Sample{}
	for _, s := range ds.Select(c.To, "test") {
		gt[s.Stem()] = s
	}
	sz := c.Size
	var rows [][3]image.Image
	for _, s := range src {
		g, ok := gt[s.Stem()]
		if !ok {
			continue
		}
		var imgs [3]image.Image
		for i, p := range []string{ds.Abs(s), filepath.Join(trDir, s.Stem()+".png"), ds.Abs(g)} {
			img, err := data.ReadImage(p)
			if err != nil {
				return "", err
			}
			imgs[i] = data.ResizeImage(img, sz, sz)
		}
		rows = append(rows, imgs)
		if len(rows) == n {
			break
		}
	}
	grid := image.NewRGBA(image.Rect(0, 0, 3*sz+8, len(rows)*(sz+4)))
	draw.Draw(grid, grid.Bounds(), image.White, image.Point{}, draw.Src)
	for r, imgs := range rows {
		for c, img := range imgs {
			x, y := c*(sz+4), r*(sz+4)
			draw.Draw(grid, image.Rect(x, y, x+sz, y+sz), img, image.Point{}, draw.Src)
		}
	}
	path := filepath.Join(out, "grid.png")
	return path, data.WritePNG(path, grid)
}
