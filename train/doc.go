// Package train runs a translation model over an unpaired data set: one
// JSON config holding every hyperparameter, a run directory with atomic
// checkpoints (the last K kept), sample grids and a metrics log, exact
// resumption, Ctrl-C and NaN handling. It also loads a finished run for
// translation.
//
// Every random draw of step s comes from PCG(seed, s) and every data draw
// from the loader's (seed, epoch, index) source, so a resumed run repeats
// the losses of an uninterrupted one step for step.
package train
