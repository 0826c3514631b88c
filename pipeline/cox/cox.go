package cox

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/newton"
	"github.com/ketcurves/ketcurves/pipeline/survtime"

	"gonum.org/v1/gonum/stat/distuv"
)

// Ties names the approximation of the partial likelihood used when several
// events share a time.
type Ties string

const (
	// Efron is Efron's (1977) approximation, R coxph's default
	// (SAS PHREG TIES=EFRON).
	Efron Ties = "efron"
	// Breslow is Breslow's (1974) approximation, SAS PHREG's default
	// (R coxph ties = "breslow").
	Breslow Ties = "breslow"
)

// ParseTies returns the Ties named by s, ignoring case and surrounding
// blanks. The empty string means Efron, the default.
func ParseTies(s string) (Ties, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "efron":
		return Efron, nil
	case "breslow":
		return Breslow, nil
	}
	return "", fmt.Errorf("unknown ties method %q: use %q or %q", s, Efron, Breslow)
}

// Options controls the fit. The zero value gives R coxph's defaults on
// right-censored data with the model-based variance.
type Options struct {
	Ties      Ties    // "" means Efron
	MaxIter   int     // 0 means 20 (R coxph.control iter.max)
	Eps       float64 // 0 means 1e-9 (R coxph.control eps: relative change in loglik)
	ConfLevel float64 // 0 means 0.95, for HR CIs

	// Entry, if not nil, gives each row's entry (start) time: row i is at
	// risk on (Entry[i], time[i]], as R Surv(entry, time, status). This is
	// delayed entry (left truncation) or, with several rows per subject,
	// counting-process data with time-varying covariates. Entry[i] must be
	// below time[i]. Nil means every row is at risk from the start.
	Entry []float64
	// Cluster, if not nil, gives each row's cluster id (for example the
	// subject of counting-process rows, or the centre) and requests the
	// robust sandwich variance clustered by it, as R coxph(..., cluster =
	// id). The ids are arbitrary integers; only equality matters.
	Cluster []int
	// Robust requests the robust sandwich variance with every row its own
	// cluster, as R coxph(..., robust = TRUE). It is implied by Cluster.
	Robust bool
}

// Statuses reported in Result.Status.
const (
	StatusOK           = "ok"
	StatusNotConverged = "not_converged"
	StatusMonotone     = "monotone_likelihood"
	StatusSingular     = "singular"
)

// Result is a fitted Cox model. Per-term slices are indexed like the columns
// of x. For a term dropped because of a singular information matrix
// (Status "singular"), Coef, SE, Z, P, HR, HRLower and HRUpper are NaN and the
// term's row and column of Var are NaN; R reports NA for such a coefficient.
// When several problems occur, Status is the first that applies of
// "monotone_likelihood", "singular" and "not_converged", and Messages
// explains each of them.
type Result struct {
	Names                                []string
	Coef, SE, Z, P, HR, HRLower, HRUpper []float64
	// Var is the p x p inverse information at the estimate (when not
	// converged, at the last improving estimate; survival 3.5.3 returns an
	// incorrect variance in that case).
	Var             [][]float64
	LogLik0, LogLik float64 // at beta = 0 and at the estimate
	Wald, LR, Score Test    // R: summary(fit)$waldtest, $logtest, $sctest
	N, Events       int
	// Iterations is the number of Newton–Raphson iterations, as R's
	// fit$iter, except that it is MaxIter, not R's iter.max + 1, when the
	// fit did not converge.
	Iterations int
	// Converged reports whether R's convergence criterion on the
	// log-likelihood was met. It is true under monotone likelihood, where the
	// log-likelihood converges while a coefficient drifts to infinity: use
	// Status, not Converged, to decide whether the estimates are usable.
	Converged bool
	Status    string   // "ok", "not_converged", "monotone_likelihood", "singular"
	Messages  []string // human-readable explanation for a non-ok status, naming the term(s) concerned
	// Robust is the robust sandwich variance and the tests based on it,
	// when Options.Robust or Options.Cluster asked for it; nil otherwise.
	Robust *Robust
}

// Test is a chi-square test of beta = 0 on DF degrees of freedom, the number
// of non-redundant terms. P is NaN when DF is 0 (every term redundant).
type Test struct {
	Statistic float64
	DF        int
	P         float64
}

const (
	// cholTolerance is R coxph.control's toler.chol, .Machine$double.eps^0.75:
	// a pivot smaller than this times the largest diagonal element of the
	// information matrix marks its column as redundant.
	cholTolerance = newton.DefaultTolChol
	// blowUp is the largest |coefficient| per unit of the covariate's mean
	// absolute deviation that is accepted as finite: a hazard ratio of e^20
	// between two typical subjects only arises when the likelihood is monotone.
	blowUp = 20
)

