package weights

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"i2i/tensor"
)

func TestSafetensorsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.safetensors")
	in := map[string]*tensor.Tensor{
		"enc.conv.weight": tensor.FromSlice([]float32{1, -2, 3.5, 4, 5, 6}, 2, 3),
		"scalar":          tensor.Scalar(7),
	}
	if err := WriteSafetensors(path, in, map[string]string{"seed": "1"}); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["seed"] != "1" || len(f.Tensors) != 2 {
		t.Fatalf("metadata %v, %d tensors", f.Metadata, len(f.Tensors))
	}
	e := f.Tensors["enc.conv.weight"]
	if e.DType != "F32" || !tensor.SameShape(e.Shape, []int{2, 3}) || e.Data[2] != 3.5 {
		t.Fatalf("got %+v", e)
	}
	if got := f.Tensors["scalar"]; len(got.Shape) != 0 || got.Data[0] != 7 {
		t.Fatalf("scalar: %+v", got)
	}
	// No temporary files are left behind.
	files, _ := os.ReadDir(filepath.Dir(path))
	if len(files) != 1 {
		t.Fatalf("left %d files", len(files))
	}
}

// rawSafetensors builds a file by hand with one tensor of the given dtype.
func rawSafetensors(dtype string, shape []int, data []byte) []byte {
	h, _ := json.Marshal(map[string]any{"t": map[string]any{"dtype": dtype, "shape": shape, "data_offsets": []int{0, len(data)}}})
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	return append(append(b, h...), data...)
}

func TestSafetensorsHalfPrecision(t *testing.T) {
	// 1.0, -2.0, 0.5 and the smallest subnormal in F16; 1.0 and -3.0 in BF16.
	f16 := []uint16{0x3c00, 0xc000, 0x3800, 0x0001}
	var b []byte
	for _, v := range f16 {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	f, err := ParseSafetensors("h.safetensors", rawSafetensors("F16", []int{4}, b))
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{1, -2, 0.5, float32(math.Ldexp(1, -24))}
	for i, w := range want {
		if f.Tensors["t"].Data[i] != w {
			t.Fatalf("F16[%d] = %v, want %v", i, f.Tensors["t"].Data[i], w)
		}
	}
	bf := binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, 0x3f80), 0xc040)
	f, err = ParseSafetensors("b.safetensors", rawSafetensors("BF16", []int{2}, bf))
	if err != nil || f.Tensors["t"].Data[0] != 1 || f.Tensors["t"].Data[1] != -3 {
		t.Fatalf("BF16: %v %v", f, err)
	}
}

func TestSafetensorsDamagedInput(t *testing.T) {
	good := rawSafetensors("F32", []int{2, 2}, make([]byte, 16))
	cases := map[string][]byte{
		"empty":         nil,
		"truncated":     good[:len(good)-3],
		"header cut":    good[:12],
		"bad json":      append(binary.LittleEndian.AppendUint64(nil, 4), []byte("{{{{")...),
		"shape vs size": rawSafetensors("F32", []int{3, 2}, make([]byte, 16)),
		"dtype":         rawSafetensors("C64", []int{2}, make([]byte, 16)),
	}
	for name, raw := range cases {
		_, err := ParseSafetensors("model.safetensors", raw)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), "model.safetensors") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
		if (name == "shape vs size" || name == "dtype" || name == "truncated") && !strings.Contains(err.Error(), `"t"`) {
			t.Errorf("%s: error %q does not name the tensor", name, err)
		}
	}
}

func TestPyTorchCheckpoint(t *testing.T) {
	f, err := Load("testdata/sd.pth")
	if err != nil {
		t.Fatal(err)
	}
	conv := f.Tensors["conv.weight"]
	if !tensor.SameShape(conv.Shape, []int{2, 3, 2, 2}) || conv.Data[23] != 23 {
		t.Fatalf("conv.weight %+v", conv)
	}
	// fc.weight was saved transposed (strides 1, 3): values must come out in
	// logical row-major order.
	fc := f.Tensors["fc.weight"]
	want := []float32{0, 3, 1, 4, 2, 5}
	for i, w := range want {
		if fc.Data[i] != w {
			t.Fatalf("fc.weight = %v, want %v", fc.Data, want)
		}
	}
	if nb := f.Tensors["bn.num_batches_tracked"]; nb.DType != "I64" || nb.Ints[0] != 5 {
		t.Fatalf("num_batches_tracked %+v", nb)
	}
	if h := f.Tensors["h"]; h.DType != "F16" || h.Data[2] != 1 {
		t.Fatalf("h %+v", h)
	}
	nested, err := Load("testdata/nested.pt")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := nested.Tensors["a.conv.weight"]; !ok || nested.Tensors["b.x"] == nil {
		t.Fatalf("nested names: %v", nested.Names())
	}
}

func TestPyTorchDamaged(t *testing.T) {
	raw, err := os.ReadFile("testdata/sd.pth")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, n := range []int{0, 10, len(raw) / 2, len(raw) - 30} {
		p := filepath.Join(dir, "cut.pth")
		os.WriteFile(p, raw[:n], 0o644)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "cut.pth") {
			t.Errorf("truncated to %d bytes: err %v", n, err)
		}
	}
}
