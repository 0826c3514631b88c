package icens

import (
	"fmt"
	"math"
)

// FromADTTE returns the observation interval (lower[i], upper[i]] of each
// ADTTE row, for Turnbull and WeightedLogrank, from the analysis value
// AVAL, the interval bounds ILOWER and IUPPER, and the censoring flag
// CNSR (0 = event, > 0 = censored) as written by pipeline/derive:
//
//	event (CNSR = 0):     (ILOWER, IUPPER]; an empty ILOWER (NaN: the
//	                      event was seen at the first assessment) is 0,
//	                      left-censored; ILOWER == IUPPER is an exact time
//	censored (CNSR > 0):  (AVAL, +Inf); ILOWER and IUPPER are not used
//
// which is R's Surv(ILOWER, IUPPER, type = "interval2") with the censored
// rows' ILOWER = AVAL and IUPPER = NA.
//
// It returns an error naming the row (0-based) for a negative CNSR, a NaN
// or negative AVAL on a censored row, a NaN IUPPER, a negative ILOWER, or
// ILOWER > IUPPER on an event row. It panics if the lengths differ.
func FromADTTE(aval, ilower, iupper []float64, cnsr []int) (lower, upper []float64, err error) {
	n := len(aval)
	if len(ilower) != n || len(iupper) != n || len(cnsr) != n {
		panic(fmt.Sprintf("icens: lengths differ: AVAL %d, ILOWER %d, IUPPER %d, CNSR %d", n, len(ilower), len(iupper), len(cnsr)))
	}
	lower = make([]float64, n)
	upper = make([]float64, n)
	for i := range n {
		switch {
		case cnsr[i] < 0:
			return nil, nil, fmt.Errorf("ADTTE row %d: CNSR = %d: must be 0 (event) or > 0 (censored)", i, cnsr[i])
		case cnsr[i] > 0:
			a := aval[i]
			if math.IsNaN(a) || a < 0 || math.IsInf(a, 0) {
				return nil, nil, fmt.Errorf("ADTTE row %d: censored with AVAL = %v: AVAL must be a finite time >= 0 (the last time known event-free)", i, a)
			}
			lower[i], upper[i] = a, math.Inf(1)
		default:
			lo, hi := ilower[i], iupper[i]
			if math.IsNaN(lo) {
				lo = 0
			}
			switch {
			case math.IsNaN(hi) || math.IsInf(hi, 0):
				return nil, nil, fmt.Errorf("ADTTE row %d: event with IUPPER = %v: an event needs the finite time at which it was first seen in IUPPER", i, hi)
			case lo < 0 || math.IsInf(lo, 0):
				return nil, nil, fmt.Errorf("ADTTE row %d: ILOWER = %v: must be empty (left-censored) or a finite time >= 0", i, lo)
			case lo > hi:
				return nil, nil, fmt.Errorf("ADTTE row %d: ILOWER = %v > IUPPER = %v: the last event-free assessment must not be after the first one showing the event", i, lo, hi)
			}
			lower[i], upper[i] = lo, hi
		}
	}
	return lower, upper, nil
}
