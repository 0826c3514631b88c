package aft

import (
	"fmt"
	"math"
)

// Response holds censored survival times as intervals, the convention of R's
// Surv(Lower, Upper, type = "interval2"): observation i is known to lie in
// [Lower[i], Upper[i]], and
//
//	Lower NaN (or 0), Upper finite  left-censored at Upper (T <= Upper)
//	Lower finite, Upper NaN or +Inf  right-censored at Lower (T > Lower)
//	Lower == Upper                   exact (an event at that time)
//	0 < Lower < Upper < +Inf         interval-censored (Lower < T <= Upper)
//
// An interval with a lower bound of 0 is left-censored, as in R survreg for
// the log-time distributions. Times must be positive.
type Response struct {
	Lower, Upper []float64
}

// RightCensored returns the Response of right-censored data: an event at
// time[i] when event[i] is true (ADaM CNSR = 0), else a censoring there.
// It panics if len(event) != len(time).
func RightCensored(time []float64, event []bool) Response {
	if len(event) != len(time) {
		panic(fmt.Sprintf("aft: len(event) = %d, want len(time) = %d", len(event), len(time)))
	}
	upper := make([]float64, len(time))
	for i, t := range time {
		upper[i] = math.Inf(1)
		if event[i] {
			upper[i] = t
		}
	}
	return Response{Lower: time, Upper: upper}
}

// Censoring kinds, survregc1's status codes.
const (
	censRight    = 0
	censExact    = 1
	censLeft     = 2
	censInterval = 3
)

// Counts tallies the observations of a Response by kind.
type Counts struct {
	Exact, Right, Left, Interval int
}

// classify returns, for each observation, its censoring kind and the log
// bounds used by the likelihood (lo = log of the only bound for exact,
// right- and left-censored; lo, hi for interval-censored).
func (r Response) classify(code []int8, lo, hi []float64) (Counts, error) {
	var c Counts
	for i := range r.Lower {
		l, u := r.Lower[i], r.Upper[i]
		lNA := math.IsNaN(l) || l == 0
		uNA := math.IsNaN(u) || math.IsInf(u, 1)
		switch {
		case lNA && uNA:
			return c, fmt.Errorf("observation %d (row %d) has no bound (lower %v, upper %v): remove it, it carries no information", i, i+1, l, u)
		case !lNA && (l < 0 || math.IsInf(l, 0)):
			return c, fmt.Errorf("lower bound of observation %d (row %d) is %v: times must be positive and finite", i, i+1, l)
		case !uNA && !(u > 0):
			return c, fmt.Errorf("upper bound of observation %d (row %d) is %v: times must be positive", i, i+1, u)
		case !lNA && !uNA && l > u:
			return c, fmt.Errorf("observation %d (row %d) has lower bound %v above upper bound %v: swap or correct them", i, i+1, l, u)
		case lNA:
			code[i], lo[i] = censLeft, math.Log(u)
			c.Left++
		case uNA:
			code[i], lo[i] = censRight, math.Log(l)
			c.Right++
		case l == u:
			code[i], lo[i] = censExact, math.Log(l)
			c.Exact++
		default:
			code[i], lo[i], hi[i] = censInterval, math.Log(l), math.Log(u)
			c.Interval++
		}
	}
	return c, nil
}
