package data

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // JPEG data sets (INIT is PNG, COCO and KITTI often JPEG)
	"image/png"
	"os"

	"i2i/weights"
)

// ReadImage decodes a PNG or JPEG file; a missing, truncated or corrupt
// file gives an error naming it.
func ReadImage(path string) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decoding image %s: %w", path, err)
	}
	if r := img.Bounds(); r.Dx() <= 0 || r.Dy() <= 0 {
		return nil, fmt.Errorf("decoding image %s: empty image", path)
	}
	return img, nil
}

// ImageSize reads only the header of an image file.
func ImageSize(path string) (w, h int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, 0, fmt.Errorf("reading image header %s: %w", path, err)
	}
	return cfg.Width, cfg.Height, nil
}

// WritePNG encodes img as PNG (fast compression) and writes it atomically.
func WritePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return weights.WriteFileAtomic(path, buf.Bytes())
}
