package data

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// The data set layouts that Open reads and Write writes.
const (
	FormatINIT        = "init"        // <domain>_<split>.txt INIT records at the root
	FormatMGUIT       = "mguit"       // label/<domain>_<split>/<stem>.txt
	FormatInstaFormer = "instaformer" // <domain>_<split>/<stem>.png + gt_box/<stem>.txt
	FormatCOCO        = "coco"        // an instances JSON file, images beside it
	FormatKITTI       = "kitti"       // label_2/<stem>.txt + image_2/<stem>.png
	FormatFolder      = "folder"      // trainA/, trainB/, testA/, testB/ without boxes
)

// Formats lists the layouts Open understands.
var Formats = []string{FormatINIT, FormatMGUIT, FormatInstaFormer, FormatCOCO, FormatKITTI, FormatFolder}

// Dataset is a set of samples whose image paths are relative to Root.
type Dataset struct {
	Root    string
	Samples []Sample
}

// OpenOptions say how to read a data set.
type OpenOptions struct {
	Format   string   // one of Formats; "" detects it
	ClassMap ClassMap // COCO and KITTI category mapping (their default when nil)
	Domain   string   // domain given to COCO and KITTI samples (default: the format's name)
	Split    string   // split given to COCO and KITTI samples (default "train")
	Images   string   // COCO: image folder (default: the JSON file's folder)
}

// Open reads the data set at path (a directory, or a COCO JSON file).
func Open(path string, o OpenOptions) (*Dataset, error) {
	if o.Format == "" {
		f, err := Detect(path)
		if err != nil {
			return nil, err
		}
		o.Format = f
	}
	if o.Split == "" {
		o.Split = "train"
	}
	if o.Domain == "" {
		o.Domain = o.Format
	}
	var ds *Dataset
	var err error
	switch o.Format {
	case FormatINIT:
		ds, err = openINIT(path)
	case FormatMGUIT:
		ds, err = openMGUIT(path)
	case FormatInstaFormer:
		ds, err = openInstaFormer(path)
	case FormatCOCO:
		ds, err = openCOCO(path, o)
	case FormatKITTI:
		ds, err = openKITTI(path, o)
	case FormatFolder:
		ds, err = openFolder(path)
	default:
		return nil, fmt.Errorf("unknown data format %q (known: %s)", o.Format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return nil, err
	}
	if len(ds.Samples) == 0 {
		return nil, fmt.Errorf("%s: no images found in the %s layout", path, o.Format)
	}
	return ds, nil
}

// Detect guesses the layout of the data set at path.
func Detect(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		if strings.HasSuffix(path, ".json") {
			return FormatCOCO, nil
		}
		return "", fmt.Errorf("%s: not a directory or COCO .json file", path)
	}
	has := func(p string) bool { _, err := os.Stat(filepath.Join(path, p)); return err == nil }
	switch {
	case len(initFiles(path)) > 0:
		return FormatINIT, nil
	case has("label"):
		return FormatMGUIT, nil
	case has("label_2") || has("training/label_2"):
		return FormatKITTI, nil
	case has("trainA") || has("testA"):
		return FormatFolder, nil
	}
	if m, _ := filepath.Glob(filepath.Join(path, "*_*", "gt_box")); len(m) > 0 {
		return FormatInstaFormer, nil
	}
	return "", fmt.Errorf("%s: cannot tell the data layout; pass --format (one of %s)", path, strings.Join(Formats, ", "))
}

// Domains lists the data set's domains in sorted order.
func (d *Dataset) Domains() []string {
	var out []string
	for _, s := range d.Samples {
		if !slices.Contains(out, s.Domain) {
			out = append(out, s.Domain)
		}
	}
	sort.Strings(out)
	return out
}

// Select returns the samples of one domain and split, in data set order.
func (d *Dataset) Select(domain, split string) []Sample {
	var out []Sample
	for _, s := range d.Samples {
		if s.Domain == domain && (split == "" || s.Split == split) {
			out = append(out, s)
		}
	}
	return out
}

// Abs is the path of a sample's image on disk.
func (d *Dataset) Abs(s Sample) string {
	if filepath.IsAbs(s.Path) {
		return s.Path
	}
	return filepath.Join(d.Root, filepath.FromSlash(s.Path))
}

