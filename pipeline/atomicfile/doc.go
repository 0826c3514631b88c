// Package atomicfile writes output files so that a reader never sees a
// half-written file: the content goes to a temporary file in the same
// directory, which is synced and then renamed over the destination.
//
// Every stage of the ketcurves pipeline writes its outputs through this
// package. If the stage fails, the temporary file is removed and any previous
// version of the destination is left untouched.
package atomicfile
