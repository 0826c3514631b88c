package ipd

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/cox"
)

// OneStageResult is the one-stage IPD analysis.
type OneStageResult struct {
	// Effect is the common treatment effect of the model stratified by
	// study.
	Effect Effect
	// Common is the fit of trt + strata(study); Interaction the fit with
	// one treatment term per study (trt:study + strata(study)), nil with
	// a single study.
	Common, Interaction *cox.Result
	// PerStudy are the treatment effects of the interaction model, by
	// study in Data.Studies order: each equals that study's own Cox
	// model, since strata share no parameter. Nil with a single study.
	PerStudy []Effect
	// Heterogeneity is the likelihood-ratio test of the treatment-by-study
	// interaction, 2 (l_interaction - l_common) on K-1 degrees of
	// freedom; NaN with a single study or when either fit is not ok.
	Heterogeneity cox.Test
	// N and Events count the rows and events used.
	N, Events int
	// Status is "ok", StatusOneStudy, or the first non-ok cox status of
	// the two fits (then Heterogeneity is NaN).
	Status string
}

// OneStage fits the Cox model stratified by study with one common
// treatment effect,
//
//	h_s(t | trt) = h0_s(t) exp(beta trt),   s = 1..K,
//
// and, for the heterogeneity of the treatment effect, the model with one
// treatment effect per study,
//
//	h_s(t | trt) = h0_s(t) exp(beta_s trt),
//
// tested against it by the likelihood ratio
//
//	LR = 2 (l(beta_1..beta_K) - l(beta))  ~  chi^2_{K-1}.
//
// Both are partial likelihoods of the same strata, so LR is the
// treatment-by-study interaction test of R's anova(common, interaction).
// With K = 1 the common model is the study's own Cox model and Status is
// StatusOneStudy. Reference: Tudur Smith, Williamson & Marson (2005),
// "Investigating heterogeneity in an individual patient data
// meta-analysis of time to event outcomes", Stat Med 24:1307–1319;
// Therneau & Grambsch (2000), section 3.3 (stratified Cox model).
//
// R equivalent:
//
//	fit0 <- coxph(Surv(time, status) ~ trt + strata(study))
//	fit1 <- coxph(Surv(time, status) ~ trt:factor(study) + strata(study))
//	anova(fit0, fit1)
//
// Numerical trouble in either fit (for example a study in which one arm
// has no event, giving a monotone likelihood for its own term) is
// reported in Status, not as an error. OneStage returns an error for data
// that cannot be fitted (a study with no rows, one arm only or no
// events; what cox.CoxPH rejects). It panics if the slices of d differ in
// length or a study index is out of range.
func OneStage(d Data, opt Options) (*OneStageResult, error) {
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("could not fit the one-stage IPD model: %w", err)
	}
	trt := treatedColumn(d)
	common, err := cox.CoxPH(d.Time, d.Event, [][]float64{trt}, []string{"trt"}, d.Study, opt.Cox)
	if err != nil {
		return nil, fmt.Errorf("could not fit the one-stage IPD model: %w", err)
	}
	res := &OneStageResult{Effect: effect(common, 0), Common: common, N: common.N, Events: common.Events,
		Heterogeneity: cox.Test{Statistic: math.NaN(), P: math.NaN()}}
	if len(d.Studies) == 1 {
		res.Status = worst(common)
		if res.Status == StatusOK {
			res.Status = StatusOneStudy
		}
		return res, nil
	}
	x, names := perStudyColumns(d, trt)
	inter, err := cox.CoxPH(d.Time, d.Event, x, names, d.Study, opt.Cox)
	if err != nil {
		return nil, fmt.Errorf("could not fit the treatment-by-study interaction model: %w", err)
	}
	res.Interaction = inter
	for j := range names {
		res.PerStudy = append(res.PerStudy, effect(inter, j))
	}
	res.Status = worst(common, inter)
	df := len(d.Studies) - 1
	res.Heterogeneity.DF = df
	if res.Status == StatusOK {
		lr := 2 * (inter.LogLik - common.LogLik)
		res.Heterogeneity.Statistic = lr
		res.Heterogeneity.P = chiSquareP(lr, df)
	}
	return res, nil
}

// perStudyColumns are the covariates trt * [study == s], s = 0..K-1, named
// "trt:<study>" (R's trt:factor(study) columns).
func perStudyColumns(d Data, trt []float64) ([][]float64, []string) {
	x := make([][]float64, len(d.Studies))
	names := make([]string, len(d.Studies))
	for s, name := range d.Studies {
		x[s] = make([]float64, len(trt))
		names[s] = "trt:" + name
	}
	for i, s := range d.Study {
		x[s][i] = trt[i]
	}
	return x, names
}
