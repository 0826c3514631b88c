package cure

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/survtime"
	"gonum.org/v1/gonum/stat/distuv"
)

// Distribution names the distribution of the latency among the
// susceptible (responders): log T = η + σ W with W standard minimum
// extreme value (Weibull) or standard normal (log-normal), as R's survreg.
type Distribution string

// Latency distributions, with R survreg's names.
const (
	Weibull   Distribution = "weibull"
	LogNormal Distribution = "lognormal"
)

// ParseDistribution returns the Distribution named by s, ignoring case and
// surrounding blanks ("log-normal" is accepted too). The empty string means
// Weibull.
func ParseDistribution(s string) (Distribution, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "weibull":
		return Weibull, nil
	case "lognormal", "log-normal":
		return LogNormal, nil
	}
	return "", fmt.Errorf("unknown latency distribution %q: use %q or %q", s, Weibull, LogNormal)
}

// Design is a covariate design matrix without its intercept, which Fit adds.
// X is column-major: X[j][i] is covariate j of subject i, and Names[j] names
// column j (an arm dummy such as "arm=ketamine", or a covariate). A nil or
// empty X is the intercept-only model.
type Design struct {
	X     [][]float64
	Names []string
}

// Options controls Fit. The zero value fits a Weibull latency.
type Options struct {
	Latency   Distribution // "" means Weibull
	MaxIter   int          // 0 means 100 Newton iterations
	Eps       float64      // 0 means 1e-10: convergence when the Newton decrement g'(-H)^-1 g / 2 <= Eps
	ConfLevel float64      // 0 means 0.95, for coefficient and summary CIs
	// Groups is nil or a group (arm) label per subject: the plateau check
	// is made per group. nil checks all subjects as one group, labelled 0.
	Groups []int
	// PlateauAlpha is the level of the Maller–Zhou test (PlateauTest);
	// 0 means DefaultPlateauAlpha (0.05).
	PlateauAlpha float64
}

// Statuses reported in Model.Status.
const (
	StatusOK           = "ok"
	StatusNoPlateau    = "no_plateau"    // a group fails the plateau check: the cure fraction is not identified by the data
	StatusNotEstimable = "not_estimable" // information matrix singular, or a fitted π within 2e-9 of 0 or 1 (boundary)
	StatusNotConverged = "not_converged" // Newton–Raphson stopped before the convergence criterion was met
)

// ErrNoEvents is returned (wrapped) by Fit when no subject has an event.
var ErrNoEvents = errors.New("no events: all subjects are censored, so neither the responder fraction nor the latency can be estimated")

// Component says which part of the model a term belongs to.
type Component string

const (
	Incidence Component = "incidence" // logistic model of π, the probability of the event eventually (responding)
	Latency   Component = "latency"   // AFT model of log T among the susceptible; "log(scale)" is log σ
)

// Term is one estimated parameter.
type Term struct {
	Component Component
	Name      string  // "(Intercept)", a Design name, or "log(scale)"
	Coef      float64 // the estimate
	// SE is from the observed information. SE, Z, P, Lower and Upper are
	// NaN when the information is singular (Status not_estimable).
	SE   float64
	Z, P float64 // Wald statistic Coef/SE and its two-sided normal p value
	// Lower and Upper are the Wald limits Coef ± z SE at Model.ConfLevel.
	Lower, Upper float64
}

// Model is a fitted mixture cure model. Use Status, not the numbers, to
// decide whether the fit may be reported: a status other than "ok" says
// what is wrong and Messages explains it.
type Model struct {
	Latency Distribution
	// Terms lists the incidence terms (intercept first, then the incidence
	// Design columns), then the latency terms (intercept, Design columns),
	// then the latency's log(scale). Var is their covariance matrix, the
	// inverse observed information, in the same order (NaN when Status is
	// not_estimable).
	Terms     []Term
	Var       [][]float64
	LogLik    float64 // maximised log-likelihood, on the time scale (includes -log t for events, as survreg)
	N, Events int
	ConfLevel float64

	Iterations int
	Converged  bool
	// Plateaus has one entry per group (ascending label): the evidence for a
	// cure fraction in each arm.
	Plateaus []Plateau
	Status   string   // "ok", "no_plateau", "not_estimable" or "not_converged"
	Messages []string // why Status is not "ok", one sentence each

	nz, nx   int       // incidence and latency coefficients, intercepts included
	zMean    []float64 // means of the incidence Design columns
	xMean    []float64 // means of the latency Design columns
	quantile float64   // Φ⁻¹ of (1+ConfLevel)/2
	singular bool      // the observed information is not positive definite
}

