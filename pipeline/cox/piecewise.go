package cox

import (
	"errors"
	"fmt"
	"math"
)

// Split is data split at cut points into counting-process rows, as R
// survSplit(..., cut = cuts, episode = "tgroup"). Piece k of the result is
// the part (Entry[k], Time[k]] of original row Row[k], lying in interval
// Interval[k] (0 for (0, cuts[0]], 1 for (cuts[0], cuts[1]], …,
// len(cuts) for (cuts[len(cuts)-1], Inf); R's tgroup is Interval + 1).
// Event[k] is the row's event on its last piece and false on the others.
type Split struct {
	Entry, Time []float64
	Event       []bool
	Row         []int
	Interval    []int
}

// SplitAt splits every row (entry[i], time[i]] (entry nil: from 0) at the
// cut points inside it. Cuts must be finite, positive and strictly
// increasing. Rows keep their order; the pieces of a row are consecutive,
// earliest first. It costs O(n + pieces) plus a binary search per row.
//
// SplitAt returns an error for bad cuts, for a time or entry that is not
// finite, or for a row whose time is not after its entry (or 0). It panics if event or a non-nil entry is not len(time) long.
func SplitAt(entry, time []float64, event []bool, cuts []float64) (*Split, error) {
	n := len(time)
	if len(event) != n || (entry != nil && len(entry) != n) {
		panic(fmt.Sprintf("cox: SplitAt: %d times, %d events, %d entries", n, len(event), len(entry)))
	}
	if err := checkCuts(cuts); err != nil {
		return nil, err
	}
	s := &Split{}
	for i, t := range time {
		var e float64
		if entry != nil {
			e = entry[i]
		}
		if math.IsNaN(t) || math.IsInf(t, 0) || math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("row %d: entry %v, time %v: times must be finite", i+1, e, t)
		}
		if !(e < t) {
			return nil, fmt.Errorf("row %d: time %v is not after its entry time %v (0 without entry times): drop the row or correct its times", i+1, t, e)
		}
		// Interval of the first piece: the number of cuts at or below e.
		k := 0
		for k < len(cuts) && cuts[k] <= e {
			k++
		}
		for ; k < len(cuts) && cuts[k] < t; k++ {
			s.add(e, cuts[k], false, i, k)
			e = cuts[k]
		}
		s.add(e, t, event[i], i, k)
	}
	return s, nil
}

func (s *Split) add(entry, time float64, event bool, row, interval int) {
	s.Entry = append(s.Entry, entry)
	s.Time = append(s.Time, time)
	s.Event = append(s.Event, event)
	s.Row = append(s.Row, row)
	s.Interval = append(s.Interval, interval)
}

func checkCuts(cuts []float64) error {
	if len(cuts) == 0 {
		return errors.New("no cut points: give at least one time at which the effect may change")
	}
	for j, c := range cuts {
		if math.IsNaN(c) || math.IsInf(c, 0) || c <= 0 {
			return fmt.Errorf("cut point %d is %v: cut points must be positive finite times", j+1, c)
		}
		if j > 0 && c <= cuts[j-1] {
			return fmt.Errorf("cut points %v and %v are not increasing: give them in increasing order without repeats", cuts[j-1], c)
		}
	}
	return nil
}

// Interval is the treatment effect within one time interval of a piecewise
// Cox model: (Lower, Upper], Upper = +Inf for the last interval.
type Interval struct {
	Lower, Upper float64
	Name         string // the term's name in PiecewiseResult.Fit
	// Coef, SE, Z, P, HR, HRLower and HRUpper are the log hazard ratio of
	// the treatment within the interval and its inference; SE, Z, P and the
	// interval are the robust ones when PiecewiseResult.Robust. NaN when
	// the term is redundant (see Fit.Status).
	Coef, SE, Z, P, HR, HRLower, HRUpper float64
	Events                               int // events within the interval
}

// PiecewiseResult is a Cox model with a separate treatment effect per time
// interval.
type PiecewiseResult struct {
	Intervals []Interval
	// Robust reports whether the interval statistics use the robust
	// variance (Options.Robust or Options.Cluster).
	Robust bool
	// Fit is the whole model on the split data: the terms are the
	// treatment in each interval (Intervals[k].Name), then the covariates.
	// Its Status and Messages apply to the intervals.
	Fit *Result
}

