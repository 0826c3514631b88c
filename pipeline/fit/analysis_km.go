package fit

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// kmMethod: Kaplan–Meier curves per arm with Greenwood variance and the
// CI of the chosen transform, on every row of the endpoint (with delayed
// entry when the table has ENTRY), as survfit(Surv(AVAL, 1 - CNSR) ~ TRTP).
var kmMethod = &Method{
	Name:      "km",
	Summary:   "Kaplan-Meier curve per arm, Greenwood SE and CI (km.csv)",
	Default:   true,
	Configure: func(Settings) (Analysis, error) { return kmAnalysis{}, nil },
	Tables: []Table{{File: KMFile, Header: KMHeader, Rows: kmRows,
		Len: func(ep *schema.Endpoint) int { return ep.KM.Len() }, Append: appendKMRows}},
}

// KMFile and KMHeader name and head km.csv (reports/README.md).
const KMFile = "km.csv"

var KMHeader = []string{"paramcd", "arm", "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"}

// kmAnalysis fits the arms' curves ahead (Prepare), then reports them.
type kmAnalysis struct{}

// Prepare fits the curves; an error is reported by Run.
func (kmAnalysis) Prepare(ctx *Context) { _, _ = ctx.curves() }

func (kmAnalysis) Run(ctx *Context, ep *schema.Endpoint) error { return runKM(ctx, ep) }

func runKM(ctx *Context, ep *schema.Endpoint) error {
	curves, err := ctx.curves()
	if err != nil {
		return err
	}
	for a, arm := range ctx.Arms {
		c := curves[a]
		ep.Arms = append(ep.Arms, schema.ArmSummary{Arm: arm, N: c.N, Events: c.Events, Censored: c.N - c.Events})
		if c.Events == 0 {
			ctx.Flag(schema.StatusZeroEvents, fmt.Sprintf("arm %s has no events: its curve stays at 1 and its hazard ratio is not estimable", arm))
		}
		// The table shares the curve's columns: a curve of a million
		// times is not copied. Its NaN (R's NA) are null and empty cells.
		ep.KM.Add(schema.KMArm{Arm: arm, Time: c.Time, NRisk: c.NRisk, NEvent: c.NEvent, NCensor: c.NCensor,
			Surv: c.Surv, StdErr: c.StdErr, Lower: c.Lower, Upper: c.Upper})
	}
	return nil
}

// curve returns the Kaplan–Meier curve of arm a (index in Arms), fitted
// once per endpoint and shared by the analyses that need it.
func (c *Context) curve(a int) (*km.Curve, error) {
	return Shared(c, curveKey(a), func() (*km.Curve, error) { return c.fitCurve(a) })
}

func curveKey(a int) string { return "km:" + strconv.Itoa(a) }

// fitCurve fits the Kaplan–Meier curve of arm a. It only reads the
// context, so arms may be fitted concurrently.
func (c *Context) fitCurve(a int) (*km.Curve, error) {
	rows := c.ArmRows(a)
	var entry []float64
	if c.Table.Entry != nil {
		entry = gather(c.Table.Entry, rows)
	}
	return km.KaplanMeier(gather(c.Table.AVAL, rows), gather(c.Table.Event, rows),
		km.Options{ConfType: c.Options.ConfType, ConfLevel: c.Options.ConfLevel, Entry: entry})
}

// curves returns the curve of every arm, as curve does; the arms not yet
// fitted are fitted concurrently, one goroutine each. The error names the
// first arm, in arm order, whose curve could not be estimated.
func (c *Context) curves() ([]*km.Curve, error) {
	out := make([]*km.Curve, len(c.Arms))
	errs := make([]error, len(c.Arms))
	var wg sync.WaitGroup
	for a := range c.Arms {
		wg.Go(func() { out[a], errs[a] = c.curve(a) })
	}
	wg.Wait()
	for a, arm := range c.Arms {
		if errs[a] != nil {
			return nil, fmt.Errorf("could not estimate the Kaplan-Meier curve of arm %s: %w", arm, errs[a])
		}
	}
	return out, nil
}

func kmRows(ep *schema.Endpoint, emit func(...string)) error {
	for _, k := range ep.KM.All() {
		emit(ep.Paramcd, k.Arm, num(k.Time), strconv.Itoa(k.NRisk), strconv.Itoa(k.NEvent), strconv.Itoa(k.NCensor),
			num(k.Surv), optNum(k.StdErr), optNum(k.Lower), optNum(k.Upper))
	}
	return nil
}

// appendKMRows formats rows lo … hi-1 of kmRows into bytes, by block.
func appendKMRows(ep *schema.Endpoint, lo, hi int, row *CSVRow) {
	ep.KM.Each(lo, hi, func(b *schema.KMArm, jlo, jhi int) {
		for j := jlo; j < jhi; j++ {
			row.Text(ep.Paramcd)
			row.Text(b.Arm)
			row.Float(b.Time[j])
			row.Int(b.NRisk[j])
			row.Int(b.NEvent[j])
			row.Int(b.NCensor[j])
			row.Float(b.Surv[j])
			row.FiniteOrEmpty(b.StdErr[j])
			row.FiniteOrEmpty(b.Lower[j])
			row.FiniteOrEmpty(b.Upper[j])
			row.End()
		}
	})
}

// quantilesMethod: the quartiles of the event time per arm with
// Brookmeyer–Crowley intervals, as quantile(survfit, c(.25, .5, .75)).
var quantilesMethod = &Method{
	Name:      "quantiles",
	Summary:   "quartiles of the event time per arm, Brookmeyer-Crowley CIs (quantiles.csv)",
	Default:   true,
	Configure: func(Settings) (Analysis, error) { return AnalysisFunc(runQuantiles), nil },
	Tables:    []Table{{File: QuantilesFile, Header: QuantilesHeader, Rows: quantileRows}},
}

// QuantilesFile and QuantilesHeader name and head quantiles.csv.
const QuantilesFile = "quantiles.csv"

var QuantilesHeader = []string{"paramcd", "arm", "quantile", "time", "lower", "upper"}

func runQuantiles(ctx *Context, ep *schema.Endpoint) error {
	for a, arm := range ctx.Arms {
		c, err := ctx.curve(a)
		if err != nil {
			return fmt.Errorf("could not estimate the Kaplan-Meier curve of arm %s: %w", arm, err)
		}
		for _, p := range Quantiles {
			q := c.Quantile(p)
			ep.Quantiles = append(ep.Quantiles, schema.QuantileRow{Arm: arm, Quantile: p, Time: finite(q.Time), Lower: finite(q.Lower), Upper: finite(q.Upper)})
		}
	}
	return nil
}

func quantileRows(ep *schema.Endpoint, emit func(...string)) error {
	for _, q := range ep.Quantiles {
		emit(ep.Paramcd, q.Arm, num(q.Quantile), optNum(q.Time), optNum(q.Lower), optNum(q.Upper))
	}
	return nil
}
