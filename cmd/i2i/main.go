// Command i2i is the toolkit's command line: benchmarks, weight files and,
// as the models land, training, translation and evaluation.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "i2i",
		Short:         "Instance-aware unpaired image-to-image translation on the CPU",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(benchCmd(), weightsCmd(), synthCmd(), dataCmd(), trainCmd(), translateCmd(), evalCmd(), demoCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "i2i:", err)
		os.Exit(1)
	}
}
