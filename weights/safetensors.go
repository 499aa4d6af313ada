package weights

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"i2i/tensor"
)

// Entry is one stored tensor. Float data (F32, F16, BF16, F64) is converted
// to float32 in Data; integer data (I64, I32) is kept in Ints.
type Entry struct {
	Name  string
	DType string
	Shape []int
	Data  []float32
	Ints  []int64
}

// Tensor returns the entry as a float32 tensor (integers are converted).
func (e *Entry) Tensor() *tensor.Tensor {
	if e.Data == nil && e.Ints != nil {
		d := make([]float32, len(e.Ints))
		for i, v := range e.Ints {
			d[i] = float32(v)
		}
		return tensor.FromSlice(d, e.Shape...)
	}
	return tensor.FromSlice(e.Data, e.Shape...)
}

// File is the content of a weights file: its tensors by name and, for
// safetensors, the free-form metadata.
type File struct {
	Path     string
	Tensors  map[string]*Entry
	Metadata map[string]string
}

// Names returns the tensor names in sorted order.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Tensors))
	for n := range f.Tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// maxHeader bounds the JSON header so that a corrupt length cannot make us
// allocate gigabytes.
const maxHeader = 100 << 20

// ReadSafetensors parses a safetensors file.
func ReadSafetensors(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSafetensors(path, raw)
}

// ParseSafetensors parses safetensors bytes; path is used in error messages.
func ParseSafetensors(path string, raw []byte) (*File, error) {
	if len(raw) < 8 {
		return nil, fmt.Errorf("%s: not a safetensors file (%d bytes, need an 8-byte header length)", path, len(raw))
	}
	hl := binary.LittleEndian.Uint64(raw[:8])
	if hl > maxHeader || hl > uint64(len(raw)-8) {
		return nil, fmt.Errorf("%s: header length %d exceeds the file (%d bytes): truncated or not safetensors", path, hl, len(raw))
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(raw[8:8+hl], &header); err != nil {
		return nil, fmt.Errorf("%s: bad safetensors header: %v", path, err)
	}
	body := raw[8+hl:]
	f := &File{Path: path, Tensors: map[string]*Entry{}, Metadata: map[string]string{}}
	for name, msg := range header {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return nil, fmt.Errorf("%s: bad __metadata__: %v", path, err)
			}
			continue
		}
		var h struct {
			DType   string  `json:"dtype"`
			Shape   []int   `json:"shape"`
			Offsets []int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(msg, &h); err != nil {
			return nil, fmt.Errorf("%s: tensor %q: bad header entry: %v", path, name, err)
		}
		if len(h.Offsets) != 2 || h.Offsets[0] < 0 || h.Offsets[1] < h.Offsets[0] || h.Offsets[1] > int64(len(body)) {
			return nil, fmt.Errorf("%s: tensor %q: data offsets %v outside the %d data bytes (truncated file?)", path, name, h.Offsets, len(body))
		}
		e, err := decode(name, h.DType, h.Shape, body[h.Offsets[0]:h.Offsets[1]])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		f.Tensors[name] = e
	}
	return f, nil
}

// dtypeSize gives the bytes per element of the dtypes we read.
var dtypeSize = map[string]int{"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4}

// decode converts little-endian bytes of a dtype into an Entry.
func decode(name, dtype string, shape []int, b []byte) (*Entry, error) {
	size, ok := dtypeSize[dtype]
	if !ok {
		return nil, fmt.Errorf("tensor %q: unsupported dtype %s (supported: F32, F16, BF16, F64, I64, I32)", name, dtype)
	}
	n := 1
	for _, s := range shape {
		if s < 0 {
			return nil, fmt.Errorf("tensor %q: negative dimension in shape %v", name, shape)
		}
		n *= s
	}
	if n*size != len(b) {
		return nil, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes, found %d", name, shape, dtype, n*size, len(b))
	}
	e := &Entry{Name: name, DType: dtype, Shape: append([]int{}, shape...)}
	switch dtype {
	case "I64":
		e.Ints = make([]int64, n)
		for i := range e.Ints {
			e.Ints[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
		}
		return e, nil
	case "I32":
		e.Ints = make([]int64, n)
		for i := range e.Ints {
			e.Ints[i] = int64(int32(binary.LittleEndian.Uint32(b[4*i:])))
		}
		return e, nil
	}
	e.Data = make([]float32, n)
	for i := range e.Data {
		switch dtype {
		case "F32":
			e.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		case "F64":
			e.Data[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		case "BF16":
			e.Data[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		case "F16":
			e.Data[i] = halfToFloat(binary.LittleEndian.Uint16(b[2*i:]))
		}
	}
	return e, nil
}

// halfToFloat converts an IEEE 754 binary16 value to float32.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: renormalise
		e := uint32(127 - 15 + 1)
		for frac&0x400 == 0 {
			frac <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (frac&0x3ff)<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// WriteSafetensors writes tensors as F32 with optional metadata, atomically.
func WriteSafetensors(path string, tensors map[string]*tensor.Tensor, metadata map[string]string) error {
	names := make([]string, 0, len(tensors))
	for n := range tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var off int64
	for _, n := range names {
		t := tensors[n]
		size := int64(4 * t.Numel())
		shape := t.Shape()
		if shape == nil {
			shape = []int{}
		}
		header[n] = map[string]any{"dtype": "F32", "shape": shape, "data_offsets": []int64{off, off + size}}
		off += size
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return err
	}
	// Pad the header with spaces to 8-byte alignment, as the reference writer does.
	for len(hj)%8 != 0 {
		hj = append(hj, ' ')
	}
	buf := make([]byte, 8, 8+len(hj)+int(off))
	binary.LittleEndian.PutUint64(buf, uint64(len(hj)))
	buf = append(buf, hj...)
	for _, n := range names {
		for _, v := range tensors[n].Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	return WriteFileAtomic(path, buf)
}

// WriteFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path, so that readers see the old or the new file whole.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Load reads a weights file of either format, chosen by its content: a zip
// archive is a PyTorch checkpoint, anything else is read as safetensors.
func Load(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) >= 4 && string(raw[:4]) == "PK\x03\x04" {
		return ReadPyTorch(path)
	}
	if strings.HasSuffix(path, ".pth") || strings.HasSuffix(path, ".pt") {
		return nil, fmt.Errorf("%s: not a zip-format PyTorch checkpoint (legacy or truncated file?)", path)
	}
	return ParseSafetensors(path, raw)
}
