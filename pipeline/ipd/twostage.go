package ipd

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// TwoStageResult is the two-stage IPD analysis.
type TwoStageResult struct {
	// PerStudy are the studies' own Cox treatment effects, in
	// Data.Studies order.
	PerStudy []Effect
	// Pooled is the pooling of the estimable per-study log hazard ratios
	// (studies whose fit is ok) by package meta; nil when fewer than two
	// are estimable (Status then says why).
	Pooled *meta.Result
	// Used lists the indices (into Data.Studies) of the studies pooled.
	Used []int
	// Status is "ok", StatusOneStudy when fewer than two studies could be
	// pooled, or meta's status (e.g. REML not converged).
	Status string
}

// TwoStage fits a Cox model of treatment in each study (stage one) and
// pools the log hazard ratios b_s with standard errors se_s by meta.Pool
// (stage two; see there for the formulas):
//
//	b = sum w_s b_s / sum w_s,   w_s = 1 / (se_s^2 + tau^2).
//
// Studies whose fit is not ok (monotone likelihood when an arm has no
// event) are left out of the pooling; their Effect keeps the status.
// Reference: Simmonds et al. (2005), "Meta-analysis of individual patient
// data from randomized trials: a review of methods used in practice",
// Clin Trials 2:209–217. R equivalent: coxph(Surv(time, status) ~ trt,
// subset = study == s) per study, then metafor's rma(yi, sei = sei,
// method = "REML") (test = "knha" under meta.HKSJ).
//
// It returns an error for the data OneStage rejects. It panics as OneStage
// and on invalid pooling options.
func TwoStage(d Data, opt Options) (*TwoStageResult, error) {
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("could not fit the two-stage IPD analysis: %w", err)
	}
	res := &TwoStageResult{}
	var yi, sei []float64
	for s, name := range d.Studies {
		fit, err := studyFit(d, s, opt.Cox)
		if err != nil {
			return nil, fmt.Errorf("could not fit study %q: %w", name, err)
		}
		e := effect(fit, 0)
		res.PerStudy = append(res.PerStudy, e)
		if e.Status == cox.StatusOK {
			yi, sei = append(yi, e.LogHR), append(sei, e.SE)
			res.Used = append(res.Used, s)
		}
	}
	if len(yi) < 2 {
		res.Status = StatusOneStudy
		return res, nil
	}
	pooled, err := meta.Pool(yi, sei, opt.Pool)
	if err != nil {
		return nil, fmt.Errorf("could not pool the studies: %w", err)
	}
	res.Pooled, res.Status = pooled, pooled.Status
	return res, nil
}

// studyFit is the Cox model of treatment in study s alone.
func studyFit(d Data, s int, opt cox.Options) (*cox.Result, error) {
	var time, x []float64
	var event []bool
	for i, st := range d.Study {
		if st != s {
			continue
		}
		time, event = append(time, d.Time[i]), append(event, d.Event[i])
		if d.Treated[i] {
			x = append(x, 1)
		} else {
			x = append(x, 0)
		}
	}
	return cox.CoxPH(time, event, [][]float64{x}, []string{"trt"}, nil, opt)
}
