package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"i2i/train"
)

func trainCmd() *cobra.Command {
	var (
		model, dataDir, from, to, out, configFile, resume string
		size, steps, batch, sampleEvery, ckEvery, keep    int
		workers                                           int
		seed                                              uint64
		quiet                                             bool
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train a translation model (instaformer, cut, fastcut, cyclegan) on an unpaired data set",
		Long: `Train a model from one domain of a data set to another. Every hyperparameter lives in one
config (defaults from the model's reference code; --config FILE overrides them, flags override
both) that is written to RUN/config.json with the seed. RUN receives checkpoints/ (atomic, the
last --keep kept), samples/ (input | three random styles | a target example) and metrics.jsonl
(every loss term per step). Ctrl-C writes a checkpoint before exiting; --resume RUN continues
exactly where it stopped. A NaN or Inf loss stops the run and keeps the last good checkpoint.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			opts := train.Options{Out: out, Log: cmd.ErrOrStderr()}
			if !quiet {
				opts.Progress = cmd.ErrOrStderr()
			}
			var c train.Config
			if resume != "" {
				if out != "" && out != resume {
					return fmt.Errorf("--resume continues RUN in place; drop --out or make it the same directory")
				}
				opts.Out, opts.Resume = resume, true
				if cmd.Flags().Changed("steps") {
					opts.Steps = steps // extend the run
				}
			} else {
				if out == "" || dataDir == "" {
					return fmt.Errorf("--out RUN and --data DIR are required (or --resume RUN)")
				}
				var err error
				if c, err = train.DefaultConfig(model, size); err != nil {
					return err
				}
				if configFile != "" {
					if c, err = train.ReadConfig(configFile, c); err != nil {
						return err
					}
				}
				f := cmd.Flags()
				c.Data = dataDir
				set := func(name string, apply func()) {
					if f.Changed(name) || configFile == "" {
						apply()
					}
				}
				set("from", func() { c.From = from })
				set("to", func() { c.To = to })
				// Explicit flags override the config file.
				for name, apply := range map[string]func(){
					"steps": func() { c.Steps = steps }, "batch": func() { c.Batch = batch },
					"seed": func() { c.Seed = seed }, "sample-every": func() { c.SampleEvery = sampleEvery },
					"checkpoint-every": func() { c.CheckpointEvery = ckEvery }, "keep": func() { c.Keep = keep },
					"workers": func() { c.Workers = workers },
				} {
					if f.Changed(name) {
						apply()
					}
				}
			}
			res, err := train.Run(ctx, c, opts)
			if errors.Is(err, train.ErrInterrupted) {
				fmt.Fprintf(cmd.ErrOrStderr(), "%v; continue with: i2i train --resume %s\n", err, opts.Out)
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "trained %d steps; checkpoint %s\n", res.Step, res.Checkpoint)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "instaformer", "instaformer, cut, fastcut or cyclegan")
	f.StringVar(&dataDir, "data", "", "data set directory (any format `i2i data stats` reads)")
	f.StringVar(&from, "from", "sunny", "source domain")
	f.StringVar(&to, "to", "night", "target domain")
	f.IntVar(&size, "size", 128, "training image side (InstaFormer: a multiple of 32)")
	f.StringVar(&out, "out", "", "run directory to create")
	f.StringVar(&configFile, "config", "", "JSON config over the model's defaults (see RUN/config.json of any run)")
	f.StringVar(&resume, "resume", "", "continue the run in this directory from its newest checkpoint")
	f.IntVar(&steps, "steps", 10000, "training iterations (with --resume: a new total, to extend a run)")
	f.IntVar(&batch, "batch", 1, "images per domain per step")
	f.Uint64Var(&seed, "seed", 1, "seed of every random draw")
	f.IntVar(&sampleEvery, "sample-every", 500, "write a sample grid every N steps (0: never)")
	f.IntVar(&ckEvery, "checkpoint-every", 1000, "checkpoint every N steps (0: only at the end)")
	f.IntVar(&keep, "keep", 3, "checkpoints to keep")
	f.IntVar(&workers, "workers", 0, "image decoding goroutines (0: one per core)")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	return cmd
}
