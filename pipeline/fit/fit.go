package fit

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/logrank"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// Options control an analysis. The zero value gives the documented defaults.
type Options struct {
	ConfType   km.ConfType // "" means log-log
	ConfLevel  float64     // 0 means 0.95
	Ties       cox.Ties    // "" means Efron
	Covariates []string    // ADTTE columns added to the Cox model
	Strata     string      // ADTTE column for stratified log-rank and Cox
	Control    string      // reference arm; "" means the study's, else the first sorted TRTP
	Subgroups  []string    // ADTTE columns: the analysis is repeated within each of their levels
	Allow      []string    // statuses that do not fail (see study.Statuses)
	Study      *study.Study
	Program    string // name recorded in results.json
}

// Quantiles are the probabilities reported in quantiles.csv.
var Quantiles = []float64{0.25, 0.5, 0.75}

// WithStudyDefaults returns opt with empty fields filled from the study's
// analysis section. Explicit options win.
func (opt Options) WithStudyDefaults() Options {
	if opt.Study == nil {
		return opt
	}
	a := opt.Study.Analysis
	if opt.ConfType == "" {
		opt.ConfType = km.ConfType(a.ConfType)
	}
	if opt.ConfLevel == 0 {
		opt.ConfLevel = a.ConfLevel
	}
	if opt.Ties == "" {
		opt.Ties = cox.Ties(a.Ties)
	}
	if opt.Covariates == nil {
		opt.Covariates = a.Covariates
	}
	if opt.Strata == "" {
		opt.Strata = a.Strata
	}
	if opt.Subgroups == nil {
		opt.Subgroups = a.Subgroups
	}
	if opt.Allow == nil {
		opt.Allow = a.Allow
	}
	return opt
}

// ErrNoRows is wrapped by the error of Analyze for a table without
// accepted rows (for example a file whose rows were all rejected
// non-fatally: empty rows, undeclared endpoints).
var ErrNoRows = errors.New("no accepted rows")

