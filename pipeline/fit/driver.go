package fit

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// Options control the fit stage. The zero value gives the documented
// defaults.
type Options struct {
	ConfType   km.ConfType // "" means the profile's: log-log, or log for "r"
	ConfLevel  float64     // 0 means 0.95
	Ties       cox.Ties    // "" means the profile's: efron, or breslow for "sas"
	Covariates []string    // ADTTE columns added to the regression models
	Strata     string      // ADTTE column for stratified tests and models
	Control    string      // reference arm; "" means the study's, else the profile's rule
	Subgroups  []string    // ADTTE columns: the comparisons are repeated within each of their levels
	Allow      []string    // statuses that do not fail (schema.Statuses)
	// Profile is the convention profile: "" (ketcurves' defaults), "r" or
	// "sas"; see Profiles.
	Profile string
	// Methods are the analyses to run (Methods names); nil means the
	// defaults. MethodsOrigin names where they were given, for messages.
	Methods       []string
	MethodsOrigin string
	// Settings are the methods' own options (Method.Options).
	Settings Settings
	// EventColumn and EventOfInterest name the event-type column of
	// competing events and the event analysed (see events.go); empty:
	// EVNTTYPE when the table has it, and the endpoint's event type.
	EventColumn, EventOfInterest string
	Study                        *study.Study
	Program                      string // name recorded in results.json
}

// Quantiles are the probabilities reported in quantiles.csv.
var Quantiles = []float64{0.25, 0.5, 0.75}

// ErrNoRows is wrapped by the error of Analyze for a table without
// accepted rows (for example a file whose rows were all rejected
// non-fatally: empty rows, undeclared endpoints).
var ErrNoRows = errors.New("no accepted rows")

// Analyze runs the selected analyses on every endpoint of an ADTTE table.
// rep is the reader's report of the file (for provenance). It returns an
// error for unusable input (an unknown column, a control arm not in the
// data, an unknown method or a bad option); numerical trouble is a status
// in the results, see Err.
func Analyze(t *adam.ADTTE, rep *adam.Report, opt Options) (*schema.Results, error) {
	opt, err := opt.resolve()
	if err != nil {
		return nil, err
	}
	methods, err := selectMethods(opt.Methods, opt.MethodsOrigin, opt.Settings, t, opt)
	if err != nil {
		return nil, err
	}
	analyses, err := configure(methods, opt.Settings)
	if err != nil {
		return nil, err
	}
	if err := checkColumns(t, rep, opt); err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("%s: %w (%d rows read, %d rejected): nothing to analyse; fix the rejected rows (run ingest for the list)", rep.File, ErrNoRows, rep.RowsRead, rep.Rejected)
	}
	res := &schema.Results{
		Schema:   schema.SchemaVersion,
		Input:    schema.Input{File: rep.File, SHA256: rep.SHA256, Rows: rep.RowsRead},
		Status:   schema.StatusOK,
		Software: software(opt.Program),
	}
	arms, err := studyInfo(res, t, rep, opt)
	if err != nil {
		return nil, err
	}
	res.Conventions = conventions(opt, res.Study.Control, methods, t)
	params := endpointOrder(t, opt)
	col, err := eventColumn(t, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rep.File, err)
	}
	t, causes, err := applyEventTypes(t, rep.File, col, params, opt)
	if err != nil {
		return nil, err
	}
	run := runner{table: t, file: rep.File, opt: opt, methods: methods, analyses: analyses, causes: causes}
	for _, p := range params {
		ep, err := run.endpoint(p, arms, res.Study.Control)
		if err != nil {
			return nil, fmt.Errorf("could not analyse %s: %w", p, err)
		}
		if ep.Status != schema.StatusOK && res.Status == schema.StatusOK {
			res.Status = ep.Status
		}
		res.Endpoints = append(res.Endpoints, *ep)
	}
	return res, nil
}

