package fit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/aft"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// aftRows is the largest table on which the AFT models run by default:
// each distribution is one more iterative fit.
const aftRows = 100_000

// defaultAFT are the distributions fitted when none are named; the
// generalized gamma, whose extra shape parameter is often weakly
// identified on small trials, is fitted on request.
const defaultAFT = "weibull,lognormal,loglogistic,exponential"

// aftMethod: parametric accelerated-failure-time models of treatment and
// covariates, as survreg(Surv(AVAL, 1 - CNSR) ~ TRTP + covariates, dist =
// D), one per distribution, plus the generalized gamma (Prentice 1974,
// flexsurv's parameterisation), compared by AIC.
var aftMethod = newAFTMethod("aft", false)

// icAFTMethod: the same models on the visit intervals (ILOWER, IUPPER],
// as survreg(Surv(L, R, type = "interval2") ~ ...).
var icAFTMethod = newAFTMethod("ic_aft", true)

func newAFTMethod(name string, interval bool) *Method {
	what, flag, r := "right-censored", "aft", "Surv(AVAL, CNSR == 0)"
	when := func(t *adam.ADTTE, _ Options) bool { return t.Len() <= aftRows }
	if interval {
		what, flag, r = "interval-censored (ILOWER, IUPPER]", "ic-aft", "Surv(L, R, type = \"interval2\")"
		when = func(t *adam.ADTTE, _ Options) bool { return t.Len() <= aftRows && hasColumns(t, "ILOWER", "IUPPER") }
	}
	prefix := strings.ReplaceAll(name, "-", "_")
	return &Method{
		Name:        name,
		Summary:     "parametric AFT models, " + what + ": time ratios, fitted curves and quantiles, AIC (" + prefix + ".csv, " + prefix + "_models.csv, " + prefix + "_quantiles.csv, " + prefix + "_curves.csv); default up to 100,000 rows",
		Comparative: true,
		DefaultWhen: when,
		Options: []Option{{Name: flag, Selects: true,
			Usage: "comma-separated distributions: weibull, lognormal, loglogistic, exponential, gengamma (default the first four; ic-aft the first three)"}},
		Configure: func(set Settings) (Analysis, error) { return configureAFT(set, name, flag, interval) },
		Tables: []Table{
			{File: prefix + ".csv", Header: []string{"paramcd", "dist", "term", "coef", "se", "z", "p_value", "time_ratio", "time_ratio_lower", "time_ratio_upper"}, Rows: aftTermRows(name)},
			{File: prefix + "_models.csv", Header: []string{"paramcd", "dist", "n", "events", "loglik", "df", "aic", "scale", "status"}, Rows: aftModelRows(name)},
			{File: prefix + "_quantiles.csv", Header: []string{"paramcd", "dist", "arm", "quantile", "time", "se", "lower", "upper"}, Rows: aftQuantileRows(name)},
			{File: prefix + "_curves.csv", Header: []string{"paramcd", "dist", "arm", "time", "surv", "lower", "upper"}, Rows: aftCurveRows(name)},
		},
		Methods: func(res *schema.Results) string {
			return fmt.Sprintf("Accelerated-failure-time models (%s; R survreg with %s) of treatment and the covariates were fitted with the exponential, Weibull, log-normal and log-logistic distributions and the generalized gamma (Prentice 1974, parameterised as flexsurv's gengamma), with standard errors from the observed information; time ratios are exp(coefficient), and the fitted quantiles per arm have delta-method intervals, at the covariates' mean.", what, r)
		},
		RCode: func(c schema.Conventions) string {
			return "survreg(" + r + " ~ TRTP + covariates, data = d, dist = \"weibull\")  # and lognormal, loglogistic, exponential; predict(fit, type = \"quantile\", p = c(.25, .5, .75), se.fit = TRUE)\n"
		},
		Report: func(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
			return aftReport(ep, res, name, interval)
		},
	}
}

type aftAnalysis struct {
	name     string
	interval bool
	dists    []string
}

