package tensor

import "i2i/kernel"

// BlurDown2 is the anti-aliased stride-2 downsampler of CUT and InstaFormer
// (Downsample: reflection pad 1, then the depthwise 3×3 filter
// [1,2,1]⊗[1,2,1]/16 at stride 2), done separably. Along each axis
// y[i] = ¼·x[2i−1] + ½·x[2i] + ¼·x[2i+1], with index −1 reflected to 1 and n
// to n−2; an n-long axis becomes ceil(n/2). x is [..., H, W] with H, W ≥ 2.
func BlurDown2(x *Tensor) *Tensor {
	h, w := x.Dim(-2), x.Dim(-1)
	oh, ow := (h+1)/2, (w+1)/2
	out, planes := resizedPlanes(x, oh, ow)
	ty, tx := blurTaps(h, oh), blurTaps(w, ow)
	kernel.ParallelFor(planes, 1, func(lo, hi int) {
		tmp := getBuf(h * ow)
		defer putBuf(tmp)
		for p := lo; p < hi; p++ {
			src, dst := x.Data[p*h*w:(p+1)*h*w], out.Data[p*oh*ow:(p+1)*oh*ow]
			for r := 0; r < h; r++ { // horizontal pass
				row, t := src[r*w:(r+1)*w], tmp[r*ow:(r+1)*ow]
				for i, k := range tx {
					t[i] = 0.25*row[k[0]] + 0.5*row[k[1]] + 0.25*row[k[2]]
				}
			}
			for i, k := range ty { // vertical pass
				a, b, c, d := tmp[k[0]*ow:], tmp[k[1]*ow:], tmp[k[2]*ow:], dst[i*ow:(i+1)*ow]
				for j := range d {
					d[j] = 0.25*a[j] + 0.5*b[j] + 0.25*c[j]
				}
			}
		}
	})
	return record(out, func(g []float32) {
		gx := x.gradBuf()
		kernel.ParallelFor(planes, 1, func(lo, hi int) {
			tmp := getBuf(h * ow)
			defer putBuf(tmp)
			for p := lo; p < hi; p++ {
				gy, dst := g[p*oh*ow:(p+1)*oh*ow], gx[p*h*w:(p+1)*h*w]
				clear(tmp)
				for i, k := range ty {
					a, b, c, s := tmp[k[0]*ow:], tmp[k[1]*ow:], tmp[k[2]*ow:], gy[i*ow:(i+1)*ow]
					for j, v := range s {
						a[j] += 0.25 * v
						b[j] += 0.5 * v
						c[j] += 0.25 * v
					}
				}
				for r := 0; r < h; r++ {
					row, t := dst[r*w:(r+1)*w], tmp[r*ow:(r+1)*ow]
					for i, k := range tx {
						v := t[i]
						row[k[0]] += 0.25 * v
						row[k[1]] += 0.5 * v
						row[k[2]] += 0.25 * v
					}
				}
			}
		})
	}, x)
}

// blurTaps lists, for each output index, the three reflected input indices
// 2i−1, 2i, 2i+1 of an n-long axis.
func blurTaps(n, out int) [][3]int {
	reflect := func(i int) int {
		if i < 0 {
			return -i
		}
		if i >= n {
			return 2*(n-1) - i
		}
		return i
	}
	taps := make([][3]int, out)
	for i := range taps {
		taps[i] = [3]int{reflect(2*i - 1), reflect(2 * i), reflect(2*i + 1)}
	}
	return taps
}