// Analyze runs every analysis on the accepted rows of an ADTTE table.
// rep is the reader's report of the file (for provenance). It returns an
// error for unusable input (an unknown covariate column, a control arm not
// in the data); numerical trouble is a status in the results, see Err.
func Analyze(t *adam.ADTTE, rep *adam.Report, opt Options) (*Results, error) {
	opt = opt.WithStudyDefaults()
	if opt.ConfType == "" {
		opt.ConfType = km.LogLog
	}
	if opt.ConfLevel == 0 {
		opt.ConfLevel = 0.95
	}
	if opt.Ties == "" {
		opt.Ties = cox.Efron
	}
	for _, c := range append(append(slices.Clone(opt.Covariates), opt.Subgroups...), opt.Strata) {
		if c == "" {
			continue
		}
		if _, ok := t.Extra[c]; !ok {
			return nil, fmt.Errorf("%s has no column %s: covariates, strata and subgroups must be ADTTE columns (available: %s)", rep.File, c, strings.Join(t.ExtraNames, ", "))
		}
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("%s: %w (%d rows read, %d rejected): nothing to analyse; fix the rejected rows (run ingest for the list)", rep.File, ErrNoRows, rep.RowsRead, rep.Rejected)
	}
	res := &Results{
		Schema:   SchemaVersion,
		Input:    Input{File: rep.File, SHA256: rep.SHA256, Rows: rep.RowsRead},
		Status:   "ok",
		Software: software(opt.Program),
	}
	// Arms (sorted, as R's factor levels, or in study order) and reference arm.
	arms := distinct(t.TRTP)
	sort.Strings(arms)
	res.Study = StudyInfo{Synthetic: false}
	if s := opt.Study; s != nil {
		res.Study = StudyInfo{ID: s.ID, Title: s.Title, Design: s.Design, Synthetic: s.Synthetic, Citations: s.Provenance.Citations, Source: s.Provenance.Source}
		// Study order for arms declared in study.yaml.
		var ordered []string
		for _, a := range s.Arms {
			if slices.Contains(arms, a.Name) {
				ordered = append(ordered, a.Name)
			}
		}
		arms = ordered
	} else if len(t.StudyID) > 0 {
		res.Study.ID = t.StudyID[0]
	}
	switch {
	case opt.Control != "":
		res.Study.Control, res.Study.ControlSource = opt.Control, "flag"
	case opt.Study != nil:
		res.Study.Control, res.Study.ControlSource = opt.Study.Control, "study"
	default:
		sorted := slices.Clone(arms)
		sort.Strings(sorted)
		res.Study.Control, res.Study.ControlSource = sorted[0], "first-sorted"
	}
	if !slices.Contains(arms, res.Study.Control) {
		return nil, fmt.Errorf("the reference arm %q has no rows in %s (arms present: %s): choose one of them with -control", res.Study.Control, rep.File, strings.Join(arms, ", "))
	}
	for _, a := range arms {
		info := ArmInfo{Name: a}
		if opt.Study != nil {
			sa, _ := opt.Study.Arm(a)
			info.Label, info.Class = sa.Label, sa.Class
		}
		res.Study.Arms = append(res.Study.Arms, info)
	}
	res.Conventions = Conventions{
		TimeUnit:       "days",
		Censoring:      "CNSR: 0 = event, 1 = censored (ADaM)",
		ConfType:       string(opt.ConfType),
		ConfLevel:      opt.ConfLevel,
		Variance:       "Greenwood",
		QuantileMethod: "Brookmeyer-Crowley, as R quantile.survfit",
		Ties:           string(opt.Ties),
		ReferenceArm:   res.Study.Control,
		Covariates:     opt.Covariates,
		Strata:         opt.Strata,
		Subgroups:      opt.Subgroups,
		Allow:          opt.Allow,
	}

	// Endpoints in study order, or in order of first appearance.
	params := distinct(t.PARAMCD)
	if opt.Study != nil {
		var ordered []string
		for _, e := range opt.Study.Endpoints {
			if slices.Contains(params, e.Paramcd) {
				ordered = append(ordered, e.Paramcd)
			}
		}
		params = ordered
	}
	for _, p := range params {
		ep, err := analyzeEndpoint(t, p, arms, res.Study.Control, opt)
		if err != nil {
			return nil, fmt.Errorf("could not analyse %s: %w", p, err)
		}
		if opt.Study != nil {
			if se, ok := opt.Study.Endpoint(p); ok {
				ep.Label, ep.Kind, ep.TimeScale = se.Label, se.Kind, se.TimeScale
			}
		}
		if ep.Subgroups, err = analyzeSubgroups(t, p, arms, res.Study.Control, opt); err != nil {
			return nil, fmt.Errorf("could not analyse %s: %w", p, err)
		}
		for i := range ep.Subgroups {
			ep.Subgroups[i].Label, ep.Subgroups[i].Kind, ep.Subgroups[i].TimeScale = ep.Label, ep.Kind, ep.TimeScale
		}
		if ep.Status != "ok" && res.Status == "ok" {
			res.Status = ep.Status
		}
		res.Endpoints = append(res.Endpoints, *ep)
	}
	return res, nil
}

// Err returns an error listing every endpoint status the plan does not
// allow, or nil.
func (r *Results) Err() error {
	var errs []error
	var eps []Endpoint
	for _, ep := range r.Endpoints {
		eps = append(append(eps, ep), ep.Subgroups...)
	}
	for _, ep := range eps {
		if ep.Status == "ok" || ep.Allowed {
			continue
		}
		name := ep.Paramcd
		if ep.Subgroup != "" {
			name += fmt.Sprintf(" (subgroup %s = %s)", ep.Subgroup, ep.Level)
		}
		errs = append(errs, fmt.Errorf("%s: status %s: %s (if the analysis plan accepts this, list the status under analysis.allow in study.yaml, or pass -allow)", name, strings.Join(ep.Statuses, ", "), strings.Join(ep.Messages, "; ")))
	}
	return errors.Join(errs...)
}

