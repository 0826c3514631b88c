package aft

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/newton"
)

// Status reports numerical trouble in a fit.
type Status string

// Statuses reported in Model.Status.
const (
	StatusOK           Status = "ok"
	StatusNotConverged Status = "not_converged"
	// StatusMonotone: a coefficient drifts to infinity while the
	// log-likelihood levels off (typically an arm or level with no events).
	StatusMonotone Status = "monotone_likelihood"
	// StatusNotEstimable: the model cannot be fitted at all (no events,
	// or the intercept-only fit failed); nothing but N and the counts is set.
	StatusNotEstimable Status = "not_estimable"
	// StatusSingular: a column is redundant (collinear); its coefficient
	// is NaN (R reports NA) and it takes no part in the fit.
	StatusSingular Status = "singular"
)

// Options controls Fit. The zero value gives R survreg.control's defaults.
type Options struct {
	MaxIter   int     // 0 means 30 (survreg.control iter.max)
	Eps       float64 // 0 means 1e-9 (rel.tolerance: relative change in loglik)
	TolChol   float64 // 0 means .Machine$double.eps^0.75 (toler.chol)
	ConfLevel float64 // 0 means 0.95, for time-ratio intervals
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.MaxIter < 0:
		return o, fmt.Errorf("MaxIter = %d is negative: use 0 for the default (30)", o.MaxIter)
	case o.MaxIter == 0:
		o.MaxIter = 30
	}
	switch {
	case o.Eps < 0 || math.IsNaN(o.Eps) || math.IsInf(o.Eps, 0):
		return o, fmt.Errorf("Eps = %v is not a positive number: use 0 for the default (1e-9)", o.Eps)
	case o.Eps == 0:
		o.Eps = 1e-9
	}
	switch {
	case o.TolChol < 0 || math.IsNaN(o.TolChol) || math.IsInf(o.TolChol, 0):
		return o, fmt.Errorf("TolChol = %v is not a positive number: use 0 for the default (%g)", o.TolChol, newton.DefaultTolChol)
	case o.TolChol == 0:
		o.TolChol = newton.DefaultTolChol
	}
	switch {
	case o.ConfLevel == 0:
		o.ConfLevel = 0.95
	case !(o.ConfLevel > 0 && o.ConfLevel < 1):
		return o, fmt.Errorf("ConfLevel = %v is not in (0, 1): use e.g. 0.95", o.ConfLevel)
	}
	return o, nil
}

// Term names as R survreg gives them.
const (
	InterceptName = "(Intercept)"
	LogScaleName  = "Log(scale)"
)

// Model is a fitted accelerated failure time model. Per-term slices are
// indexed like Names: the intercept, the caller's columns, then Log(scale)
// unless the scale is fixed (Exponential), as in R's summary(fit)$table.
// The location coefficients are Coef[:NumLocation()].
type Model struct {
	Dist  Dist
	Names []string
	// Coef holds the location coefficients (log-time scale), then
	// log(sigma) when estimated. SE, Z and P are the Wald statistics from
	// Var, as summary.survreg.
	Coef, SE, Z, P []float64
	// Scale is sigma (1 for Exponential); the Weibull shape is 1/Scale.
	Scale float64
	// TimeRatio[j] = exp(Coef[j]) for the location terms, with its
	// ConfLevel interval exp(b ± z se). For the Weibull and exponential,
	// the hazard ratio is exp(-Coef[j]/Scale).
	TimeRatio, TRLower, TRUpper []float64
	// Var is the inverse of the observed information at the estimate,
	// R's fit$var (rows and columns like Names).
	Var [][]float64
	// LogLik is R's fit$loglik[2]; LogLik0 is fit$loglik[1], the
	// intercept-only model (with its own scale). Both include the -sum log t
	// Jacobian of the exact times, as survreg.
	LogLik, LogLik0 float64
	// DF is the number of estimated parameters, R's fit$df (Log(scale)
	// included when estimated; redundant terms are not counted, where R
	// counts every coefficient); AIC = -2 LogLik + 2 DF, as AIC(fit).
	DF  int
	AIC float64
	// Chisq is the likelihood-ratio statistic 2(LogLik - LogLik0) on
	// DF - 1 - (scale estimated) degrees of freedom, ChisqP its p value
	// (summary.survreg's "Chisq").
	Chisq  float64
	ChisqP float64
	N      int
	Counts
	ConfLevel  float64
	Iterations int // R's fit$iter
	Converged  bool
	Status     Status
	Messages   []string // why Status is not ok, naming the terms concerned
}

// NumLocation returns the number of location coefficients, intercept
// included.
func (m *Model) NumLocation() int {
	if m.Dist.fixedScale() {
		return len(m.Names)
	}
	return len(m.Names) - 1
}

// blowUp bounds |coefficient x sd(x) / sigma|, the log hazard (or odds)
// ratio between two typical subjects: beyond e^20 the likelihood is monotone.
const blowUp = 20

