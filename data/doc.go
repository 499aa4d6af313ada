// Package data reads and writes the street-scene data sets that the
// translation models learn from, and turns them into batches.
//
// Every format is read into the same in-memory Sample: an image path, its
// size, its domain and split, and object boxes as a class plus pixel corners.
//
//   - sample.go: Sample, Box and the three object classes (car, sign, person).
//   - init.go: the INIT annotation records (one file per domain and split).
//   - mguit.go: MGUIT's per-image label files.
//   - instaformer.go: InstaFormer's per-image gt_box/<stem>.txt, normalised.
//   - coco.go, kitti.go: COCO instances JSON and KITTI label_2, with class maps.
//   - folder.go: plain unpaired folders (trainA/, trainB/) without boxes.
//   - dataset.go: opening a data set directory in any of these layouts.
//   - image.go: decoding images with clear errors, atomic PNG writes.
//   - transform.go: resize, crop and flip applied to images and boxes together,
//     and conversion to tensors, padded box tensors and class masks.
//   - loader.go: unpaired A/B batches with seeded shuffling, decode-ahead
//     workers and a resumable position.
//   - stats.go: counts per domain, split and class, box-size histograms.
//
// The synthetic scene generator lives in the subpackage synth.
package data
