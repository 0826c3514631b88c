package guyot

import (
	"fmt"
	"math"
	"sort"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
)

// stepKM returns the product-limit estimate of (time, event), time sorted
// ascending with events before censorings at equal times: the distinct
// event times and S just after each.
func stepKM(time []float64, event []bool) (times, surv []float64) {
	n := len(time)
	s := 1.0
	for i := 0; i < n; {
		t := time[i]
		d, m := 0, 0
		for ; i < n && time[i] == t; i++ {
			m++
			if event[i] {
				d++
			}
		}
		if d > 0 {
			atRisk := n - i + m
			s *= 1 - float64(d)/float64(atRisk)
			times, surv = append(times, t), append(surv, s)
		}
	}
	return times, surv
}

// survAt returns S(t) and S(t-) of a step curve.
func survAt(times, surv []float64, t float64) (at, before float64) {
	j := sort.SearchFloat64s(times, t) // first index with times[j] >= t
	before = 1
	if j > 0 {
		before = surv[j-1]
	}
	at = before
	if j < len(times) && times[j] == t {
		at = surv[j]
	}
	return at, before
}

// maxKMDiff is max_k min(|KM(T_k) - S_k|, |KM(T_k-) - S_k|).
func maxKMDiff(time []float64, event []bool, pt, ps []float64) float64 {
	times, surv := stepKM(time, event)
	m := 0.0
	for k := range pt {
		at, before := survAt(times, surv, pt[k])
		m = math.Max(m, math.Min(math.Abs(at-ps[k]), math.Abs(before-ps[k])))
	}
	return m
}

// SupDistance returns sup_t |S_a(t) - S_b(t)| between the Kaplan–Meier
// curves of two data sets, each given with times ascending and, at equal
// times, events first (as Result.Time, Result.Event). The supremum of two
// right-continuous step functions is attained at a jump of one of them.
func SupDistance(timeA []float64, eventA []bool, timeB []float64, eventB []bool) float64 {
	return SupDistanceUntil(timeA, eventA, timeB, eventB, math.Inf(1))
}

// SupDistanceUntil is SupDistance over t <= until.
func SupDistanceUntil(timeA []float64, eventA []bool, timeB []float64, eventB []bool, until float64) float64 {
	ta, sa := stepKM(timeA, eventA)
	tb, sb := stepKM(timeB, eventB)
	m := 0.0
	for _, t := range append(append([]float64(nil), ta...), tb...) {
		if t > until {
			continue
		}
		a, _ := survAt(ta, sa, t)
		b, _ := survAt(tb, sb, t)
		m = math.Max(m, math.Abs(a-b))
	}
	return m
}

// Comparison summarises two reconstructed arms.
type Comparison struct {
	// HR is the hazard ratio of the treated arm against the control arm
	// from a Cox model (Efron ties) of the reconstructed data, with its
	// 95% CI; CoxStatus is pipeline/cox's status ("ok" or the problem).
	HR, HRLower, HRUpper float64
	CoxStatus            string
	// MedianControl and MedianTreated are the Kaplan–Meier medians, NaN
	// when the curve does not reach 0.5 (not reached).
	MedianControl, MedianTreated float64
}

// Compare fits the Cox model of arm (treated = 1) and the Kaplan–Meier
// medians of two reconstructed arms, to be set beside the published hazard
// ratio and medians. R equivalent: coxph(Surv(time, event) ~ arm) and
// survfit(Surv(time, event) ~ arm) on the reconstructed rows.
func Compare(control, treated *Result) (*Comparison, error) {
	n := len(control.Time) + len(treated.Time)
	time := make([]float64, 0, n)
	event := make([]bool, 0, n)
	arm := make([]float64, 0, n)
	for i, r := range []*Result{control, treated} {
		time = append(time, r.Time...)
		event = append(event, r.Event...)
		for range r.Time {
			arm = append(arm, float64(i))
		}
	}
	fit, err := cox.CoxPH(time, event, [][]float64{arm}, []string{"arm"}, nil, cox.Options{})
	if err != nil {
		return nil, fmt.Errorf("could not compare reconstructed arms: %w", err)
	}
	c := &Comparison{HR: fit.HR[0], HRLower: fit.HRLower[0], HRUpper: fit.HRUpper[0], CoxStatus: fit.Status}
	for i, r := range []*Result{control, treated} {
		curve, err := km.KaplanMeier(r.Time, r.Event, km.Options{})
		if err != nil {
			return nil, fmt.Errorf("could not compare reconstructed arms: %w", err)
		}
		med := curve.Quantile(0.5).Time
		if i == 0 {
			c.MedianControl = med
		} else {
			c.MedianTreated = med
		}
	}
	return c, nil
}
