package fit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// coxMethod: the Cox model of treatment, covariates and strata on the
// endpoint's complete cases, as coxph(Surv(AVAL, 1 - CNSR) ~ TRTP +
// covariates + strata(S), ties = T).
var coxMethod = &Method{
	Name:        "cox",
	Summary:     "Cox model of treatment, covariates and strata (cox.csv; Wald, LR and score tests in tests.csv)",
	Default:     true,
	Comparative: true,
	Options: []Option{{Name: "cluster",
		Usage: "ADTTE column of cluster ids: robust sandwich SE clustered by it, as coxph(..., cluster = COL) (robust_se in cox.csv, robust tests in tests.csv)"}},
	Configure: configureCox,
	Tables:    []Table{{File: CoxFile, Header: CoxHeader, Rows: coxRows}},
}

type coxAnalysis struct{}

func configureCox(set Settings) (Analysis, error) {
	if s, ok := set["cluster"]; ok && strings.TrimSpace(s.Value) == "" {
		return nil, set.Errorf("cluster", "name the ADTTE column of cluster ids")
	}
	return AnalysisFunc(runCox), nil
}

// CoxFile and CoxHeader name and head cox.csv.
const CoxFile = "cox.csv"

var CoxHeader = []string{"paramcd", "term", "coef", "hr", "se", "z", "p_value", "hr_lower", "hr_upper", "robust_se"}

// coxFit is the Cox model of an endpoint with its design, shared by the
// analyses that build on it (zph, piecewise).
type coxFit struct {
	design *design.Matrix
	result *cox.Result
}

// coxModel fits the endpoint's Cox model once. A nil result with a nil
// error means the fit failed numerically; the status has been flagged.
func (c *Context) coxModel() (*coxFit, error) {
	return Shared(c, "cox", func() (*coxFit, error) {
		opt := c.Options
		cluster := opt.Settings["cluster"].Value
		if cluster != "" {
			if !c.Table.Has(cluster) {
				return nil, fmt.Errorf("%s: %s (cluster): %s has no column %s (available: %s)", opt.Settings["cluster"].Origin, c.Paramcd, c.File, cluster, strings.Join(c.Table.ExtraNames, ", "))
			}
		}
		m, err := c.Design(opt.Covariates, opt.Strata, cluster)
		if err != nil {
			return nil, err
		}
		if m.DroppedTotal > 0 {
			c.Note(droppedMessage(m, "the Cox model"))
		}
		time, event := view(c.Table.AVAL, m.Rows), view(c.Table.Event, m.Rows) // CoxPH only reads them
		if arms := c.armsIn(m.Rows); len(arms) < 2 {
			c.Flag(schema.StatusTooFewArms, fmt.Sprintf("Cox model not fitted: only %d arm (%s) has complete rows", len(arms), strings.Join(arms, ", ")))
			return &coxFit{design: m}, nil
		}
		res, err := cox.CoxPH(time, event, m.X, m.Names(), m.Strata, c.coxOptions(m))
		if err != nil {
			c.Flag(failureStatus(event, c.groupsOf(m.Rows), len(c.Arms)), fmt.Sprintf("Cox model not fitted: %v", err))
			return &coxFit{design: m}, nil
		}
		return &coxFit{design: m, result: res}, nil
	})
}