// checkColumns checks that every column the options name is in the table.
func checkColumns(t *adam.ADTTE, rep *adam.Report, opt Options) error {
	cols := slices.Concat(opt.Covariates, opt.Subgroups, []string{opt.Strata})
	for _, c := range cols {
		if c == "" {
			continue
		}
		if !t.Has(c) {
			return fmt.Errorf("%s has no column %s: covariates, strata and subgroups must be ADTTE columns (available: %s)", rep.File, c, strings.Join(t.ExtraNames, ", "))
		}
	}
	return nil
}

// studyInfo fills res.Study (and res.Figures, the plan's figure axes) and
// returns the arms in study (or sorted) order.
func studyInfo(res *schema.Results, t *adam.ADTTE, rep *adam.Report, opt Options) ([]string, error) {
	arms := slices.Clone(t.TRTP.Levels)
	sort.Strings(arms)
	if len(arms) > design.MaxLevels {
		return nil, fmt.Errorf("%s: TRTP has %d distinct arms: at most %d are supported; is TRTP the planned treatment arm?", rep.File, len(arms), design.MaxLevels)
	}
	res.Study = schema.StudyInfo{}
	if s := opt.Study; s != nil {
		res.Study = schema.StudyInfo{ID: s.ID, Title: s.Title, Design: s.Design, Synthetic: s.Synthetic, Citations: s.Provenance.Citations, Source: s.Provenance.Source}
		res.Figures = s.FigureSettings()
		var ordered []string
		for _, a := range s.Arms {
			if slices.Contains(arms, a.Name) {
				ordered = append(ordered, a.Name)
			}
		}
		arms = ordered
	} else if t.StudyID.Len() > 0 {
		res.Study.ID = t.StudyID.At(0)
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
		if opt.Profile == ProfileSAS {
			res.Study.Control, res.Study.ControlSource = sorted[len(sorted)-1], "last-sorted"
		}
	}
	if !slices.Contains(arms, res.Study.Control) {
		return nil, fmt.Errorf("the reference arm %q has no rows in %s (arms present: %s): choose one of them with -control", res.Study.Control, rep.File, strings.Join(arms, ", "))
	}
	for _, a := range arms {
		info := schema.ArmInfo{Name: a}
		if opt.Study != nil {
			sa, _ := opt.Study.Arm(a)
			info.Label, info.Class = sa.Label, sa.Class
		}
		res.Study.Arms = append(res.Study.Arms, info)
	}
	return arms, nil
}

func conventions(opt Options, control string, methods []*Method, t *adam.ADTTE) schema.Conventions {
	c := schema.Conventions{
		TimeUnit:       "days",
		Censoring:      "CNSR: 0 = event, 1 = censored (ADaM)",
		ConfType:       string(opt.ConfType),
		ConfLevel:      opt.ConfLevel,
		Variance:       "Greenwood",
		QuantileMethod: "Brookmeyer-Crowley, as R quantile.survfit",
		Ties:           string(opt.Ties),
		ReferenceArm:   control,
		Covariates:     opt.Covariates,
		Strata:         opt.Strata,
		Subgroups:      opt.Subgroups,
		Allow:          opt.Allow,
		Profile:        opt.Profile,
	}
	c.CategoricalReference = "first"
	if opt.reference() == design.RefLast {
		c.CategoricalReference = "last"
	}
	for _, m := range methods {
		c.Methods = append(c.Methods, m.Name)
	}
	for name, s := range opt.Settings {
		if c.Options == nil {
			c.Options = map[string]string{}
		}
		c.Options[name] = s.Value
	}
	if t.Entry != nil {
		c.EntryColumn = "ENTRY"
	}
	return c
}

// endpointOrder returns the endpoints in study order, or in order of first
// appearance.
func endpointOrder(t *adam.ADTTE, opt Options) []string {
	params := t.PARAMCD.Levels
	if opt.Study == nil {
		return slices.Clone(params)
	}
	var ordered []string
	for _, e := range opt.Study.Endpoints {
		if slices.Contains(params, e.Paramcd) {
			ordered = append(ordered, e.Paramcd)
		}
	}
	return ordered
}