func configureAFT(set Settings, name, flag string, interval bool) (Analysis, error) {
	a := aftAnalysis{name: name, interval: interval, dists: splitList(defaultAFT)}
	if interval {
		a.dists = a.dists[:3] // the exponential is nested in the Weibull: its interval fit adds nothing by default
	}
	if s, ok := set[flag]; ok {
		a.dists = splitList(s.Value)
		if len(a.dists) == 0 {
			return nil, set.Errorf(flag, "name one or more distributions: %s", defaultAFT)
		}
		for _, d := range a.dists {
			if d == "gengamma" {
				continue
			}
			if _, err := aft.ParseDist(d); err != nil {
				return nil, set.Errorf(flag, "%v (or gengamma)", err)
			}
		}
	}
	return a, nil
}

func (a aftAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	opt := ctx.Options
	m, err := ctx.Design(opt.Covariates, "", "")
	if err != nil {
		return err
	}
	if m.DroppedTotal > 0 {
		ctx.Note(droppedMessage(m, "the "+a.name+" models"))
	}
	if opt.Strata != "" {
		ctx.Note(a.name + ": the strata column is not used (survreg's strata() would give each stratum its own scale)")
	}
	resp, err := a.response(ctx, m)
	if err != nil {
		return err
	}
	m, resp = informative(m, resp)
	events := make([]bool, len(m.Rows))
	for k := range m.Rows {
		events[k] = !math.IsInf(resp.Upper[k], 1) && !math.IsNaN(resp.Upper[k])
	}
	if st := failureStatus(events, ctx.groupsOf(m.Rows), len(ctx.Arms)); st != schema.StatusNotEstimable {
		ctx.Flag(st, fmt.Sprintf("%s models not fitted: %s on the models' rows", a.name, st))
		return nil
	}
	if dropped := len(ctx.Rows) - m.DroppedTotal - len(m.Rows); dropped > 0 {
		ctx.Note(fmt.Sprintf("%s: %d rows at time 0 were left out (a log-time model cannot use an event or censoring at 0)", a.name, dropped))
	}
	profiles := armProfiles(m, ctx)
	sec := schema.AFTSection{Profile: "numeric covariates and dummy-coded levels at their mean over the model's rows; treatment dummies set for each arm"}
	grid := curveGrid(ctx, m)
	best := math.Inf(1)
	for _, d := range a.dists {
		mod := a.fit(ctx, resp, m, d, profiles, grid)
		if mod.Status == string(aft.StatusOK) && mod.AIC != nil && *mod.AIC < best {
			best, sec.Best = *mod.AIC, d
		} else if mod.Status != string(aft.StatusOK) {
			ctx.Flag(schema.Status(mod.Status), fmt.Sprintf("%s %s model: %s", a.name, d, strings.Join(mod.Messages, "; ")))
		}
		sec.Models = append(sec.Models, mod)
	}
	ep.SetSection(a.name, sec)
	return nil
}

// response builds the survreg response of the design's rows.
func (a aftAnalysis) response(ctx *Context, m *design.Matrix) (aft.Response, error) {
	if !a.interval {
		return aft.RightCensored(view(ctx.Table.AVAL, m.Rows), view(ctx.Table.Event, m.Rows)), nil // the fits only read them
	}
	lower, upper, err := ctx.intervals()
	if err != nil {
		return aft.Response{}, err
	}
	pos := make(map[int]int, len(ctx.Rows))
	for k, i := range ctx.Rows {
		pos[i] = k
	}
	var r aft.Response
	for _, i := range m.Rows {
		r.Lower = append(r.Lower, lower[pos[i]])
		r.Upper = append(r.Upper, upper[pos[i]])
	}
	return r, nil
}

// informative returns the design and response without the rows a
// log-time model cannot use: an event at time 0 (log 0) and an
// observation known only to lie in (0, ∞). survreg stops on them.
func informative(m *design.Matrix, r aft.Response) (*design.Matrix, aft.Response) {
	keep := make([]int, 0, len(m.Rows))
	for k := range m.Rows {
		lo, hi := r.Lower[k], r.Upper[k]
		noLower := math.IsNaN(lo) || lo <= 0
		noUpper := math.IsNaN(hi) || math.IsInf(hi, 1)
		if (noLower && noUpper) || hi <= 0 {
			continue
		}
		keep = append(keep, k)
	}
	if len(keep) == len(m.Rows) {
		return m, r
	}
	out := *m
	out.Rows = make([]int, len(keep))
	out.X = make([][]float64, len(m.X))
	for j := range out.X {
		out.X[j] = make([]float64, len(keep))
	}
	var nr aft.Response
	for n, k := range keep {
		out.Rows[n] = m.Rows[k]
		for j := range m.X {
			out.X[j][n] = m.X[j][k]
		}
		nr.Lower = append(nr.Lower, r.Lower[k])
		nr.Upper = append(nr.Upper, r.Upper[k])
	}
	return &out, nr
}