func analyzeEndpoint(t *adam.ADTTE, param string, arms []string, control string, opt Options) (*Endpoint, error) {
	var rows []int
	for i, p := range t.PARAMCD {
		if p == param {
			rows = append(rows, i)
		}
	}
	ep := &Endpoint{Paramcd: param, Kind: study.KindOther}
	statuses := map[string]bool{}
	flag := func(status, msg string) {
		if !statuses[status] {
			ep.Statuses = append(ep.Statuses, status)
		}
		statuses[status] = true
		ep.Messages = append(ep.Messages, msg)
	}
	armIndex := map[string]int{}
	var present []string
	for _, a := range arms {
		for _, i := range rows {
			if t.TRTP[i] == a {
				armIndex[a] = len(present)
				present = append(present, a)
				break
			}
		}
	}
	// Kaplan–Meier and quantiles per arm.
	for _, a := range present {
		var tm []float64
		var ev []bool
		for _, i := range rows {
			if t.TRTP[i] == a {
				tm = append(tm, t.AVAL[i])
				ev = append(ev, t.Event[i])
			}
		}
		c, err := km.KaplanMeier(tm, ev, km.Options{ConfType: opt.ConfType, ConfLevel: opt.ConfLevel})
		if err != nil {
			return nil, fmt.Errorf("could not estimate the Kaplan-Meier curve of arm %s: %w", a, err)
		}
		ep.Arms = append(ep.Arms, ArmSummary{Arm: a, N: c.N, Events: c.Events, Censored: c.N - c.Events})
		if c.Events == 0 {
			flag(StatusZeroEvents, fmt.Sprintf("arm %s has no events: its curve stays at 1 and its hazard ratio is not estimable", a))
		}
		for j := range c.Time {
			ep.KM = append(ep.KM, KMRow{Arm: a, Time: c.Time[j], NRisk: c.NRisk[j], NEvent: c.NEvent[j], NCensor: c.NCensor[j],
				Surv: c.Surv[j], StdErr: finite(c.StdErr[j]), Lower: finite(c.Lower[j]), Upper: finite(c.Upper[j])})
		}
		for _, p := range Quantiles {
			q := c.Quantile(p)
			ep.Quantiles = append(ep.Quantiles, QuantileRow{Arm: a, Quantile: p, Time: finite(q.Time), Lower: finite(q.Lower), Upper: finite(q.Upper)})
		}
	}
	if len(present) < 2 {
		flag(StatusTooFewArms, fmt.Sprintf("only %d arm has rows for %s: no comparison is possible", len(present), param))
		return finish(ep, opt), nil
	}

	// Rows usable by the comparative analyses: no missing covariate or stratum.
	design, err := newDesign(t, rows, present, control, opt)
	if err != nil {
		return nil, err
	}
	if design.dropped > 0 {
		ep.Messages = append(ep.Messages, fmt.Sprintf("%d rows with an empty covariate or stratum were left out of the log-rank test and the Cox model", design.dropped))
	}

	// Log-rank.
	group := make([]int, len(design.rows))
	for k, i := range design.rows {
		group[k] = armIndex[t.TRTP[i]]
	}
	lr, err := logrank.LogRank(design.time, design.event, group, len(present), design.strata)
	switch {
	case err != nil:
		flag(design.failureStatus(group, len(present)), fmt.Sprintf("log-rank test not computed: %v", err))
	case !finiteLogRank(lr):
		flag(StatusNotEstimable, fmt.Sprintf("log-rank test not reported: chi-square %v, p-value %v, observed %v, expected %v: not all finite", lr.Chisq, lr.P, lr.Observed, lr.Expected))
	default:
		for g := range ep.Arms {
			ep.Arms[g].Observed = lr.Observed[g]
			ep.Arms[g].Expected = lr.Expected[g]
		}
		ep.Tests = append(ep.Tests, TestRow{Test: "logrank", Statistic: lr.Chisq, DF: lr.DF, PValue: lr.P})
	}

	// Cox.
	fitc, err := cox.CoxPH(design.time, design.event, design.x, design.names, design.strata, cox.Options{Ties: opt.Ties, ConfLevel: opt.ConfLevel})
	if err != nil {
		flag(design.failureStatus(group, len(present)), fmt.Sprintf("Cox model not fitted: %v", err))
		return finish(ep, opt), nil
	}
	cr := &CoxResult{Ties: string(opt.Ties), Strata: opt.Strata, N: fitc.N, Events: fitc.Events, Iterations: fitc.Iterations,
		Converged: fitc.Converged, Status: fitc.Status, LogLik0: fitc.LogLik0, LogLik: fitc.LogLik}
	if fitc.Status == cox.StatusOK && !allFinite(fitc.LogLik0, fitc.LogLik) {
		// Never seen with validated data; the terms are then not reported.
		cr.Status = StatusNotEstimable
		flag(StatusNotEstimable, fmt.Sprintf("Cox model not reported: log-likelihood %v (null model %v) is not finite", fitc.LogLik, fitc.LogLik0))
	}
	ok := cr.Status == cox.StatusOK
	if !ok && fitc.Status != cox.StatusOK {
		msg := strings.Join(fitc.Messages, "; ")
		if msg == "" {
			msg = "the Cox model reported " + fitc.Status
		}
		flag(fitc.Status, msg)
	}
	for j, name := range fitc.Names {
		term := CoxTerm{Term: name}
		vals := []float64{fitc.Coef[j], fitc.HR[j], fitc.SE[j], fitc.Z[j], fitc.P[j], fitc.HRLower[j], fitc.HRUpper[j]}
		if ok && allFinite(vals...) {
			term = CoxTerm{Term: name, Estimable: true, Coef: vals[0], HR: vals[1], SE: vals[2], Z: vals[3], PValue: vals[4], HRLower: vals[5], HRUpper: vals[6]}
		}
		cr.Terms = append(cr.Terms, term)
	}
	ep.Cox = cr
	if ok {
		for _, tt := range []struct {
			name string
			t    cox.Test
		}{{"cox_wald", fitc.Wald}, {"cox_lr", fitc.LR}, {"cox_score", fitc.Score}} {
			if allFinite(tt.t.Statistic, tt.t.P) {
				ep.Tests = append(ep.Tests, TestRow{Test: tt.name, Statistic: tt.t.Statistic, DF: tt.t.DF, PValue: tt.t.P})
			}
		}
	}
	return finish(ep, opt), nil
}