// Err returns an error listing every endpoint status the plan does not
// allow, or nil.
func Err(r *schema.Results) error {
	var errs []error
	var eps []schema.Endpoint
	for _, ep := range r.Endpoints {
		eps = append(append(eps, ep), ep.Subgroups...)
	}
	for _, ep := range eps {
		if ep.Status == schema.StatusOK || ep.Allowed {
			continue
		}
		name := ep.Paramcd
		if ep.Subgroup != "" {
			name += fmt.Sprintf(" (subgroup %s = %s)", ep.Subgroup, ep.Level)
		}
		st := make([]string, len(ep.Statuses))
		for i, s := range ep.Statuses {
			st[i] = string(s)
		}
		errs = append(errs, fmt.Errorf("%s: status %s: %s (if the analysis plan accepts this, list the status under analysis.allow in study.yaml, or pass -allow)", name, strings.Join(st, ", "), strings.Join(ep.Messages, "; ")))
	}
	return errors.Join(errs...)
}

// runner runs the configured analyses endpoint by endpoint.
type runner struct {
	table    *adam.ADTTE
	file     string
	opt      Options
	methods  []*Method
	analyses []Analysis
	causes   map[string]*endpointCauses // by PARAMCD; nil without event types
}

// endpoint analyses endpoint param of r.table, then its subgroups.
func (r runner) endpoint(param string, arms []string, control string) (*schema.Endpoint, error) {
	var rows []int
	if code, ok := r.table.PARAMCD.Find(param); ok {
		rows = r.table.PARAMCD.Rows(code)
	}
	ep, err := r.analyse(param, rows, arms, control, r.opt)
	if err != nil {
		return nil, err
	}
	if r.opt.Study != nil {
		if se, ok := r.opt.Study.Endpoint(param); ok {
			ep.Label, ep.Kind, ep.TimeScale, ep.YLabel = se.Label, se.Kind, se.TimeScale, se.YLabel
			if f := se.Figure; f != nil {
				ep.Figure = &schema.FigureSettings{XTicks: f.XTicks, XRange: f.XRange, Annotate: f.Annotate, MedianLines: f.MedianLines, Test: f.Test}
			}
		}
	}
	if ep.Subgroups, err = r.subgroups(param, rows, arms, control); err != nil {
		return nil, err
	}
	if len(ep.Subgroups) > 0 && len(ep.Arms) >= 2 {
		r.interactionTests(ep, param, rows, arms, control)
	}
	for i := range ep.Subgroups {
		ep.Subgroups[i].Label, ep.Subgroups[i].Kind, ep.Subgroups[i].TimeScale, ep.Subgroups[i].YLabel = ep.Label, ep.Kind, ep.TimeScale, ep.YLabel
	}
	return ep, nil
}

// analyse runs every analysis on the given rows of endpoint param.
func (r runner) analyse(param string, rows []int, arms []string, control string, opt Options) (*schema.Endpoint, error) {
	ep := &schema.Endpoint{Paramcd: param, Kind: study.KindOther}
	ctx := r.context(param, rows, arms, control, opt, ep)
	ctx.recordEventTypes(ep)
	comparable := len(ctx.Arms) >= 2 && slices.Contains(ctx.Arms, control)
	var prepared sync.WaitGroup
	for i, a := range r.analyses {
		if p, ok := a.(Preparer); ok && (comparable || !r.methods[i].Comparative) {
			prepared.Go(func() { p.Prepare(ctx) })
		}
	}
	prepared.Wait()
	flagged := false
	for i, a := range r.analyses {
		if r.methods[i].Comparative && !comparable {
			if !flagged {
				ctx.Flag(schema.StatusTooFewArms, fmt.Sprintf("only %d arm has rows for %s: no comparison is possible", len(ctx.Arms), param))
				flagged = true
			}
			continue
		}
		ctx.method = r.methods[i].Name
		if err := a.Run(ctx, ep); err != nil {
			return nil, err
		}
	}
	finish(ep, ctx.flagged, opt)
	return ep, nil
}

