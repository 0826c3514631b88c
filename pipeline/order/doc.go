// Package order provides the sorts that the survival estimators share: the
// permutation that puts observations in (stratum, time) order, and an
// in-place sort of float64 values.
//
// Every estimator (Kaplan–Meier, log-rank, Cox) starts by ordering its n
// observations by time, and at a million rows that sort is a large part of
// the work. Comparison sorts of records cost O(n log n) comparisons through
// a function value; here times are mapped to unsigned integers with the
// same order (the IEEE-754 bit pattern, sign-adjusted) and sorted by a
// least-significant-digit radix sort, 8 bits a pass, passes whose digit is
// the same for every key skipped: O(n) per pass, a few passes in practice.
// Below 256 values a comparison sort is used.
//
// The sorts are stable: equal keys keep their row order. ByStratumTime thus
// orders by (stratum, time, row), a total order, so the floating-point sums
// that follow it are the same for the same data, whatever the input order
// of equal keys' neighbours.
package order