// Fit fits R survreg's parametric accelerated failure time model
//
//	log T_i = x_i'beta + sigma W_i
//
// with W standard extreme value (Weibull; Exponential with sigma = 1),
// normal (LogNormal) or logistic (LogLogistic), by maximum likelihood. With
// z_i = (log t_i - x_i'beta)/sigma, f, F the density and CDF of W, the
// log-likelihood is
//
//	l = sum_exact [log f(z_i) - log sigma - log t_i] + sum_right log(1 - F(z_i))
//	  + sum_left log F(z_i) + sum_interval log(F(z_hi,i) - F(z_lo,i)).
//
// The algorithm is R survival's survreg.fit / survreg6: starting values from
// an intercept-only fit and the "glim" weighted least squares step,
// Newton–Raphson on log(sigma) and on covariates centred and scaled by their
// standard deviations (not 0/1 columns), moving back to (new + 2 old)/3
// when the loglik falls, and convergence when |1 - l_old/l| <= Eps. The
// variance is the inverse observed information (R's fit$var).
//
// The reference is Kalbfleisch and Prentice (2002), The Statistical Analysis
// of Failure Time Data, 2nd ed., chapter 2-3, and Therneau, "A package for
// survival analysis in R", survreg. The R equivalent is
//
//	survreg(Surv(time, status) ~ x1 + ..., dist = "weibull")
//	survreg(Surv(L, R, type = "interval2") ~ x1 + ..., dist = "lognormal")
//
// and SAS PROC LIFEREG (MODEL (L, R) = x1 ... / DIST=WEIBULL) gives the
// same estimates.
//
// resp holds the times (see Response; RightCensored builds it from time and
// event). x is column-major: x[j][i] is covariate j of observation i, named
// names[j]; the intercept is added. Each iteration costs O(n p^2) and
// allocates nothing beyond starting goroutines: above 32768 observations
// the data pass is split into fixed chunks evaluated on up to GOMAXPROCS
// goroutines and summed in chunk order, so results are the same bits
// whatever the number of CPUs.
//
// Special cases: no exact, left- or interval-censored observation gives
// Status "not_estimable" (the MLE is infinite); a redundant column gives
// "singular" (NaN coefficient); a coefficient that diverges gives
// "monotone_likelihood"; running out of iterations gives "not_converged".
//
// Fit returns an error for unusable data (no observations, bad bounds,
// non-finite covariates, invalid options or distribution). It panics if the
// lengths of resp.Lower, resp.Upper, every x[j] disagree, or if
// len(names) != len(x).
func Fit(resp Response, x [][]float64, names []string, dist Dist, opt Options) (*Model, error) {
	n := len(resp.Lower)
	checkShapes(resp, x, names)
	if !dist.valid() {
		_, err := ParseDist(string(dist))
		return nil, fmt.Errorf("could not fit AFT model: %w", err)
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("could not fit AFT model: %w", err)
	}
	if n == 0 {
		return nil, errors.New("could not fit AFT model: no observations")
	}
	for j, col := range x {
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("could not fit AFT model: covariate %q of observation %d (row %d) is %v: remove or impute it", names[j], i, i+1, v)
			}
		}
	}
	l, counts, err := newLikelihood(resp, x, dist)
	if err != nil {
		return nil, fmt.Errorf("could not fit AFT model: %w", err)
	}
	m := &Model{Dist: dist, Names: termNames(names, dist), N: n, Counts: counts, ConfLevel: opt.ConfLevel}
	if counts.Exact+counts.Left+counts.Interval == 0 {
		return m.notEstimable("no events: every observation is right-censored, so the times have no finite maximum-likelihood location; fit the model on data with events"), nil
	}
	fit(l, m, opt)
	return m, nil
}

func checkShapes(resp Response, x [][]float64, names []string) {
	n := len(resp.Lower)
	if len(resp.Upper) != n {
		panic(fmt.Sprintf("aft: len(Upper) = %d, want len(Lower) = %d", len(resp.Upper), n))
	}
	if len(names) != len(x) {
		panic(fmt.Sprintf("aft: len(names) = %d, want len(x) = %d", len(names), len(x)))
	}
	for j := range x {
		if len(x[j]) != n {
			panic(fmt.Sprintf("aft: len(x[%d]) = %d, want %d observations", j, len(x[j]), n))
		}
	}
}

func termNames(names []string, dist Dist) []string {
	t := append([]string{InterceptName}, names...)
	if !dist.fixedScale() {
		t = append(t, LogScaleName)
	}
	return t
}

func newLikelihood(resp Response, x [][]float64, dist Dist) (*likelihood, Counts, error) {
	n := len(resp.Lower)
	p := len(x) + 1
	l := &likelihood{
		k: dist.kind(), n: n, p: p, q: p, cols: x,
		code: make([]int8, n), lo: make([]float64, n),
	}
	if !dist.fixedScale() {
		l.q = p + 1
	}
	l.newScratch()
	for i := range n {
		if !(math.IsNaN(resp.Lower[i]) || resp.Lower[i] == 0 || math.IsNaN(resp.Upper[i]) || math.IsInf(resp.Upper[i], 1) || resp.Lower[i] == resp.Upper[i]) {
			l.hi = make([]float64, n)
			break
		}
	}
	hi := l.hi
	if hi == nil {
		hi = l.lo // never written: no interval-censored rows
	}
	c, err := resp.classify(l.code, l.lo, hi)
	return l, c, err
}

func (m *Model) notEstimable(msg string) *Model {
	m.Status = StatusNotEstimable
	m.Messages = append(m.Messages, msg)
	nan := math.NaN()
	m.Scale, m.LogLik, m.LogLik0, m.AIC, m.Chisq, m.ChisqP = nan, nan, nan, nan, nan, nan
	return m
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