// armProfiles returns, per arm, the covariate row at which its curves are
// computed: every column at its mean over the design's rows, the
// treatment dummies set to the arm.
func armProfiles(m *design.Matrix, ctx *Context) [][]float64 {
	mean := make([]float64, len(m.X))
	for j, col := range m.X {
		for _, v := range col {
			mean[j] += v
		}
		if len(col) > 0 {
			mean[j] /= float64(len(col))
		}
	}
	out := make([][]float64, len(ctx.Arms))
	for a, arm := range ctx.Arms {
		row := slices.Clone(mean)
		for j, c := range m.Columns {
			if c.Kind == design.KindArm {
				row[j] = 0
				if c.Level == arm {
					row[j] = 1
				}
			}
		}
		out[a] = row
	}
	return out
}

// curveGrid is the time grid of the fitted curves: 60 points up to the
// endpoint's last time, log-spaced for a log time axis.
func curveGrid(ctx *Context, m *design.Matrix) []float64 {
	hi, lo := 0.0, math.Inf(1)
	for _, i := range m.Rows {
		t := ctx.Table.AVAL[i]
		hi = math.Max(hi, t)
		if t > 0 {
			lo = math.Min(lo, t)
		}
	}
	if hi <= 0 {
		return nil
	}
	const n = 60
	grid := make([]float64, n)
	logScale := ctx.Options.Study != nil && studyTimeScale(ctx) == "log" && lo < hi
	for k := range grid {
		f := float64(k+1) / n
		grid[k] = hi * f
		if logScale {
			grid[k] = lo * math.Pow(hi/lo, float64(k)/(n-1))
		}
	}
	return grid
}

func studyTimeScale(ctx *Context) string {
	if e, ok := ctx.Options.Study.Endpoint(ctx.Paramcd); ok {
		return e.TimeScale
	}
	return ""
}

// fit fits one distribution and summarises it.
func (a aftAnalysis) fit(ctx *Context, resp aft.Response, m *design.Matrix, d string, profiles [][]float64, grid []float64) schema.AFTModel {
	conf := aft.Options{ConfLevel: ctx.Options.ConfLevel}
	if d == "gengamma" {
		g, err := aft.FitGenGamma(resp, m.X, m.Names(), conf)
		if err != nil {
			return schema.AFTModel{Dist: d, Status: string(schema.StatusNotEstimable), Messages: []string{err.Error()}}
		}
		return genGammaSummary(ctx, g, m, profiles, grid)
	}
	dist, _ := aft.ParseDist(d)
	f, err := aft.Fit(resp, m.X, m.Names(), dist, conf)
	if err != nil {
		return schema.AFTModel{Dist: d, Status: string(schema.StatusNotEstimable), Messages: []string{err.Error()}}
	}
	out := schema.AFTModel{Dist: d, Status: string(f.Status), Messages: f.Messages, N: f.N, Events: f.Exact + f.Left + f.Interval,
		Exact: f.Exact, Right: f.Right, Left: f.Left, Interval: f.Interval, LogLik: finite(f.LogLik), DF: f.DF, AIC: finite(f.AIC),
		Scale: finite(f.Scale), Iterations: f.Iterations}
	out.Terms = aftTerms(f.Names, f.Coef, f.SE, f.Z, f.P, f.TimeRatio, f.TRLower, f.TRUpper, m)
	if f.Status != aft.StatusOK {
		return out
	}
	for i, arm := range ctx.Arms {
		for _, q := range f.PredictQuantile(profiles[i], Quantiles) {
			out.Quantiles = append(out.Quantiles, schema.AFTQuantile{Arm: arm, Quantile: q.P, Time: finite(q.Quantile), SE: finite(q.SE), Lower: finite(q.Lower), Upper: finite(q.Upper)})
		}
		for _, p := range f.SurvivalCurve(profiles[i], grid) {
			out.Curves = append(out.Curves, schema.AFTCurvePt{Arm: arm, Time: p.Time, Surv: p.Surv, Lower: finite(p.Lower), Upper: finite(p.Upper)})
		}
	}
	return out
}