// Statuses of an endpoint besides "ok" and the Cox statuses (cox.Status*);
// every one is listed in study.Statuses and reports/README.md.
const (
	StatusZeroEvents   = "zero_events_in_arm"
	StatusTooFewArms   = "too_few_arms"
	StatusNotEstimable = "not_estimable"
)

// failureStatus is the status of a log-rank test or Cox model that could
// not be computed on the design's rows (group[k] is the arm of row k, of k
// arms). The statistical packages report such failures as errors; the
// status is derived from the data, in the order of their documented
// causes:
//
//   - fewer than two arms have rows (e.g. every row of an arm has an empty
//     covariate or stratum): too_few_arms;
//   - an arm with rows has no events (this includes no events at all, and
//     an arm never at risk at an event time, whose expected count is 0):
//     zero_events_in_arm;
//   - anything else (e.g. a log-rank variance of zero, when every subject at
//     risk has the event at each event time): not_estimable.
func (d *design) failureStatus(group []int, k int) string {
	rows := make([]int, k)
	events := make([]int, k)
	for i, g := range group {
		rows[g]++
		if d.event[i] {
			events[g]++
		}
	}
	withRows := 0
	for g := range k {
		if rows[g] > 0 {
			withRows++
		}
	}
	if withRows < 2 {
		return StatusTooFewArms
	}
	for g := range k {
		if rows[g] > 0 && events[g] == 0 {
			return StatusZeroEvents
		}
	}
	return StatusNotEstimable
}

func finish(ep *Endpoint, opt Options) *Endpoint {
	ep.Status = "ok"
	ep.Allowed = true
	if len(ep.Statuses) > 0 {
		ep.Status = ep.Statuses[0]
		for _, s := range ep.Statuses {
			if !slices.Contains(opt.Allow, s) {
				ep.Allowed = false
			}
		}
	}
	return ep
}