// CoxPH fits the Cox proportional hazards model
//
//	h_s(t | x_i) = h0_s(t) exp(x_i' beta)
//
// by maximising the partial log-likelihood. With Breslow's approximation,
// summing over the distinct event times t in each stratum s, with D the set
// of d subjects who have an event at t and R the risk set (time >= t, and
// entry < t with delayed entry; a subject censored at t is at risk at t, as
// in R and SAS),
//
//	l(beta) = sum_t [ sum_{i in D} x_i'beta - d log S0(t) ],  S0(t) = sum_{i in R} exp(x_i'beta)
//
// and with Efron's approximation the d deaths at t get successively reduced
// denominators,
//
//	l(beta) = sum_t [ sum_{i in D} x_i'beta - sum_{k=0}^{d-1} log(S0(t) - (k/d) S0D(t)) ],  S0D(t) = sum_{i in D} exp(x_i'beta).
//
// Newton–Raphson starts at beta = 0 and, as R coxph.fit (C routine coxfit6),
// works on covariates centred at their means and scaled by their mean
// absolute deviations, halves the step towards the last good estimate when the
// log-likelihood decreases or becomes non-finite, and stops when
//
//	|1 - l_old/l_new| <= Eps
//
// or after MaxIter iterations. The variance is the inverse of the information
// matrix at the estimate, by a Cholesky (LDL') decomposition with R's
// toler.chol = 2^-39 (about 1.8e-12) relative pivot tolerance; columns with a
// smaller pivot are redundant (Status "singular", NaN for the term, as R's NA).
//
// Tests, as R summary.coxph: Wald b' Var^-1 b; likelihood ratio 2(l(b) - l(0));
// score U(0)' I(0)^-1 U(0) at beta = 0; all chi-square with DF = number of
// non-redundant terms. Per-term p values are 2(1 - Phi(|b/se|)); hazard-ratio
// intervals exp(b ± z_{(1+ConfLevel)/2} se).
//
// Special cases: monotone likelihood (for example an arm with no events) is
// detected as in R coxph.fit, which warns "Loglik converged before variable
// 2 ; coefficient may be infinite." (survival 3.5.3): after convergence a term j is flagged when
// |(U' Var)_j| > Eps and > sqrt(Eps)|b_j|, or when U_j is not finite.
// Independently of R, a term whose |b_j| times the covariate's mean absolute
// deviation exceeds 20 is flagged too. Either gives Status
// "monotone_likelihood"; the estimates are returned as computed and are not
// to be reported as finite. Running out of iterations gives "not_converged".
// Messages names the terms concerned.
//
// The reference is Therneau and Grambsch (2000), Modeling Survival Data,
// sections 3.2 and 3.3, and R survival's coxph(); SAS PROC PHREG fits the
// same model (TIES=EFRON or TIES=BRESLOW).
//
// time[i] is the event or censoring time of row i and event[i] is true for
// an event. x is column-major: x[j][i] is covariate j of row i, and
// names[j] names column j. strata is nil or gives a stratum id per row;
// each stratum has its own baseline hazard (R strata()).
//
// Times are first tied as R's aeqSurv does (survtime.Fix; coxph's default
// timefix = TRUE), entry and exit times jointly.
//
// Delayed entry (Options.Entry): row i is in the risk sets of the event
// times t with entry_i < t <= time_i, as R coxph(Surv(entry, time, status)
// ~ ...) and SAS PHREG's MODEL (start, stop)*status syntax; several rows of
// one subject with time-varying covariates are fitted the same way (give
// their subject as Options.Cluster for the robust variance).
//
// Robust variance (Options.Cluster or Options.Robust): Result.Robust holds
// the sandwich variance D'D, D the dfbeta residuals summed by cluster
// (Lin and Wei 1989), with the robust Wald and score tests, as R
// coxph(..., cluster = id) and summary(); see Robust. Result.Var, SE and the
// other tests stay model-based (R's naive.var and the tests R's summary
// prints beside the robust ones).
//
// Sorting costs O(n log n); each iteration costs O(n p^2) and allocates
// nothing; the robust variance costs two more passes of O(n p) and O(C p^2)
// for C clusters.
//
// CoxPH returns an error for unusable data: no rows, no covariates,
// non-finite times, entry times or covariates, an entry time not before its
// time, no events, or invalid options. Numerical trouble is not an error: it
// is reported in Result.Status.
// It panics if event, every x[j] and a non-nil strata, Options.Entry or
// Options.Cluster do not have len(time) elements, or if len(names) !=
// len(x).
func CoxPH(time []float64, event []bool, x [][]float64, names []string, strata []int, opt Options) (*Result, error) {
	checkLengths(time, event, x, names, strata, opt)
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("could not fit Cox model: %w", err)
	}
	var w *workspace
	if opt.Entry == nil && strata == nil {
		// One sort: the sorted times are tied in place (tieSorted).
		if err := checkData(time, event, x, names); err != nil {
			return nil, fmt.Errorf("could not fit Cox model: %w", err)
		}
		w = newWorkspace(time, nil, event, x, nil, true)
	} else {
		time, entry, err := prepareTimes(time, event, x, names, opt.Entry)
		if err != nil {
			return nil, fmt.Errorf("could not fit Cox model: %w", err)
		}
		w = newWorkspace(time, entry, event, x, strata, false)
	}
	res := w.fit(names, opt)
	if opt.Robust || opt.Cluster != nil {
		w.robust(res, opt)
	}
	return res, nil
}