func genGammaSummary(ctx *Context, g *aft.GenGammaModel, m *design.Matrix, profiles [][]float64, grid []float64) schema.AFTModel {
	out := schema.AFTModel{Dist: "gengamma", Status: string(g.Status), Messages: g.Messages, N: g.N, Events: g.Exact + g.Left + g.Interval,
		Exact: g.Exact, Right: g.Right, Left: g.Left, Interval: g.Interval, LogLik: finite(g.LogLik), DF: g.DF, AIC: finite(g.AIC),
		Scale: finite(g.Sigma), Q: finite(g.Q), Iterations: g.Iterations}
	out.Terms = aftTerms(g.Names, g.Coef, g.SE, g.Z, g.P, g.TimeRatio, g.TRLower, g.TRUpper, m)
	if g.Status != aft.StatusOK {
		return out
	}
	for i, arm := range ctx.Arms {
		dist := g.At(profiles[i])
		for _, p := range Quantiles {
			out.Quantiles = append(out.Quantiles, schema.AFTQuantile{Arm: arm, Quantile: p, Time: finite(dist.Quantile(p))})
		}
		for _, t := range grid {
			out.Curves = append(out.Curves, schema.AFTCurvePt{Arm: arm, Time: t, Surv: dist.Survival(t)})
		}
	}
	return out
}

// aftTerms pairs the coefficients with their names and reference levels;
// time ratios are given for the location terms (the first len(tr)).
func aftTerms(names []string, coef, se, z, p, tr, lo, hi []float64, m *design.Matrix) []schema.AFTTerm {
	ref := map[string]string{}
	for _, c := range m.Columns {
		ref[c.Name] = c.Reference
	}
	at := func(v []float64, j int) *float64 { // a model that is not estimable has no values
		if j < len(v) {
			return finite(v[j])
		}
		return nil
	}
	out := make([]schema.AFTTerm, len(names))
	for j, n := range names {
		out[j] = schema.AFTTerm{Term: n, Reference: ref[n], Coef: at(coef, j), SE: at(se, j), Z: at(z, j), PValue: at(p, j)}
		if j < len(tr) {
			out[j].TimeRatio, out[j].TRLower, out[j].TRUpper = at(tr, j), at(lo, j), at(hi, j)
		}
	}
	return out
}

func aftSection(ep *schema.Endpoint, name string) (schema.AFTSection, bool, error) {
	var sec schema.AFTSection
	ok, err := ep.Section(name, &sec)
	return sec, ok, err
}

func aftTermRows(name string) func(*schema.Endpoint, func(...string)) error {
	return func(ep *schema.Endpoint, emit func(...string)) error {
		sec, _, err := aftSection(ep, name)
		for _, m := range sec.Models {
			for _, t := range m.Terms {
				emit(ep.Paramcd, m.Dist, t.Term, optNum(t.Coef), optNum(t.SE), optNum(t.Z), optNum(t.PValue), optNum(t.TimeRatio), optNum(t.TRLower), optNum(t.TRUpper))
			}
		}
		return err
	}
}

func aftModelRows(name string) func(*schema.Endpoint, func(...string)) error {
	return func(ep *schema.Endpoint, emit func(...string)) error {
		sec, _, err := aftSection(ep, name)
		for _, m := range sec.Models {
			emit(ep.Paramcd, m.Dist, strconv.Itoa(m.N), strconv.Itoa(m.Events), optNum(m.LogLik), strconv.Itoa(m.DF), optNum(m.AIC), optNum(m.Scale), m.Status)
		}
		return err
	}
}

