// Package rtest holds the helpers every estimator's tests use to read the
// reference values that R scripts in testdata/ wrote, and to compare with
// them: one implementation of "read a CSV with a header", "NA is NaN" and
// "equal to R within 1e-6 relative (1e-12 absolute near zero)".
//
// It is imported by _test files only.
package rtest