// context returns the analysis context of the given rows of endpoint
// param; results go to ep.
func (r runner) context(param string, rows []int, arms []string, control string, opt Options, ep *schema.Endpoint) *Context {
	ctx := &Context{Table: r.table, File: r.file, Paramcd: param, Rows: rows, Options: opt, ep: ep, statuses: map[schema.Status]bool{}, causes: r.causes[param]}
	trtp := r.table.TRTP
	present := make([]bool, len(trtp.Levels))
	for _, i := range rows {
		present[trtp.Code(i)] = true
	}
	armIndex := map[string]int{}
	groupOf := make([]int, len(trtp.Levels)) // arm index by TRTP code
	for _, a := range arms {
		if code, ok := trtp.Find(a); ok && present[code] {
			armIndex[a] = len(ctx.Arms)
			groupOf[code] = len(ctx.Arms)
			ctx.Arms = append(ctx.Arms, a)
		}
	}
	ctx.Control = armIndex[control]
	ctx.Group = make([]int, len(rows))
	for k, i := range rows {
		ctx.Group[k] = groupOf[trtp.Code(i)]
	}
	return ctx
}

// subgroups repeats the comparisons of endpoint param within each level of
// each subgroup column (sorted levels; rows with a missing value are left
// out). Within a subgroup the subgroup column is dropped from the
// covariates and, if it was the stratification column, the analysis is
// unstratified. This is how per-stratum results are reported, e.g.
// SUSTAIN-1's hazard ratios among stable remitters and stable responders.
// A subgroup without control-arm rows is compared with its first arm.
func (r runner) subgroups(param string, rows []int, arms []string, control string) ([]schema.Endpoint, error) {
	var out []schema.Endpoint
	for _, col := range r.opt.Subgroups {
		raw := r.table.Extra[col]
		byLevel := map[string][]int{}
		var levels []string
		for _, i := range rows {
			v := raw.At(i)
			if design.IsMissing(v) {
				continue
			}
			if _, ok := byLevel[v]; !ok {
				levels = append(levels, v)
			}
			byLevel[v] = append(byLevel[v], i)
		}
		sort.Strings(levels)
		sub := r.opt
		sub.Covariates = slices.DeleteFunc(slices.Clone(r.opt.Covariates), func(c string) bool { return c == col })
		if sub.Strata == col {
			sub.Strata = ""
		}
		for _, lv := range levels {
			lrows := byLevel[lv]
			var present []string
			for _, a := range arms {
				if slices.ContainsFunc(lrows, func(i int) bool { return r.table.TRTP.At(i) == a }) {
					present = append(present, a)
				}
			}
			ctl := control
			if !slices.Contains(present, ctl) {
				ctl = present[0]
			}
			ep, err := r.subgroupRunner().analyse(param, lrows, present, ctl, sub)
			if err != nil {
				return nil, fmt.Errorf("could not analyse subgroup %s = %s: %w", col, lv, err)
			}
			ep.Subgroup, ep.Level = col, lv
			out = append(out, *ep)
		}
	}
	return out, nil
}

// subgroupRunner runs, within subgroups, the methods that subgroups.csv
// and the report use: the arm counts and the comparisons.
func (r runner) subgroupRunner() runner {
	sub := runner{table: r.table, file: r.file, opt: r.opt, causes: r.causes}
	for i, m := range r.methods {
		if m.Name == "km" || m.Name == "quantiles" || m.Name == "tests" || m.Name == "cox" {
			sub.methods = append(sub.methods, m)
			sub.analyses = append(sub.analyses, r.analyses[i])
		}
	}
	return sub
}

// finish sets the endpoint's status: ok, or its first status; Allowed
// when every status flagged is allowed by the plan, as the status itself
// (e.g. no_plateau: whichever method flagged it) or as method:status
// (e.g. cure:no_plateau: only when the cure model flagged it).
func finish(ep *schema.Endpoint, flagged []methodStatus, opt Options) {
	ep.Status = schema.StatusOK
	ep.Allowed = true
	if len(ep.Statuses) > 0 {
		ep.Status = ep.Statuses[0]
	}
	for _, f := range flagged {
		if !slices.Contains(opt.Allow, string(f.status)) && !slices.Contains(opt.Allow, f.method+":"+string(f.status)) {
			ep.Allowed = false
		}
	}
}

// software records the Go version and the versions of the modules that
// compute and draw the results.
func software(program string) schema.Software {
	sw := schema.Software{Program: program, GoVersion: runtime.Version()}
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
