package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"i2i/data"
)

func dataCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "data", Short: "Convert data sets between formats and print statistics"}
	var open data.OpenOptions
	var classMap string
	addOpen := func(c *cobra.Command) {
		f := c.Flags()
		f.StringVar(&open.Format, "from", "", "input format: "+strings.Join(data.Formats, ", ")+" (default: detect)")
		f.StringVar(&classMap, "class-map", "", `extra COCO/KITTI category mapping, e.g. "truck=car,stop sign=sign"`)
		f.StringVar(&open.Domain, "domain", "", "domain of COCO/KITTI images (default: the format name)")
		f.StringVar(&open.Split, "split", "", "split of COCO/KITTI images (default: train)")
		f.StringVar(&open.Images, "images", "", "COCO image folder (default: the JSON file's folder)")
	}
	load := func(path string) (*data.Dataset, error) {
		if classMap != "" {
			base := data.DefaultCOCOMap
			if open.Format == data.FormatKITTI {
				base = data.DefaultKITTIMap
			}
			m, err := data.ParseClassMap(classMap, base)
			if err != nil {
				return nil, err
			}
			open.ClassMap = m
		}
		return data.Open(path, open)
	}

	var in, out, to, size string
	convert := &cobra.Command{
		Use:   "convert --in PATH --to FORMAT --out DIR",
		Short: "Convert a data set (INIT, MGUIT, InstaFormer, COCO, KITTI, folders) to INIT, MGUIT, InstaFormer, COCO or KITTI",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in == "" || out == "" || to == "" {
				return fmt.Errorf("--in, --to and --out are required")
			}
			ds, err := load(in)
			if err != nil {
				return err
			}
			wo := data.WriteOptions{Format: to}
			if size != "" {
				if wo.W, wo.H, err = parseSize(size); err != nil {
					return err
				}
			}
			res, err := data.Write(ds, out, wo)
			if err != nil {
				return err
			}
			nb := 0
			for _, s := range res.Samples {
				nb += len(s.Boxes)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d images with %d boxes to %s (%s)\n", len(res.Samples), nb, out, to)
			return nil
		},
	}
	addOpen(convert)
	convert.Flags().StringVar(&in, "in", "", "input data set directory (or COCO .json file)")
	convert.Flags().StringVar(&to, "to", "", "output format: init, mguit, instaformer, coco, kitti")
	convert.Flags().StringVar(&out, "out", "", "output directory")
	convert.Flags().StringVar(&size, "size", "", "resize images to WIDTHxHEIGHT, scaling boxes (MGUIT expects 572x360)")

	var check, strict bool
	stats := &cobra.Command{
		Use:   "stats PATH",
		Short: "Count images and boxes per domain, split and class, with box-size histograms",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := load(args[0])
			if err != nil {
				return err
			}
			data.PrintStats(cmd.OutOrStdout(), data.Stats(ds))
			if !check && !strict {
				return nil
			}
			bad := 0
			for _, s := range ds.Samples {
				if _, err := data.ReadImage(ds.Abs(s)); err != nil {
					if strict {
						return err
					}
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), "warning: skipping unreadable image:", err)
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n%d of %d images decode; %d unreadable\n", len(ds.Samples)-bad, len(ds.Samples), bad)
			return nil
		},
	}
	addOpen(stats)
	stats.Flags().BoolVar(&check, "check", false, "decode every image and count the unreadable ones")
	stats.Flags().BoolVar(&strict, "strict", false, "with --check: an unreadable image is an error")
	cmd.AddCommand(convert, stats)
	return cmd
}