// Fit fits the mixture cure model
//
//	S(t | z, x) = 1 - π(z) + π(z) S_u(t | x)
//	logit π(z)  = γ_0 + z'γ                              (incidence)
//	log T       = β_0 + x'β + σ W   among the susceptible (latency, AFT)
//
// with W standard minimum extreme value (S_W(w) = exp(-e^w): Weibull
// latency) or standard normal (log-normal latency), by full maximum
// likelihood. Subject i with event indicator δ_i at time t_i contributes
//
//	L_i = [π(z_i) f_u(t_i | x_i)]^δ_i [1 - π(z_i) + π(z_i) S_u(t_i | x_i)]^(1-δ_i)
//	f_u(t | x) = f_W(w)/(σ t),  S_u(t | x) = S_W(w),  w = (log t - β_0 - x'β)/σ.
//
// π is the probability of being susceptible: of responding eventually, for
// a time-to-response endpoint; 1 - π is the cure (never-responder)
// fraction. This is the parametric mixture cure model of Farewell (1982,
// Biometrics 38:1041–1046); Peng & Dear (2000, Biometrics 56:237–243) and
// R's smcure (Cai, Zou, Peng & Zhang 2012, Computer Methods and Programs in
// Biomedicine, doi:10.1016/j.cmpb.2012.08.013) fit the same mixture with a
// semiparametric PH or AFT latency by EM, with bootstrap standard errors.
// Here the likelihood is maximised directly, by Newton–Raphson on the
// analytic gradient and Hessian with step halving (a multiple of the
// identity is added to -H where it is not positive definite; convergence
// when the Newton decrement g'(-H)^-1 g / 2 <= Eps, that last step taken),
// from a start at the Kaplan–Meier plateau (incidence) and least squares on
// the log event times (latency). Standard errors are the square roots of
// the diagonal of the inverse observed information at the estimate. The
// latency is parameterised as R's survreg: for the Weibull, shape = 1/σ
// and scale = exp(β_0 + x'β).
//
// Special cases. No events is an error (ErrNoEvents). Statuses, in this
// order of precedence: "no_plateau" when a group's Kaplan–Meier curve has
// no plateau or the Maller–Zhou test does not show sufficient follow-up
// (PlateauTest; the cure fraction is then not identified by the data and
// the estimates lean on the parametric tail); "not_estimable" when the
// observed information is singular (for example a constant column or one
// confounded with the intercept) or a fitted π is within 2e-9 of 0 or 1
// (an arm where everyone, or no one, responds: the estimate is at the
// boundary); "not_converged" when MaxIter iterations did not meet the
// criterion. The estimates are returned in every case but are not to be
// reported as sound unless Status is "ok".
//
// R: flexsurvcure::flexsurvcure(Surv(time, status) ~ z, dist = "weibull",
// mixture = TRUE, anc = ...) fits this model by maximum likelihood, in
// flexsurv's parameterisation (not installable here, so not compared);
// testdata/make_reference.R maximises the same likelihood in base R with
// optim(method = "BFGS") and optimHess. SAS: PROC NLMIXED with the
// log-likelihood above.
//
// Cost: O(n (pz+px)²) per iteration and allocation of a few n-vectors.
//
// Fit returns an error for unusable data: no subjects, a time that is not
// finite and > 0 (log t must exist), a non-finite covariate, no events, or
// invalid options. It panics if event, every design column and a non-nil
// opt.Groups do not have len(time) elements, or if a Design has
// len(Names) != len(X).
func Fit(time []float64, event []bool, incidence, latency Design, opt Options) (*Model, error) {
	checkShapes(time, event, incidence, latency, opt.Groups)
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("could not fit cure model: %w", err)
	}
	if err := checkData(time, event, incidence, latency); err != nil {
		return nil, fmt.Errorf("could not fit cure model: %w", err)
	}
	p := newProblem(opt.Latency, time, event, incidence.X, latency.X)
	r := p.maximise(p.start(time, event), opt.MaxIter, opt.Eps)
	m := newModel(p, r, incidence, latency, opt)
	m.Plateaus = plateaus(time, event, opt.Groups, opt.PlateauAlpha)
	m.setStatus(p, r)
	return m, nil
}

func checkShapes(time []float64, event []bool, incidence, latency Design, groups []int) {
	n := len(time)
	if len(event) != n {
		panic(fmt.Sprintf("cure: len(event) = %d, want len(time) = %d", len(event), n))
	}
	if groups != nil && len(groups) != n {
		panic(fmt.Sprintf("cure: len(Groups) = %d, want len(time) = %d", len(groups), n))
	}
	for _, d := range []struct {
		what string
		Design
	}{{"incidence", incidence}, {"latency", latency}} {
		if len(d.Names) != len(d.X) {
			panic(fmt.Sprintf("cure: %s design has %d names for %d columns", d.what, len(d.Names), len(d.X)))
		}
		for j, col := range d.X {
			if len(col) != n {
				panic(fmt.Sprintf("cure: %s column %q has %d rows, want len(time) = %d", d.what, d.Names[j], len(col), n))
			}
		}
	}
}