// domainSplit parses "<domain>_<split>", the split being the last part.
func domainSplit(name string) (domain, split string, ok bool) {
	i := strings.LastIndexByte(name, '_')
	if i <= 0 || i == len(name)-1 {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

func initFiles(root string) []string {
	m, _ := filepath.Glob(filepath.Join(root, "*_*.txt"))
	var out []string
	for _, f := range m {
		if _, split, ok := domainSplit(strings.TrimSuffix(filepath.Base(f), ".txt")); ok &&
			slices.Contains([]string{"train", "test", "val"}, split) {
			out = append(out, f)
		}
	}
	return out
}

func openINIT(root string) (*Dataset, error) {
	ds := &Dataset{Root: root}
	for _, f := range initFiles(root) {
		domain, split, _ := domainSplit(strings.TrimSuffix(filepath.Base(f), ".txt"))
		r, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		ss, err := ReadINIT(r, f)
		r.Close()
		if err != nil {
			return nil, err
		}
		for i := range ss {
			ss[i].Domain, ss[i].Split = domain, split
		}
		ds.Samples = append(ds.Samples, ss...)
	}
	return ds, nil
}

func openMGUIT(root string) (*Dataset, error) {
	ds := &Dataset{Root: root}
	dirs, err := os.ReadDir(filepath.Join(root, "label"))
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		domain, split, ok := domainSplit(d.Name())
		if !d.IsDir() || !ok {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(root, "label", d.Name(), "*.txt"))
		sort.Strings(files)
		for _, f := range files {
			r, err := os.Open(f)
			if err != nil {
				return nil, err
			}
			s, err := ReadMGUIT(r, f)
			r.Close()
			if err != nil {
				return nil, err
			}
			s.Domain, s.Split = domain, split
			ds.Samples = append(ds.Samples, s)
		}
	}
	return ds, nil
}

// imageFiles lists the PNG and JPEG files of dir, sorted.
func imageFiles(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
			if !e.IsDir() {
				out = append(out, e.Name())
			}
		}
	}
	sort.Strings(out)
	return out
}

func openInstaFormer(root string) (*Dataset, error) {
	ds := &Dataset{Root: root}
	dirs, _ := filepath.Glob(filepath.Join(root, "*_*"))
	sort.Strings(dirs)
	for _, dir := range dirs {
		domain, split, ok := domainSplit(filepath.Base(dir))
		if st, err := os.Stat(dir); err != nil || !st.IsDir() || !ok {
			continue
		}
		for _, name := range imageFiles(dir) {
			s := Sample{Path: filepath.Base(dir) + "/" + name, Domain: domain, Split: split}
			w, h, err := ImageSize(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			s.W, s.H = w, h
			boxFile := filepath.Join(dir, "gt_box", stem(name)+".txt")
			if r, err := os.Open(boxFile); err == nil {
				s.Boxes, err = ReadInstaFormer(r, boxFile, w, h)
				r.Close()
				if err != nil {
					return nil, err
				}
			}
			ds.Samples = append(ds.Samples, s)
		}
	}
	return ds, nil
}

func openCOCO(path string, o OpenOptions) (*Dataset, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	ss, err := ReadCOCO(r, path, o.ClassMap)
	if err != nil {
		return nil, err
	}
	root := o.Images
	if root == "" {
		root = filepath.Dir(path)
	}
	for i := range ss {
		ss[i].Domain, ss[i].Split = o.Domain, o.Split
	}
	return &Dataset{Root: root, Samples: ss}, nil
}

func openKITTI(root string, o OpenOptions) (*Dataset, error) {
	if _, err := os.Stat(filepath.Join(root, "label_2")); err != nil {
		root = filepath.Join(root, "training")
	}
	ds := &Dataset{Root: root}
	files, _ := filepath.Glob(filepath.Join(root, "label_2", "*.txt"))
	sort.Strings(files)
	for _, f := range files {
		st := stem(f)
		var img string
		for _, ext := range []string{".png", ".jpg", ".jpeg"} {
			if _, err := os.Stat(filepath.Join(root, "image_2", st+ext)); err == nil {
				img = "image_2/" + st + ext
				break
			}
		}
		if img == "" {
			return nil, fmt.Errorf("%s: no image_2/%s.png for this label file", f, st)
		}
		r, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		boxes, err := ReadKITTI(r, f, o.ClassMap)
		r.Close()
		if err != nil {
			return nil, err
		}
		w, h, err := ImageSize(filepath.Join(root, img))
		if err != nil {
			return nil, err
		}
		ds.Samples = append(ds.Samples, Sample{Path: img, W: w, H: h, Domain: o.Domain, Split: o.Split, Boxes: boxes})
	}
	return ds, nil
}

func openFolder(root string) (*Dataset, error) {
	ds := &Dataset{Root: root}
	for _, split := range []string{"train", "test"} {
		for _, dom := range []string{"A", "B"} {
			dir := split + dom
			for _, name := range imageFiles(filepath.Join(root, dir)) {
				ds.Samples = append(ds.Samples, Sample{Path: dir + "/" + name, Domain: dom, Split: split})
			}
		}
	}
	return ds, nil
}