// checkLengths panics unless every per-row slice has len(time) elements and
// names has one per column of x.
func checkLengths(time []float64, event []bool, x [][]float64, names []string, strata []int, opt Options) {
	n, p := len(time), len(x)
	if len(event) != n {
		panic(fmt.Sprintf("cox: len(event) = %d, want len(time) = %d", len(event), n))
	}
	if len(names) != p {
		panic(fmt.Sprintf("cox: len(names) = %d, want len(x) = %d", len(names), p))
	}
	for j := range x {
		if len(x[j]) != n {
			panic(fmt.Sprintf("cox: len(x[%d]) = %d, want len(time) = %d", j, len(x[j]), n))
		}
	}
	if strata != nil && len(strata) != n {
		panic(fmt.Sprintf("cox: len(strata) = %d, want len(time) = %d", len(strata), n))
	}
	if opt.Entry != nil && len(opt.Entry) != n {
		panic(fmt.Sprintf("cox: len(Options.Entry) = %d, want len(time) = %d", len(opt.Entry), n))
	}
	if opt.Cluster != nil && len(opt.Cluster) != n {
		panic(fmt.Sprintf("cox: len(Options.Cluster) = %d, want len(time) = %d", len(opt.Cluster), n))
	}
}

// prepareTimes checks the data and returns copies of time and entry (nil
// if entry is nil) with R's aeqSurv time fix applied to both jointly, as
// coxph does (timefix = TRUE).
func prepareTimes(time []float64, event []bool, x [][]float64, names []string, entry []float64) (fixedTime, fixedEntry []float64, err error) {
	if err := checkData(time, event, x, names); err != nil {
		return nil, nil, err
	}
	fixedTime = slices.Clone(time)
	if entry == nil {
		survtime.Fix(fixedTime)
		return fixedTime, nil, nil
	}
	for i, e := range entry {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, nil, fmt.Errorf("entry time of row %d is %v: remove the row or give its entry time", i+1, e)
		}
		if !(e < time[i]) {
			return nil, nil, fmt.Errorf("row %d enters at %v, not before its event or censoring time %v: every row must have entry < time (R: \"Stop time must be > start time\")", i+1, e, time[i])
		}
	}
	fixedEntry = slices.Clone(entry)
	survtime.Fix(fixedEntry, fixedTime)
	for i, e := range fixedEntry {
		if !(e < fixedTime[i]) {
			return nil, nil, fmt.Errorf("row %d enters at %v and leaves at %v, which R's aeqSurv treats as the same time (an interval of effective length 0): drop the row or merge it with its neighbour", i+1, entry[i], time[i])
		}
	}
	return fixedTime, fixedEntry, nil
}

func (o Options) withDefaults() (Options, error) {
	t, err := ParseTies(string(o.Ties))
	if err != nil {
		return o, err
	}
	o.Ties = t
	switch {
	case o.MaxIter < 0:
		return o, fmt.Errorf("MaxIter = %d is negative: use 0 for the default (20)", o.MaxIter)
	case o.MaxIter == 0:
		o.MaxIter = 20
	}
	switch {
	case o.Eps < 0 || math.IsNaN(o.Eps) || math.IsInf(o.Eps, 0):
		return o, fmt.Errorf("Eps = %v is not a positive number: use 0 for the default (1e-9)", o.Eps)
	case o.Eps == 0:
		o.Eps = 1e-9
	}
	switch {
	case o.ConfLevel == 0:
		o.ConfLevel = 0.95
	case !(o.ConfLevel > 0 && o.ConfLevel < 1):
		return o, fmt.Errorf("ConfLevel = %v is not in (0, 1): use e.g. 0.95", o.ConfLevel)
	}
	return o, nil
}

