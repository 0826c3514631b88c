// Package golden is the one golden-file helper of ketcurves' tests: Check
// compares a test's output with a committed file, byte for byte (PNG within
// a pixel tolerance, through gonum.org/v1/plot/cmpimg), and the single
// -regen flag rewrites the files:
//
//	go test ./... -regen    # then look at the changes before committing
//
// The flag is cmpimg's own -regen, so that packages which also use cmpimg
// see one flag.
package golden
