package weights

import (
	"archive/zip"
	"fmt"

	"github.com/nlpodyssey/gopickle/pytorch"
	"github.com/nlpodyssey/gopickle/types"
)

// ReadPyTorch reads a zip-format PyTorch checkpoint (torch.save since 1.6).
// The object saved may be a state dict or a dict of them (as MUNIT's
// {"a": …, "b": …}, DRIT's {"enc_c": …}, or {"state_dict": …}); nested
// dicts are flattened with dotted prefixes. Non-tensor values are skipped.
func ReadPyTorch(path string) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%s: damaged PyTorch checkpoint: %v", path, r)
		}
	}()
	// gopickle falls back to the legacy format on anything that is not a
	// zip, so check the archive first for a clear message.
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: damaged PyTorch checkpoint (bad zip: %v)", path, err)
	}
	z.Close()
	obj, err := pytorch.Load(path)
	if err != nil {
		return nil, fmt.Errorf("%s: damaged or unsupported PyTorch checkpoint: %v", path, err)
	}
	f = &File{Path: path, Tensors: map[string]*Entry{}, Metadata: map[string]string{}}
	if err := flatten(f, "", obj); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(f.Tensors) == 0 {
		return nil, fmt.Errorf("%s: no tensors found in the checkpoint", path)
	}
	return f, nil
}

// flatten walks dicts of tensors, adding each tensor under its dotted key.
func flatten(f *File, prefix string, obj any) error {
	join := func(k any) string {
		if prefix == "" {
			return fmt.Sprint(k)
		}
		return prefix + "." + fmt.Sprint(k)
	}
	switch v := obj.(type) {
	case *types.OrderedDict:
		for e := v.List.Front(); e != nil; e = e.Next() {
			ent := e.Value.(*types.OrderedDictEntry)
			if err := flatten(f, join(ent.Key), ent.Value); err != nil {
				return err
			}
		}
	case *types.Dict:
		for _, ent := range *v {
			if err := flatten(f, join(ent.Key), ent.Value); err != nil {
				return err
			}
		}
	case *pytorch.Tensor:
		e, err := materialise(prefix, v)
		if err != nil {
			return err
		}
		f.Tensors[prefix] = e
	}
	return nil
}

// materialise copies a (possibly strided) PyTorch tensor into an Entry.
func materialise(name string, t *pytorch.Tensor) (*Entry, error) {
	n := 1
	for _, s := range t.Size {
		n *= s
	}
	var get func(i int) float64
	var dtype string
	var size int
	switch s := t.Source.(type) {
	case *pytorch.FloatStorage:
		dtype, size, get = "F32", len(s.Data), func(i int) float64 { return float64(s.Data[i]) }
	case *pytorch.HalfStorage:
		dtype, size, get = "F16", len(s.Data), func(i int) float64 { return float64(s.Data[i]) }
	case *pytorch.BFloat16Storage:
		dtype, size, get = "BF16", len(s.Data), func(i int) float64 { return float64(s.Data[i]) }
	case *pytorch.DoubleStorage:
		dtype, size, get = "F64", len(s.Data), func(i int) float64 { return s.Data[i] }
	case *pytorch.LongStorage:
		dtype, size, get = "I64", len(s.Data), func(i int) float64 { return float64(s.Data[i]) }
	case *pytorch.IntStorage:
		dtype, size, get = "I32", len(s.Data), func(i int) float64 { return float64(s.Data[i]) }
	default:
		return nil, fmt.Errorf("tensor %q: unsupported storage %T", name, t.Source)
	}
	e := &Entry{Name: name, DType: dtype, Shape: append([]int{}, t.Size...)}
	idx := make([]int, len(t.Size))
	vals := make([]float64, n)
	for k := 0; k < n; k++ {
		off := t.StorageOffset
		for d, i := range idx {
			off += i * t.Stride[d]
		}
		if off < 0 || off >= size {
			return nil, fmt.Errorf("tensor %q: element offset %d outside its storage of %d (truncated file?)", name, off, size)
		}
		vals[k] = get(off)
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < t.Size[d] {
				break
			}
			idx[d] = 0
		}
	}
	if dtype == "I64" || dtype == "I32" {
		e.Ints = make([]int64, n)
		for i, v := range vals {
			e.Ints[i] = int64(v)
		}
		return e, nil
	}
	e.Data = make([]float32, n)
	for i, v := range vals {
		e.Data[i] = float32(v)
	}
	return e, nil
}