// Piecewise fits the Cox model with a piecewise-constant treatment effect
//
//	h_s(t | x_i) = h0_s(t) exp(beta_k trt_i + x_i' gamma),  t in interval k,
//
// the intervals being (0, cuts[0]], (cuts[0], cuts[1]], …,
// (cuts[len(cuts)-1], Inf). The rows are split at the cuts (SplitAt) and the
// counting-process model fitted with CoxPH: the same as R
//
//	d <- survSplit(Surv(time, status) ~ ., data, cut = cuts, episode = "tgroup")
//	coxph(Surv(tstart, time, event) ~ trt:strata(tgroup) + x + strata(s), data = d)
//
// (with opt.Entry: survSplit(Surv(entry, time, status) ~ ...)). The hazard
// ratio exp(beta_k) is the treatment effect within interval k, for example
// early (days 0-180) and late (after 180) effects of ketamine. This is the
// step-function time-dependent coefficient of Therneau, Crowson and
// Atkinson, "Using time dependent covariates and time dependent
// coefficients in the Cox model" (R survival vignette timedep, section 4.1).
//
// With opt.Robust and no opt.Cluster, each original row is its own cluster
// (its pieces are one subject; R: cluster = id on the split data); with
// opt.Cluster, the pieces inherit their row's cluster.
//
// treatment is the treatment column (for example 1 for ketamine, 0 for the
// control), named treatmentName; x, names and strata are the other
// covariates and the strata as for CoxPH (x may be empty). An interval
// without events or without both treatments gives a non-ok Fit.Status.
//
// Piecewise returns an error for bad cuts and for data CoxPH rejects. It
// panics if the slice lengths do not match.
func Piecewise(time []float64, event []bool, treatment []float64, treatmentName string, x [][]float64, names []string, strata []int, cuts []float64, opt Options) (*PiecewiseResult, error) {
	checkLengths(time, event, append([][]float64{treatment}, x...), append([]string{treatmentName}, names...), strata, opt)
	split, err := SplitAt(opt.Entry, time, event, cuts)
	if err != nil {
		return nil, fmt.Errorf("could not split the data at the cut points: %w", err)
	}
	m, K := len(split.Time), len(cuts)+1
	px := make([][]float64, K+len(x))
	pnames := make([]string, 0, K+len(x))
	res := &PiecewiseResult{Intervals: make([]Interval, K), Robust: opt.Robust || opt.Cluster != nil}
	for k := range K {
		iv := &res.Intervals[k]
		iv.Lower, iv.Upper = 0, math.Inf(1)
		if k > 0 {
			iv.Lower = cuts[k-1]
		}
		if k < len(cuts) {
			iv.Upper = cuts[k]
			iv.Name = fmt.Sprintf("%s:(%g,%g]", treatmentName, iv.Lower, iv.Upper)
		} else {
			iv.Name = fmt.Sprintf("%s:(%g,Inf)", treatmentName, iv.Lower)
		}
		px[k] = make([]float64, m)
		pnames = append(pnames, iv.Name)
	}
	for j := range x {
		px[K+j] = make([]float64, m)
	}
	pnames = append(pnames, names...)
	var pstrata, pcluster []int
	if strata != nil {
		pstrata = make([]int, m)
	}
	if opt.Cluster != nil || opt.Robust {
		pcluster = make([]int, m)
	}
	for r, i := range split.Row {
		k := split.Interval[r]
		px[k][r] = treatment[i]
		for j, col := range x {
			px[K+j][r] = col[i]
		}
		if pstrata != nil {
			pstrata[r] = strata[i]
		}
		if pcluster != nil {
			pcluster[r] = i
			if opt.Cluster != nil {
				pcluster[r] = opt.Cluster[i]
			}
		}
		if split.Event[r] {
			res.Intervals[k].Events++
		}
	}
	popt := opt
	popt.Entry, popt.Cluster = split.Entry, pcluster
	fit, err := CoxPH(split.Time, split.Event, px, pnames, pstrata, popt)
	if err != nil {
		return nil, err
	}
	res.Fit = fit
	for k := range res.Intervals {
		iv := &res.Intervals[k]
		iv.Coef, iv.HR = fit.Coef[k], fit.HR[k]
		if fit.Robust != nil {
			iv.SE, iv.Z, iv.P, iv.HRLower, iv.HRUpper = fit.Robust.SE[k], fit.Robust.Z[k], fit.Robust.P[k], fit.Robust.HRLower[k], fit.Robust.HRUpper[k]
		} else {
			iv.SE, iv.Z, iv.P, iv.HRLower, iv.HRUpper = fit.SE[k], fit.Z[k], fit.P[k], fit.HRLower[k], fit.HRUpper[k]
		}
	}
	return res, nil
}
