package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"i2i/bench"
)

func benchCmd() *cobra.Command {
	var (
		asJSON  bool
		only    string
		reps    int
		threads int
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Time SGEMM, convolution and a generator training step (keys as ../shared/bench)",
		Long: `bench times the workloads of ../shared/bench/README.md and prints one line per key,
or one JSON object with --json, with the same keys as the PyTorch peer script
(peer_torch.py), so that both can be compared side by side in one run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if reps < 1 || reps > 1000 {
				return fmt.Errorf("--reps must be between 1 and 1000, got %d", reps)
			}
			if threads < 0 || threads > 1024 {
				return fmt.Errorf("--threads must be between 0 and 1024, got %d", threads)
			}
			var groups []string
			if only != "" {
				groups = strings.Split(only, ",")
			}
			res, err := bench.Run(bench.Options{Only: groups, Reps: reps, Threads: threads})
			if err != nil {
				return err
			}
			if asJSON {
				b, _ := json.Marshal(res)
				fmt.Fprintln(cmd.OutOrStdout(), string(b))
				return nil
			}
			keys := make([]string, 0, len(res))
			for k := range res {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(cmd.OutOrStdout(), "%-28s %v\n", k, res[k])
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&only, "only", "", "comma-separated groups: "+strings.Join(bench.Groups, ",")+" (default), "+strings.Join(bench.Extra, ","))
	cmd.Flags().IntVar(&reps, "reps", 10, "timed repetitions (the median is reported)")
	cmd.Flags().IntVar(&threads, "threads", 0, "worker goroutines (0: all cores)")
	return cmd
}