// design is the data of the comparative analyses of one endpoint.
type design struct {
	rows    []int // rows of the ADTTE table used
	time    []float64
	event   []bool
	x       [][]float64 // column-major
	names   []string
	strata  []int // nil without strata
	dropped int
}

func newDesign(t *adam.ADTTE, rows []int, arms []string, control string, opt Options) (*design, error) {
	d := &design{rows: make([]int, 0, len(rows)), time: make([]float64, 0, len(rows)), event: make([]bool, 0, len(rows))}
	missing := func(i int) bool {
		for _, c := range opt.Covariates {
			if t.Extra[c][i] == "" {
				return true
			}
		}
		return opt.Strata != "" && t.Extra[opt.Strata][i] == ""
	}
	for _, i := range rows {
		if missing(i) {
			d.dropped++
			continue
		}
		d.rows = append(d.rows, i)
		d.time = append(d.time, t.AVAL[i])
		d.event = append(d.event, t.Event[i])
	}
	n := len(d.rows)
	// Treatment dummies against the control arm, in arm order.
	for _, a := range arms {
		if a == control {
			continue
		}
		col := make([]float64, n)
		for k, i := range d.rows {
			if t.TRTP[i] == a {
				col[k] = 1
			}
		}
		d.x = append(d.x, col)
		d.names = append(d.names, "TRTP:"+a)
	}
	for _, c := range opt.Covariates {
		raw := t.Extra[c]
		vals := make([]float64, n)
		numeric := true
		for k, i := range d.rows {
			v, err := strconv.ParseFloat(raw[i], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				numeric = false
				break
			}
			vals[k] = v
		}
		if numeric {
			d.x = append(d.x, vals)
			d.names = append(d.names, c)
			continue
		}
		levels := distinctAt(raw, d.rows)
		sort.Strings(levels)
		if len(levels) < 2 {
			return nil, fmt.Errorf("covariate %s has a single level %q: it cannot be estimated; drop it from the covariates", c, levels[0])
		}
		for _, lv := range levels[1:] {
			col := make([]float64, n)
			for k, i := range d.rows {
				if raw[i] == lv {
					col[k] = 1
				}
			}
			d.x = append(d.x, col)
			d.names = append(d.names, c+":"+lv)
		}
	}
	if opt.Strata != "" {
		raw := t.Extra[opt.Strata]
		levels := distinctAt(raw, d.rows)
		sort.Strings(levels)
		id := map[string]int{}
		for k, lv := range levels {
			id[lv] = k
		}
		d.strata = make([]int, n)
		for k, i := range d.rows {
			d.strata[k] = id[raw[i]]
		}
	}
	return d, nil
}

// distinct returns the distinct values of s in order of first appearance.
func distinct(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for k, v := range s {
		if k > 0 && v == s[k-1] {
			continue // runs of one value (sorted or grouped files) skip the map
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// distinctAt returns the distinct values of s at rows, in order of first
// appearance.
func distinctAt(s []string, rows []int) []string {
	seen := map[string]bool{}
	var out []string
	last := ""
	for k, i := range rows {
		v := s[i]
		if k > 0 && v == last {
			continue
		}
		last = v
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// finiteLogRank reports whether every number of lr that is written is
// finite.
func finiteLogRank(lr *logrank.Result) bool {
	return allFinite(lr.Chisq, lr.P) && allFinite(lr.Observed...) && allFinite(lr.Expected...)
}

func allFinite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// software records the Go version and the versions of the modules that
// compute and draw the results.
func software(program string) Software {
	sw := Software{Program: program, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		sw.Modules = map[string]string{}
		for _, m := range bi.Deps {
			switch m.Path {
			case "gonum.org/v1/gonum", "gonum.org/v1/plot", "github.com/go-gota/gota", "go.yaml.in/yaml/v3":
				sw.Modules[m.Path] = m.Version
			}
		}
	}
	return sw
}
