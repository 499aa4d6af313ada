package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"i2i/tensor"
	"i2i/train"
	"i2i/weights"
)

func weightsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "weights", Short: "Inspect and convert weight files (.safetensors, .pth, .pt)"}
	cmd.AddCommand(&cobra.Command{
		Use:   "ls FILE",
		Short: "List the tensors of a weights file: name, dtype, shape",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := weights.Load(args[0])
			if err != nil {
				return err
			}
			total := 0
			for _, n := range f.Names() {
				e := f.Tensors[n]
				count := 1
				for _, d := range e.Shape {
					count *= d
				}
				total += count
				fmt.Fprintf(cmd.OutOrStdout(), "%-60s %-5s %v\n", n, e.DType, e.Shape)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d tensors, %d values\n", len(f.Tensors), total)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "convert IN OUT.safetensors",
		Short: "Convert a PyTorch state dict (or any readable weights file) to float32 safetensors",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := weights.Load(args[0])
			if err != nil {
				return err
			}
			ts := map[string]*tensor.Tensor{}
			for n, e := range f.Tensors {
				ts[n] = e.Tensor()
			}
			if err := weights.WriteSafetensors(args[1], ts, f.Metadata); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d tensors to %s\n", len(ts), args[1])
			return nil
		},
	})
	cmd.AddCommand(importCmd())
	return cmd
}

func importCmd() *cobra.Command {
	var model, configFile, out string
	var size int
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Load a reference model's per-module checkpoints by name into an i2i checkpoint",
		Long: `Build a model from its config and load the reference implementation's checkpoint files
into it by state_dict name: InstaFormer's ContentEncoder.pth, StyleEncoder.pth, Transformer.pth,
MLP_Adain.pth, Decoder.pth (and Discrim.pth, MLP_head*.pth), or CUT/CycleGAN's <epoch>_net_G.pth
(net_D, net_F, net_G_A, …). DataParallel's "module." prefix is stripped. Every module file must match
the model exactly; the result translates with i2i translate --weights OUT.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("--out FILE is required")
			}
			c, err := train.DefaultConfig(model, size)
			if err != nil {
				return err
			}
			if configFile != "" {
				if c, err = train.ReadConfig(configFile, c); err != nil {
					return err
				}
			}
			mods, err := train.Import(c, args, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "loaded %v into %s\n", mods, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&model, "model", "instaformer", "instaformer, cut, fastcut or cyclegan")
	cmd.Flags().IntVar(&size, "size", 352, "the model's image side (InstaFormer's positional codes depend on it)")
	cmd.Flags().StringVar(&configFile, "config", "", "JSON config with the model's widths (defaults: the reference's)")
	cmd.Flags().StringVar(&out, "out", "", "i2i checkpoint to write")
	return cmd
}
