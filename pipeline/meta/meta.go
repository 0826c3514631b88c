package meta

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Method is the estimator of the between-study variance τ².
type Method string

// Methods, with metafor's names.
const (
	FixedEffect      Method = "FE"   // inverse variance, τ² = 0
	DerSimonianLaird Method = "DL"   // method of moments (DerSimonian & Laird 1986)
	REML             Method = "REML" // restricted maximum likelihood, Fisher scoring
	PauleMandel      Method = "PM"   // generalised Q equal to its expectation (Paule & Mandel 1982)
)

// Methods lists the methods in the order a report shows them.
var Methods = []Method{FixedEffect, DerSimonianLaird, REML, PauleMandel}

// ParseMethod parses a method name ("FE", "DL", "REML" or "PM",
// case-insensitive). The error lists the valid names.
func ParseMethod(s string) (Method, error) {
	for _, m := range Methods {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown meta-analysis method %q: use FE, DL, REML or PM", s)
}

// Adjustment is the inference on the pooled estimate.
type Adjustment string

// Adjustments.
const (
	// NoAdjustment gives Wald inference on the normal distribution
	// (metafor test = "z").
	NoAdjustment Adjustment = "none"
	// HKSJ is the Hartung–Knapp–Sidik–Jonkman adjustment: the variance is
	// multiplied by the weighted residual mean square and the t
	// distribution on k-1 degrees of freedom is used (metafor test =
	// "knha"). metafor does not truncate the factor at 1, nor does this
	// package.
	HKSJ Adjustment = "hksj"
)

// Statuses reported in Result.Status and EggerResult.Status.
const (
	StatusOK = "ok"
	// StatusNotConverged: the REML Fisher scoring did not meet its
	// convergence rule within MaxIter iterations; Tau2 is the last
	// iterate and the estimates are not to be reported.
	StatusNotConverged = "not_converged"
	// StatusTooFewStudies: Egger's test was not computed because there
	// are fewer than EggerMinStudies studies.
	StatusTooFewStudies = "too_few_studies"
)

// Defaults, as metafor's rma() control list.
const (
	// DefaultREMLThreshold is metafor's threshold: the Fisher scoring
	// stops when τ² changes by less than this.
	DefaultREMLThreshold = 1e-5
	// DefaultMaxIter is metafor's maxiter.
	DefaultMaxIter = 100
	// reMLll0Tol is metafor's tol = .Machine$double.eps^0.25, used in its
	// check that the REML optimum beats τ² = 0 (ll0check).
	remlLL0Tol = 1.220703125e-4
)

// Options configures Pool.
type Options struct {
	Method     Method     // "" means REML, metafor's default
	Adjustment Adjustment // "" means NoAdjustment
	ConfLevel  float64    // 0 means 0.95; otherwise in (0, 1)
	// REMLThreshold is the REML stopping rule |τ²_new - τ²_old| <
	// REMLThreshold; 0 means DefaultREMLThreshold (metafor's).
	REMLThreshold float64
	MaxIter       int // REML iterations; 0 means DefaultMaxIter
}

func (o Options) withDefaults() Options {
	if o.Method == "" {
		o.Method = REML
	}
	if o.Adjustment == "" {
		o.Adjustment = NoAdjustment
	}
	if o.ConfLevel == 0 {
		o.ConfLevel = 0.95
	}
	if o.REMLThreshold == 0 {
		o.REMLThreshold = DefaultREMLThreshold
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	switch o.Method {
	case FixedEffect, DerSimonianLaird, REML, PauleMandel:
	default:
		panic(fmt.Sprintf("meta: unknown Method %q", o.Method))
	}
	if o.Adjustment != NoAdjustment && o.Adjustment != HKSJ {
		panic(fmt.Sprintf("meta: unknown Adjustment %q", o.Adjustment))
	}
	if !(o.ConfLevel > 0 && o.ConfLevel < 1) {
		panic(fmt.Sprintf("meta: ConfLevel %v not in (0, 1)", o.ConfLevel))
	}
	if !(o.REMLThreshold > 0) || o.MaxIter < 0 {
		panic(fmt.Sprintf("meta: REMLThreshold %v and MaxIter %d must be positive", o.REMLThreshold, o.MaxIter))
	}
	return o
}

// Result is a pooled estimate on the analysis scale.
type Result struct {
	Method     Method
	Adjustment Adjustment
	ConfLevel  float64
	K          int // number of studies

	Estimate, SE float64 // pooled estimate and its standard error (HKSJ-scaled under HKSJ)
	// Stat is Estimate/SE; P its two-sided p value, on the normal
	// distribution, or on Student's t with DF degrees of freedom under
	// HKSJ. DF is 0 without adjustment.
	Stat, P      float64
	DF           int
	Lower, Upper float64 // confidence interval for the pooled estimate

	// Tau2 is the between-study variance (0 for FixedEffect);
	// Tau2Lower and Tau2Upper its Q-profile confidence interval, NaN for
	// FixedEffect, which estimates no τ².
	Tau2, Tau2Lower, Tau2Upper float64
	// Q is Cochran's heterogeneity statistic with the fixed-effect
	// weights, on QDF = K-1 degrees of freedom, and QP its p value.
	Q   float64
	QDF int
	QP  float64
	// I2 (percent) and H2 measure heterogeneity. For FixedEffect they are
	// max(0, 100 (Q-(K-1))/Q) and Q/(K-1); for the random-effects methods
	// 100 τ²/(τ²+VTypical) and τ²/VTypical + 1, as metafor. Their
	// interval limits follow from the τ² interval; NaN for FixedEffect.
	I2, I2Lower, I2Upper float64
	H2, H2Lower, H2Upper float64
	// VTypical is the "typical" within-study variance (K-1)/(Σw - Σw²/Σw)
	// with w = 1/sei² (Higgins & Thompson 2002).
	VTypical float64
	// PILower and PIUpper are the prediction interval for the effect in a
	// new study; NaN for FixedEffect.
	PILower, PIUpper float64
	// Weights are the studies' percentage weights 100 w_i/Σw, w_i =
	// 1/(sei_i² + τ²), in input order.
	Weights []float64

	Iterations int    // REML Fisher scoring iterations (metafor's fit$iter); 0 otherwise
	Status     string // StatusOK or StatusNotConverged
	Message    string // explains a non-ok Status
}

// Pool pools the study estimates yi with standard errors sei.
//
// With w_i = 1/(v_i + τ²), v_i = sei_i²:
//
//	estimate = Σ w_i y_i / Σ w_i,   var = 1/Σ w_i
//	CI       = estimate ± z_{1-α/2} sqrt(var)
//	HKSJ:      var_HKSJ = var · Σ w_i (y_i - estimate)² / (k-1),
//	           CI = estimate ± t_{k-1, 1-α/2} sqrt(var_HKSJ)
//	Q        = Σ (1/v_i)(y_i - μ_FE)²  ~  χ²_{k-1}
//	PI       = estimate ± c sqrt(var + τ²), c the quantile of the CI (z, or t_{k-1} under HKSJ)
//
// τ² is 0 (FixedEffect), or
//
//	DL:   max(0, (Q - (k-1)) / (Σw - Σw²/Σw)), w = 1/v
//	PM:   the root of Q(τ²) = Σ w_i(τ²)(y_i - μ(τ²))² = k-1, or 0 when Q(0) < k-1
//	REML: Fisher scoring from max(0, Hedges' estimate), as metafor:
//	      τ² += (Σ w²(y-μ)² - tr P)/tr(P²), P = W - w w'/Σw, halving the step
//	      while it would make τ² negative, until |Δτ²| < REMLThreshold;
//	      then τ² = 0 if the REML log-likelihood at 0 beats the optimum by
//	      more than 1.22e-4 (metafor's ll0check).
//
// The τ² interval is the Q-profile interval (Viechtbauer 2007): the τ² with
// Q(τ²) equal to the χ²_{k-1} quantiles 1-α/2 (lower limit) and α/2 (upper
// limit), 0 where Q(0) is already below the quantile.
// The prediction interval uses the CI's quantile, as metafor 3.8's
// predict() (pi.type "default"); Riley et al. (2011) suggest t_{k-2}.
//
// References: DerSimonian & Laird (1986) Control Clin Trials 7:177–188;
// Paule & Mandel (1982) J Res Natl Bur Stand 87:377–385; Viechtbauer
// (2005) J Educ Behav Stat 30:261–293 (REML); Hartung & Knapp (2001) Stat
// Med 20:3875–3889; Sidik & Jonkman (2002) Stat Med 21:3153–3159; Higgins
// & Thompson (2002) Stat Med 21:1539–1558 (I², H²); Viechtbauer (2007)
// Stat Med 26:37–52 (Q-profile). R equivalent: metafor's rma(yi, sei = sei,
// method = ..., test = "z" | "knha") with confint() and predict().
//
// metafor solves the Paule–Mandel equation and the Q-profile limits with
// uniroot's default tolerance (about 1.2e-4 in τ²); Pool solves them to
// machine precision (rma(..., control = list(tol = 1e-12)) agrees to 1e-9).
// metafor searches the Q-profile upper limit below max(100, 10 τ²); Pool
// doubles the bracket as needed.
//
// Pool returns an error for fewer than 2 studies, a non-finite yi, or a
// sei that is not finite and positive. It panics if len(yi) != len(sei) or
// the options are invalid.
func Pool(yi, sei []float64, opt Options) (*Result, error) {
	if len(yi) != len(sei) {
		panic(fmt.Sprintf("meta: len(yi) = %d != len(sei) = %d", len(yi), len(sei)))
	}
	opt = opt.withDefaults()
	if err := checkStudies(yi, sei); err != nil {
		return nil, fmt.Errorf("could not pool studies: %w", err)
	}
	vi := make([]float64, len(sei))
	for i, s := range sei {
		vi[i] = s * s
	}
	return pool(yi, vi, opt), nil
}

// ErrTooFewStudies is returned (wrapped) when fewer than two studies are
// given.
var ErrTooFewStudies = errors.New("at least 2 studies are needed")

func checkStudies(yi, sei []float64) error {
	if len(yi) < 2 {
		return fmt.Errorf("%w, got %d", ErrTooFewStudies, len(yi))
	}
	for i := range yi {
		if math.IsNaN(yi[i]) || math.IsInf(yi[i], 0) {
			return fmt.Errorf("study %d: estimate %v is not a finite number", i+1, yi[i])
		}
		if !(sei[i] > 0) || math.IsInf(sei[i], 0) {
			return fmt.Errorf("study %d: standard error %v must be finite and > 0", i+1, sei[i])
		}
	}
	return nil
}

// pool fits the model to valid data with sampling variances vi.
func pool(yi, vi []float64, opt Options) *Result {
	k := len(yi)
	r := &Result{Method: opt.Method, Adjustment: opt.Adjustment, ConfLevel: opt.ConfLevel, K: k, QDF: k - 1, Status: StatusOK}
	r.Q, r.VTypical = cochranQ(yi, vi)
	r.QP = distuv.ChiSquared{K: float64(k - 1)}.Survival(r.Q)
	switch opt.Method {
	case FixedEffect:
		r.Tau2 = 0
	case DerSimonianLaird:
		r.Tau2 = tau2DL(yi, vi)
	case PauleMandel:
		r.Tau2 = tau2PM(yi, vi)
	case REML:
		var ok bool
		r.Tau2, r.Iterations, ok = tau2REML(yi, vi, opt.REMLThreshold, opt.MaxIter)
		if !ok {
			r.Status = StatusNotConverged
			r.Message = fmt.Sprintf("REML Fisher scoring did not converge in %d iterations (tau2 = %g); try another method or a larger MaxIter", opt.MaxIter, r.Tau2)
		}
	}
	r.estimate(yi, vi, opt)
	r.heterogeneity(yi, vi)
	return r
}

// estimate sets the pooled estimate, its CI, test, prediction interval and
// weights from r.Tau2.
func (r *Result) estimate(yi, vi []float64, opt Options) {
	k := len(yi)
	mu, sw := weightedMean(yi, vi, r.Tau2)
	v := 1 / sw
	alpha := 1 - opt.ConfLevel
	var crit float64
	if opt.Adjustment == HKSJ {
		rss := 0.0
		for i := range yi {
			d := yi[i] - mu
			rss += d * d / (vi[i] + r.Tau2)
		}
		s2w := rss / float64(k-1)
		if rss <= epsilon { // metafor: s2w = 0 when RSS <= .Machine$double.eps
			s2w = 0
		}
		v *= s2w
		r.DF = k - 1
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(r.DF)}
		crit = t.Quantile(1 - alpha/2)
		r.Estimate, r.SE = mu, math.Sqrt(v)
		r.Stat = mu / r.SE
		r.P = 2 * t.Survival(math.Abs(r.Stat))
	} else {
		crit = distuv.UnitNormal.Quantile(1 - alpha/2)
		r.Estimate, r.SE = mu, math.Sqrt(v)
		r.Stat = mu / r.SE
		r.P = 2 * distuv.UnitNormal.CDF(-math.Abs(r.Stat))
	}
	r.Lower, r.Upper = mu-crit*r.SE, mu+crit*r.SE
	r.PILower, r.PIUpper = math.NaN(), math.NaN()
	if r.Method != FixedEffect {
		h := crit * math.Sqrt(v+r.Tau2)
		r.PILower, r.PIUpper = mu-h, mu+h
	}
	r.Weights = make([]float64, k)
	for i := range vi {
		r.Weights[i] = 100 / (vi[i] + r.Tau2) / sw
	}
}

// epsilon is R's .Machine$double.eps.
const epsilon = 2.220446049250313e-16

// heterogeneity sets I², H² and the Q-profile intervals.
func (r *Result) heterogeneity(yi, vi []float64) {
	k := float64(r.K)
	if r.Method == FixedEffect {
		r.I2 = math.Max(0, 100*(r.Q-(k-1))/r.Q)
		r.H2 = r.Q / (k - 1)
		r.Tau2Lower, r.Tau2Upper = math.NaN(), math.NaN()
		r.I2Lower, r.I2Upper = math.NaN(), math.NaN()
		r.H2Lower, r.H2Upper = math.NaN(), math.NaN()
		return
	}
	r.I2 = 100 * r.Tau2 / (r.VTypical + r.Tau2)
	r.H2 = r.Tau2/r.VTypical + 1
	r.Tau2Lower, r.Tau2Upper = qProfile(yi, vi, r.ConfLevel, r.Tau2)
	r.I2Lower = 100 * r.Tau2Lower / (r.VTypical + r.Tau2Lower)
	r.I2Upper = 100 * r.Tau2Upper / (r.VTypical + r.Tau2Upper)
	r.H2Lower = r.Tau2Lower/r.VTypical + 1
	r.H2Upper = r.Tau2Upper/r.VTypical + 1
}

// Ratio is a pooled result back-transformed with exp to the ratio scale.
type Ratio struct {
	Estimate, Lower, Upper float64
	PILower, PIUpper       float64 // NaN for FixedEffect
}

// Ratio returns the estimate, its CI and the prediction interval on the
// ratio scale, exp of the log-scale values: use it when the studies were
// given as ratios (FromRatio).
func (r *Result) Ratio() Ratio {
	return Ratio{math.Exp(r.Estimate), math.Exp(r.Lower), math.Exp(r.Upper), math.Exp(r.PILower), math.Exp(r.PIUpper)}
}
