package fit

import (
	"fmt"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"gonum.org/v1/gonum/stat/distuv"
)

// interactionTests adds to ep, for each subgroup column, the
// likelihood-ratio test of the treatment-by-subgroup interaction in the
// Cox model of the endpoint (test interaction:<column> in tests.csv):
//
//	H0: h(t) = h0(t) exp(β'TRT + γ'SUB + δ'x)
//	H1: h(t) = h0(t) exp(β'TRT + γ'SUB + η'(TRT × SUB) + δ'x)
//	LR = 2 (ℓ1 − ℓ0) on the number of non-redundant interaction columns
//
// as R's anova(coxph(... ~ TRTP + SUB + x), coxph(... ~ TRTP * SUB + x)).
// The strata are kept unless the subgroup column is the strata column.
// A fit that fails is a note, not a status: the subgroups themselves are
// still reported.
func (r runner) interactionTests(ep *schema.Endpoint, param string, rows []int, arms []string, control string) {
	if !slices.ContainsFunc(r.methods, func(m *Method) bool { return m.Name == "cox" }) {
		return
	}
	ctx := r.context(param, rows, arms, control, r.opt, &schema.Endpoint{})
	for _, col := range r.opt.Subgroups {
		covs := slices.DeleteFunc(slices.Clone(r.opt.Covariates), func(c string) bool { return c == col })
		strata := r.opt.Strata
		if strata == col {
			strata = ""
		}
		m, err := ctx.Design(append(covs, col), strata, "")
		if err != nil {
			ep.Messages = append(ep.Messages, fmt.Sprintf("interaction test of %s not computed: %v", col, err))
			continue
		}
		x, names := withInteractions(m, col)
		if len(x) == len(m.X) {
			continue
		}
		time, event := gather(r.table.AVAL, m.Rows), gather(r.table.Event, m.Rows)
		o := ctx.coxOptions(m)
		f0, err0 := cox.CoxPH(time, event, m.X, m.Names(), m.Strata, o)
		f1, err1 := cox.CoxPH(time, event, x, names, m.Strata, o)
		if err0 != nil || err1 != nil || f0.Status != cox.StatusOK || f1.Status == cox.StatusMonotone || f1.Status == cox.StatusNotConverged {
			ep.Messages = append(ep.Messages, fmt.Sprintf("interaction test of %s not computed: the Cox models could not be compared", col))
			continue
		}
		df := f1.LR.DF - f0.LR.DF
		lr := 2 * (f1.LogLik - f0.LogLik)
		if df < 1 || !allFinite(lr) {
			continue
		}
		p := distuv.ChiSquared{K: float64(df)}.Survival(max(lr, 0))
		ep.Tests = append(ep.Tests, schema.TestRow{Test: "interaction:" + col, Statistic: lr, DF: df, PValue: p, N: f1.N})
	}
}

// withInteractions returns the columns of m and, appended, the products of
// every treatment column with every column of the subgroup variable col.
func withInteractions(m *design.Matrix, col string) ([][]float64, []string) {
	x, names := slices.Clone(m.X), m.Names()
	for a, ca := range m.Columns {
		if ca.Kind != design.KindArm {
			continue
		}
		for s, cs := range m.Columns {
			if cs.Variable != col || cs.Kind == design.KindArm {
				continue
			}
			prod := make([]float64, len(m.Rows))
			for k := range prod {
				prod[k] = m.X[a][k] * m.X[s][k]
			}
			x = append(x, prod)
			names = append(names, ca.Name+"*"+cs.Name)
		}
	}
	return x, names
}