func aftQuantileRows(name string) func(*schema.Endpoint, func(...string)) error {
	return func(ep *schema.Endpoint, emit func(...string)) error {
		sec, _, err := aftSection(ep, name)
		for _, m := range sec.Models {
			for _, q := range m.Quantiles {
				emit(ep.Paramcd, m.Dist, q.Arm, num(q.Quantile), optNum(q.Time), optNum(q.SE), optNum(q.Lower), optNum(q.Upper))
			}
		}
		return err
	}
}

func aftCurveRows(name string) func(*schema.Endpoint, func(...string)) error {
	return func(ep *schema.Endpoint, emit func(...string)) error {
		sec, _, err := aftSection(ep, name)
		for _, m := range sec.Models {
			for _, c := range m.Curves {
				emit(ep.Paramcd, m.Dist, c.Arm, num(c.Time), num(c.Surv), optNum(c.Lower), optNum(c.Upper))
			}
		}
		return err
	}
}

func aftReport(ep *schema.Endpoint, res *schema.Results, name string, interval bool) (*Section, error) {
	sec, ok, err := aftSection(ep, name)
	if !ok || err != nil {
		return nil, err
	}
	title := "Parametric (AFT) models"
	if interval {
		title = "Parametric (AFT) models on the visit intervals"
	}
	out := &Section{Title: title}
	models := SectionTable{Header: []string{"Distribution", "n", "Events", "Log-likelihood", "df", "AIC", "Scale", "Status"}}
	for _, m := range sec.Models {
		models.Rows = append(models.Rows, []string{m.Dist, strconv.Itoa(m.N), strconv.Itoa(m.Events), fmtOpt(m.LogLik), strconv.Itoa(m.DF), fmtOpt(m.AIC), fmtOpt(m.Scale), m.Status})
	}
	out.Tables = append(out.Tables, models)
	for _, m := range sec.Models {
		if m.Dist != sec.Best {
			continue
		}
		out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("The %s distribution fits best by AIC. Time ratios above 1 mean longer times to the event (for a response endpoint: slower response).", m.Dist))
		terms := SectionTable{Caption: "Time ratios (" + m.Dist + ")", Header: []string{"Term", "vs", "Time ratio", confLabel(res), "p"}}
		for _, t := range m.Terms {
			if t.TimeRatio == nil || t.Term == "(Intercept)" {
				continue
			}
			terms.Rows = append(terms.Rows, []string{t.Term, t.Reference, fmtOpt(t.TimeRatio), fmtCI(t.TRLower, t.TRUpper), fmtOpt(t.PValue)})
			if strings.HasPrefix(t.Term, "TRTP:") && t.TimeRatio != nil {
				out.Paragraphs = append(out.Paragraphs, timeRatioSentence(ep.Kind, t))
			}
		}
		q := SectionTable{Caption: "Fitted median per arm (" + m.Dist + ", at the covariates' mean)", Header: []string{"Arm", "Median (days)", confLabel(res)}}
		for _, x := range m.Quantiles {
			if x.Quantile == 0.5 {
				q.Rows = append(q.Rows, []string{x.Arm, fmtOpt(x.Time), fmtCI(x.Lower, x.Upper)})
			}
		}
		out.Tables = append(out.Tables, terms, q)
	}
	return out, nil
}

// timeRatioSentence says what a treatment time ratio means.
func timeRatioSentence(kind string, t schema.AFTTerm) string {
	tr := *t.TimeRatio
	event := "the event"
	if isCumulativeKind(kind) {
		event = eventWord(kind)
	}
	if tr < 1 {
		return fmt.Sprintf("On %s, times to %s are %s times shorter than on %s (%s× faster; time ratio %s, CI %s).", strings.TrimPrefix(t.Term, "TRTP:"), event, fmtNum(1/tr), t.Reference, fmtNum(1/tr), fmtNum(tr), fmtCI(t.TRLower, t.TRUpper))
	}
	return fmt.Sprintf("On %s, times to %s are %s times longer than on %s (time ratio %s, CI %s).", strings.TrimPrefix(t.Term, "TRTP:"), event, fmtNum(tr), t.Reference, fmtNum(tr), fmtCI(t.TRLower, t.TRUpper))
}
