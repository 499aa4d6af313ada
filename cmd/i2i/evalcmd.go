package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"i2i/data"
	"i2i/train"
)

func evalCmd() *cobra.Command {
	var (
		run, dataDir, split, from, to  string
		asJSON, quiet, boxes, refStyle bool
		seed                           uint64
		limit                          int
	)
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Score a trained model against paired ground truth (synthetic scenes) and two baselines",
		Long: `Translate the --split images of the run's source domain and compare each with the render of
the same scene in the target domain: L1, PSNR and SSIM over the whole image and inside the boxes
of each class (car, person, sign), at the model's training side. The same numbers are computed for
two baselines: identity (the input unchanged) and global colour transfer (per-channel mean and
standard deviation matched to the target domain's training images).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if run == "" || dataDir == "" {
				return fmt.Errorf("--run RUN and --data DIR are required")
			}
			if limit < 0 {
				return fmt.Errorf("--limit %d is negative", limit)
			}
			m, ck, err := train.Open(run)
			if err != nil {
				return err
			}
			ds, err := data.Open(dataDir, data.OpenOptions{})
			if err != nil {
				return err
			}
			cfg := ck.Config
			if from != "" {
				cfg.From = from
			}
			if to != "" {
				cfg.To = to
			}
			j := &evalJob{model: m, cfg: cfg, ds: ds, split: split, seed: seed, limit: limit, boxes: boxes, refStyle: refStyle}
			if !quiet {
				j.progress = cmd.ErrOrStderr()
			}
			rep, err := j.run()
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s, %s → %s, %d %s images at %d px (checkpoint step %d)\n",
				cfg.Model, cfg.From, cfg.To, rep.Images, split, cfg.Size, ck.Step)
			rep.WriteTable(cmd.OutOrStdout())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&run, "run", "", "run directory or checkpoint file")
	f.StringVar(&dataDir, "data", "", "synthetic data set with paired renders")
	f.StringVar(&split, "split", "test", "split to evaluate")
	f.StringVar(&from, "from", "", "source domain (default: the run's)")
	f.StringVar(&to, "to", "", "target domain (default: the run's)")
	f.BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	f.Uint64Var(&seed, "seed", 1, "seed of the random styles")
	f.IntVar(&limit, "limit", 0, "evaluate at most N images (0: all)")
	f.BoolVar(&refStyle, "ref-style", false, "multimodal models: take each style from a random target-domain training image (StyleEncoder) instead of a random code")
	f.BoolVar(&boxes, "boxes", false, "give box-aware models (InstaFormer) the source image's boxes, as in training")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	return cmd
}
