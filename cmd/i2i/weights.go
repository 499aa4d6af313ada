package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"i2i/tensor"
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
	return cmd
}