func (o Options) withDefaults() (Options, error) {
	d, err := ParseDistribution(string(o.Latency))
	if err != nil {
		return o, err
	}
	o.Latency = d
	switch {
	case o.MaxIter < 0:
		return o, fmt.Errorf("MaxIter = %d is negative: use 0 for the default (100)", o.MaxIter)
	case o.MaxIter == 0:
		o.MaxIter = 100
	}
	switch {
	case o.Eps < 0 || math.IsNaN(o.Eps) || math.IsInf(o.Eps, 0):
		return o, fmt.Errorf("Eps = %v is not a positive number: use 0 for the default (1e-10)", o.Eps)
	case o.Eps == 0:
		o.Eps = 1e-10
	}
	switch {
	case o.ConfLevel == 0:
		o.ConfLevel = 0.95
	case !(o.ConfLevel > 0 && o.ConfLevel < 1):
		return o, fmt.Errorf("ConfLevel = %v is not in (0, 1): use e.g. 0.95", o.ConfLevel)
	}
	switch {
	case o.PlateauAlpha == 0:
		o.PlateauAlpha = DefaultPlateauAlpha
	case !(o.PlateauAlpha > 0 && o.PlateauAlpha < 1):
		return o, fmt.Errorf("PlateauAlpha = %v is not in (0, 1): use e.g. 0.05", o.PlateauAlpha)
	}
	return o, nil
}

func checkData(time []float64, event []bool, incidence, latency Design) error {
	if len(time) == 0 {
		return errors.New("no subjects")
	}
	events := 0
	for i, t := range time {
		if !(t > 0) || math.IsInf(t, 0) {
			return fmt.Errorf("time of subject %d (row %d) is %v: the AFT latency needs finite times > 0 (a response on day 0 can be set to a small positive time, e.g. 0.5 day)", i, i+1, t)
		}
		if event[i] {
			events++
		}
	}
	if events == 0 {
		return ErrNoEvents
	}
	for _, d := range []struct {
		what string
		Design
	}{{"incidence", incidence}, {"latency", latency}} {
		for j, col := range d.X {
			for i, v := range col {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%s covariate %q of subject %d (row %d) is %v: remove or impute it", d.what, d.Names[j], i, i+1, v)
				}
			}
		}
	}
	return nil
}

// plateaus runs PlateauTest on each group, in ascending label order.
func plateaus(time []float64, event []bool, groups []int, alpha float64) []Plateau {
	if groups == nil {
		pl := plateauOf(fixed(time), event, alpha)
		return []Plateau{pl}
	}
	labels := slices.Clone(groups)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	out := make([]Plateau, 0, len(labels))
	for _, g := range labels {
		var ts []float64
		var ev []bool
		for i, gi := range groups {
			if gi == g {
				ts = append(ts, time[i])
				ev = append(ev, event[i])
			}
		}
		pl := plateauOf(fixed(ts), ev, alpha)
		pl.Group = g
		out = append(out, pl)
	}
	return out
}

// fixed returns a copy of ts with R's aeqSurv tie fix applied.
func fixed(ts []float64) []float64 {
	c := slices.Clone(ts)
	survtime.Fix(c)
	return c
}

// newModel assembles the terms and covariance of the fit r.
func newModel(p *problem, r newtonResult, incidence, latency Design, opt Options) *Model {
	m := &Model{
		Latency:    opt.Latency,
		LogLik:     r.logLik,
		N:          len(p.logt),
		ConfLevel:  opt.ConfLevel,
		Iterations: r.iterations,
		Converged:  r.converged,
		nz:         len(p.z),
		nx:         len(p.x),
		zMean:      columnMeans(incidence.X),
		xMean:      columnMeans(latency.X),
		quantile:   distuv.UnitNormal.Quantile((1 + opt.ConfLevel) / 2),
	}
	for _, e := range p.event {
		if e {
			m.Events++
		}
	}
	m.Var, m.singular = covariance(r.hess, p.dim())
	names := slices.Concat([]string{"(Intercept)"}, incidence.Names, []string{"(Intercept)"}, latency.Names, []string{"log(scale)"})
	for j, name := range names {
		c := Incidence
		if j >= m.nz {
			c = Latency
		}
		m.Terms = append(m.Terms, m.term(c, name, r.theta[j], math.Sqrt(m.Var[j][j])))
	}
	return m
}

func (m *Model) term(c Component, name string, coef, se float64) Term {
	z := coef / se
	return Term{
		Component: c, Name: name, Coef: coef, SE: se, Z: z,
		P:     2 * distuv.UnitNormal.Survival(math.Abs(z)),
		Lower: coef - m.quantile*se, Upper: coef + m.quantile*se,
	}
}

func columnMeans(cols [][]float64) []float64 {
	means := make([]float64, len(cols))
	for j, col := range cols {
		var s float64
		for _, v := range col {
			s += v
		}
		means[j] = s / float64(len(col))
	}
	return means
}