func checkData(time []float64, event []bool, x [][]float64, names []string) error {
	if len(time) == 0 {
		return errors.New("no subjects")
	}
	if len(x) == 0 {
		return errors.New("no covariates: the null model has no coefficients to estimate")
	}
	events := 0
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("time of subject %d (row %d) is %v: remove or impute it", i, i+1, t)
		}
		if event[i] {
			events++
		}
	}
	if events == 0 {
		return errors.New("no events: all subjects are censored")
	}
	for j, col := range x {
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("covariate %q of subject %d (row %d) is %v: remove or impute it", names[j], i, i+1, v)
			}
		}
	}
	return nil
}

// fit runs Newton–Raphson as R coxfit6 and assembles the Result.
func (w *workspace) fit(names []string, opt Options) *Result {
	it := w.iterate(opt)
	return w.result(names, opt, it)
}

// iteration is the outcome of the Newton–Raphson iterations: the
// log-likelihoods at 0 and at the estimate (w.beta), the score test at 0,
// the number of iterations and whether they converged.
type iteration struct {
	loglik0, loglik, score float64
	iter                   int
	converged              bool
}

// iterate runs Newton–Raphson from beta = 0 as R coxfit6, leaving the
// estimate in w.beta and the LDL' factor of the information there in
// w.chol.
func (w *workspace) iterate(opt Options) iteration {
	p := w.p
	efron := opt.Ties == Efron
	clear(w.beta)

	loglik0 := w.evaluate(w.beta, efron)
	// Score test at beta = 0: U' I^-1 U.
	copy(w.chol, w.imat)
	newton.LDL(w.chol, p, cholTolerance)
	copy(w.step, w.u)
	newton.LDLSolve(w.chol, p, w.step)
	var score float64
	for j := range p {
		score += w.u[j] * w.step[j]
	}

	best := loglik0
	for j := range p {
		w.newBeta[j] = w.beta[j] + w.step[j]
	}
	converged := false
	halving := 0
	iter := 1
	var loglik float64
	for ; iter <= opt.MaxIter; iter++ {
		newLoglik := w.evaluate(w.newBeta, efron)
		copy(w.chol, w.imat)
		newton.LDL(w.chol, p, cholTolerance)
		finite := !math.IsNaN(newLoglik) && !math.IsInf(newLoglik, 0) && allFinite(w.u) && allFinite(w.imat)
		if finite && math.Abs(1-best/newLoglik) <= opt.Eps {
			converged = true
			loglik = newLoglik
			copy(w.beta, w.newBeta)
			break
		}
		if !finite || newLoglik < best {
			// Not improving: move back towards the last good estimate,
			// more aggressively each time.
			halving++
			for j := range p {
				w.newBeta[j] = (w.newBeta[j] + float64(halving)*w.beta[j]) / float64(halving+1)
			}
			continue
		}
		halving = 0
		best = newLoglik
		copy(w.step, w.u)
		newton.LDLSolve(w.chol, p, w.step)
		for j := range p {
			w.beta[j] = w.newBeta[j]
			w.newBeta[j] += w.step[j]
		}
	}
	if !converged {
		iter = opt.MaxIter
		// Score and information at the last good estimate.
		loglik = w.evaluate(w.beta, efron)
		copy(w.chol, w.imat)
		newton.LDL(w.chol, p, cholTolerance)
	}
	return iteration{loglik0: loglik0, loglik: loglik, score: score, iter: iter, converged: converged}
}

