// Package report writes the self-contained HTML report of a run: image
// grids (input | translation | ground truth), the evaluation table and a
// plot of every training loss, drawn as inline SVG so that the report needs
// no plotting dependency and opens in any browser without a network.
package report