func runCox(ctx *Context, ep *schema.Endpoint) error {
	fc, err := ctx.coxModel()
	if err != nil {
		return err
	}
	fitc := fc.result
	if fitc == nil {
		return nil
	}
	cr := &schema.CoxResult{Ties: string(ctx.Options.Ties), Strata: ctx.Options.Strata, N: fitc.N, Events: fitc.Events, Iterations: fitc.Iterations,
		Converged: fitc.Converged, Status: fitc.Status, LogLik0: fitc.LogLik0, LogLik: fitc.LogLik}
	if fitc.Status == cox.StatusOK && !allFinite(fitc.LogLik0, fitc.LogLik) {
		cr.Status = string(schema.StatusNotEstimable)
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("Cox model not reported: log-likelihood %v (null model %v) is not finite", fitc.LogLik, fitc.LogLik0))
	}
	ok := cr.Status == cox.StatusOK
	if !ok && fitc.Status != cox.StatusOK {
		msg := strings.Join(fitc.Messages, "; ")
		if msg == "" {
			msg = "the Cox model reported " + fitc.Status
		}
		ctx.Flag(schema.Status(fitc.Status), msg)
	}
	for j, name := range fitc.Names {
		term := schema.CoxTerm{Term: name, Reference: fc.design.Columns[j].Reference}
		if r := fitc.Robust; r != nil && ok {
			term.RobustSE = finite(r.SE[j])
		}
		vals := []float64{fitc.Coef[j], fitc.HR[j], fitc.SE[j], fitc.Z[j], fitc.P[j], fitc.HRLower[j], fitc.HRUpper[j]}
		if ok && allFinite(vals...) {
			term.Estimable = true
			term.Coef, term.HR, term.SE, term.Z, term.PValue, term.HRLower, term.HRUpper = vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6]
		} else if ok {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("Cox term %s is not estimable: its estimate, standard error or confidence limits (level %v) are not finite", name, ctx.Options.ConfLevel))
		}
		cr.Terms = append(cr.Terms, term)
	}
	ep.Cox = cr
	if !ok {
		return nil
	}
	for _, tt := range []struct {
		name string
		t    cox.Test
	}{{"cox_wald", fitc.Wald}, {"cox_lr", fitc.LR}, {"cox_score", fitc.Score}} {
		if allFinite(tt.t.Statistic, tt.t.P) {
			ep.Tests = append(ep.Tests, schema.TestRow{Test: tt.name, Statistic: tt.t.Statistic, DF: tt.t.DF, PValue: tt.t.P, N: fitc.N})
		}
	}
	if r := fitc.Robust; r != nil {
		cr.Cluster, cr.Clusters = ctx.Options.Settings["cluster"].Value, r.Clusters
		for _, tt := range []struct {
			name string
			t    cox.Test
		}{{"cox_robust_wald", r.Wald}, {"cox_robust_score", r.Score}} {
			if allFinite(tt.t.Statistic, tt.t.P) {
				ep.Tests = append(ep.Tests, schema.TestRow{Test: tt.name, Statistic: tt.t.Statistic, DF: tt.t.DF, PValue: tt.t.P, N: fitc.N})
			}
		}
	}
	return nil
}

func coxRows(ep *schema.Endpoint, emit func(...string)) error {
	if ep.Cox == nil {
		return nil
	}
	for _, t := range ep.Cox.Terms {
		if !t.Estimable {
			emit(ep.Paramcd, t.Term, "", "", "", "", "", "", "", "")
			continue
		}
		emit(ep.Paramcd, t.Term, num(t.Coef), num(t.HR), num(t.SE), num(t.Z), num(t.PValue), num(t.HRLower), num(t.HRUpper), optNum(t.RobustSE))
	}
	return nil
}

// coxOptions are the options of the endpoint's Cox fits on design m:
// ties, level, delayed entry (ENTRY) and the cluster of the robust
// variance.
func (c *Context) coxOptions(m *design.Matrix) cox.Options {
	o := cox.Options{Ties: c.Options.Ties, ConfLevel: c.Options.ConfLevel, Cluster: m.Cluster}
	if c.Table.Entry != nil {
		entry := gather(c.Table.Entry, m.Rows)
		if slices.ContainsFunc(entry, func(e float64) bool { return e > 0 }) {
			o.Entry = entry // all zero is the same model without entry
		}
	}
	return o
}

// armsIn returns the arms with rows among rows, in Arms order.
func (c *Context) armsIn(rows []int) []string {
	seen := make([]bool, len(c.Arms))
	for _, g := range c.groupsOf(rows) {
		seen[g] = true
	}
	var out []string
	for a, ok := range seen {
		if ok {
			out = append(out, c.Arms[a])
		}
	}
	return out
}