// result assembles the Result from the iterations: coefficients and
// variance on the original scale, tests, and the status.
func (w *workspace) result(names []string, opt Options, it iteration) *Result {
	p := w.p
	loglik0, loglik, score, iter, converged := it.loglik0, it.loglik, it.score, it.iter, it.converged
	varScaled := make([]float64, p*p)
	newton.LDLInverse(varScaled, w.chol, make([]float64, p*p), p)
	w.varScaled = varScaled

	res := &Result{
		Names:      slices.Clone(names),
		Coef:       make([]float64, p),
		SE:         make([]float64, p),
		Z:          make([]float64, p),
		P:          make([]float64, p),
		HR:         make([]float64, p),
		HRLower:    make([]float64, p),
		HRUpper:    make([]float64, p),
		Var:        make([][]float64, p),
		LogLik0:    loglik0,
		LogLik:     loglik,
		N:          w.n,
		Events:     w.events,
		Iterations: iter,
		Converged:  converged,
		Status:     StatusOK,
	}
	singular := make([]bool, p)
	rank := 0
	for j := range p {
		singular[j] = w.chol[j*p+j] == 0
		if !singular[j] {
			rank++
		}
	}
	// Back to the original scale: b = b_s * scale, U = U_s / scale,
	// Var = scale Var_s scale.
	u := make([]float64, p)
	for j := range p {
		res.Coef[j] = w.beta[j] * w.scale[j]
		u[j] = w.u[j] / w.scale[j]
		res.Var[j] = make([]float64, p)
		for l := range p {
			res.Var[j][l] = varScaled[j*p+l] * w.scale[j] * w.scale[l]
		}
	}

	// Monotone likelihood, as R coxph.fit: after convergence, |U' Var| is
	// not negligible.
	var infinite []string
	for j := range p {
		if singular[j] {
			continue
		}
		var uv float64
		for l := range p {
			uv += u[l] * res.Var[l][j]
		}
		uv = math.Abs(uv)
		rFlag := converged && opt.MaxIter > 1 &&
			(math.IsNaN(u[j]) || math.IsInf(u[j], 0) || (uv > opt.Eps && uv > math.Sqrt(opt.Eps)*math.Abs(res.Coef[j])))
		if rFlag || !(math.Abs(w.beta[j]) <= blowUp) {
			infinite = append(infinite, names[j])
		}
	}

	z := distuv.UnitNormal.Quantile((1 + opt.ConfLevel) / 2)
	var wald float64
	for j := range p {
		if singular[j] {
			nan := math.NaN()
			res.Coef[j], res.SE[j], res.Z[j], res.P[j] = nan, nan, nan, nan
			res.HR[j], res.HRLower[j], res.HRUpper[j] = nan, nan, nan
			for l := range p {
				res.Var[j][l], res.Var[l][j] = nan, nan
			}
			continue
		}
		b := res.Coef[j]
		se := math.Sqrt(res.Var[j][j])
		res.SE[j] = se
		res.Z[j] = b / se
		res.P[j] = math.Erfc(math.Abs(res.Z[j]) / math.Sqrt2)
		res.HR[j] = math.Exp(b)
		res.HRLower[j] = math.Exp(b - z*se)
		res.HRUpper[j] = math.Exp(b + z*se)
		// Wald statistic b' Var^-1 b = b_s' I_s b_s with the information
		// restricted to the non-redundant terms. w.imat holds the
		// information at w.beta: after convergence it was evaluated at the
		// estimate, otherwise it was re-evaluated above.
		for l := range p {
			if !singular[l] {
				wald += w.beta[j] * w.imat[j*p+l] * w.beta[l]
			}
		}
	}
	res.Wald = chiSquareTest(wald, rank)
	res.LR = chiSquareTest(2*(loglik-loglik0), rank)
	res.Score = chiSquareTest(score, rank)

	setStatus(res, names, singular, infinite, opt)
	return res
}

// setStatus sets res.Status and res.Messages from the redundant terms, the
// terms with possibly infinite coefficients and convergence.
func setStatus(res *Result, names []string, singular []bool, infinite []string, opt Options) {
	p := len(names)
	converged := res.Converged
	var redundant []string
	for j := range p {
		if singular[j] {
			redundant = append(redundant, names[j])
		}
	}
	if len(infinite) > 0 {
		res.Status = StatusMonotone
		res.Messages = append(res.Messages, fmt.Sprintf(
			"monotone likelihood: the coefficient of %s may be infinite (the log-likelihood levels off while the estimate diverges; typically an arm or level with no events); do not report its estimate, consider Firth's penalised likelihood or merging levels",
			quoteList(infinite)))
	}
	if len(redundant) > 0 {
		if res.Status == StatusOK {
			res.Status = StatusSingular
		}
		res.Messages = append(res.Messages, fmt.Sprintf(
			"singular information matrix: %s redundant (collinear with other covariates); its coefficient is undefined (R reports NA) and it was dropped from the tests",
			quoteList(redundant)+pluralVerb(len(redundant))))
	}
	if !converged {
		if res.Status == StatusOK {
			res.Status = StatusNotConverged
		}
		res.Messages = append(res.Messages, fmt.Sprintf(
			"did not converge in %d iterations (relative change in log-likelihood still above %g); estimates are from the last improving iteration",
			opt.MaxIter, opt.Eps))
	}
}

func chiSquareTest(stat float64, df int) Test {
	t := Test{Statistic: stat, DF: df, P: math.NaN()}
	if df > 0 && !math.IsNaN(stat) {
		t.P = distuv.ChiSquared{K: float64(df)}.Survival(math.Max(stat, 0))
	}
	return t
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func pluralVerb(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
