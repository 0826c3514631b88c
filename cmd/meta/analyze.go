package main

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// smallK is the number of studies below which the z-based intervals are
// reported as anti-conservative and the HKSJ rows come first (IntHout,
// Ioannidis & Borm 2014, BMC Med Res Methodol 14:25).
const smallK = 5

// row is one method and adjustment, on the reporting scale.
type row struct {
	Method     meta.Method
	Adjustment meta.Adjustment
	Result     *meta.Result
	// Estimate, Lower, Upper, PILower, PIUpper are on the ratio scale
	// when the input was a ratio, else as Result.
	Estimate, Lower, Upper, PILower, PIUpper float64
	LeaveOneOut                              []*meta.Result // nil when k < 3
}

type analysis struct {
	Studies   *studies
	ConfLevel float64
	Rows      []row
	Egger     *meta.EggerResult
	Warnings  []string
}

// fits lists the method and adjustment of each meta.csv row, in order.
var fits = []struct {
	m meta.Method
	a meta.Adjustment
}{
	{meta.FixedEffect, meta.NoAdjustment},
	{meta.DerSimonianLaird, meta.NoAdjustment}, {meta.DerSimonianLaird, meta.HKSJ},
	{meta.REML, meta.NoAdjustment}, {meta.REML, meta.HKSJ},
	{meta.PauleMandel, meta.NoAdjustment}, {meta.PauleMandel, meta.HKSJ},
}

func analyze(s *studies, level float64) (*analysis, error) {
	a := &analysis{Studies: s, ConfLevel: level}
	k := s.K()
	var hksj, plain []row
	for _, f := range fits {
		opt := meta.Options{Method: f.m, Adjustment: f.a, ConfLevel: level}
		res, err := meta.Pool(s.Yi, s.Sei, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.File, err)
		}
		r := row{Method: f.m, Adjustment: f.a, Result: res,
			Estimate: res.Estimate, Lower: res.Lower, Upper: res.Upper, PILower: res.PILower, PIUpper: res.PIUpper}
		if s.Ratio {
			q := res.Ratio()
			r.Estimate, r.Lower, r.Upper, r.PILower, r.PIUpper = q.Estimate, q.Lower, q.Upper, q.PILower, q.PIUpper
		}
		if k >= 3 {
			if r.LeaveOneOut, err = meta.LeaveOneOut(s.Yi, s.Sei, opt); err != nil {
				return nil, fmt.Errorf("%s: %w", s.File, err)
			}
		}
		if res.Status != meta.StatusOK {
			a.Warnings = append(a.Warnings, fmt.Sprintf("%s: %s", f.m, res.Message))
		}
		if f.a == meta.HKSJ {
			hksj = append(hksj, r)
		} else {
			plain = append(plain, r)
		}
	}
	if k < smallK {
		a.Rows = append(hksj, plain...)
		a.Warnings = append(a.Warnings, fmt.Sprintf("only %d studies: the z-based confidence intervals (adjustment none) are anti-conservative with fewer than %d studies; the HKSJ rows are listed first", k, smallK))
	} else {
		a.Rows = interleave(plain, hksj)
	}
	if k < 3 {
		a.Warnings = append(a.Warnings, fmt.Sprintf("only %d studies: no leave-one-out analysis (needs at least 3)", k))
	}
	eg, err := meta.Egger(s.Yi, s.Sei)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.File, err)
	}
	a.Egger = eg
	if eg.Status == meta.StatusTooFewStudies {
		a.Warnings = append(a.Warnings, fmt.Sprintf("only %d studies: Egger's test is not computed (needs at least %d)", k, meta.EggerMinStudies))
	}
	return a, nil
}

// interleave puts each method's HKSJ row after its unadjusted row, in the
// order of fits.
func interleave(plain, hksj []row) []row {
	out := make([]row, 0, len(plain)+len(hksj))
	j := 0
	for _, p := range plain {
		out = append(out, p)
		if j < len(hksj) && hksj[j].Method == p.Method {
			out = append(out, hksj[j])
			j++
		}
	}
	return out
}

// scale returns exp(x) for ratio input, else x.
func (a *analysis) scale(x float64) float64 {
	if a.Studies.Ratio {
		return math.Exp(x)
	}
	return x
}
