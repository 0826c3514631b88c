package figure

import (
	"cmp"
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// loglogKind is the log(−log S) against log t figure, the graphical check
// of proportional hazards from the Kaplan–Meier rows.
var loglogKind = &Kind{
	Name:    "loglog",
	Summary: "log(−log S(t)) against log t per arm from the Kaplan–Meier rows: parallel curves support proportional hazards",
	Suffix:  "-loglog",
	Needs:   []string{"km"},
	Applies: func(ep *schema.Endpoint) bool { return ep.KM.Len() > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return LogLog(res, ep, opts...)
	},
}

// LogLog prepares the log(−log S) figure of ep: per arm the post-step
// function y = log(−log S(t)) of the km rows on a log time axis, from the
// arm's first event (where S < 1) to its last row with 0 < S < 1 (S = 0 has
// no finite transform and is not drawn), censoring marks on the curve, and
// the numbers at risk at the ticks. Under proportional hazards the arms'
// curves are parallel, a vertical distance of log HR apart. R: plot(fit,
// fun = "cloglog"), SAS: PROC LIFETEST PLOTS=(LOGLOGS). The band is not
// drawn. It returns an error when no arm has a row with 0 < S < 1.
func LogLog(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*Figure, error) {
	f, err := Curves(*ep, res.Study, append(opts, WithTimeScale(TimeLog))...)
	if err != nil {
		return nil, err
	}
	f.Title = cmp.Or(ep.Label, ep.Paramcd) + ": log(−log S(t)) against log t"
	f.YLabel = "log(−log S(t))"
	rows, _, _ := armRows(*ep, res.Study) // checked by Curves
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range f.Arms {
		a := &f.Arms[i]
		a.Curve, a.Censor, a.Band = nil, nil, nil
		for _, r := range rows[a.Name] {
			if !(r.Surv > 0 && r.Surv < 1) {
				continue
			}
			pt := Point{f.x(r.Time), math.Log(-math.Log(r.Surv))}
			a.Curve = append(a.Curve, pt)
			if r.NCensor > 0 {
				a.Censor = append(a.Censor, pt)
			}
			lo, hi = min(lo, pt.Y), max(hi, pt.Y)
		}
	}
	if math.IsInf(lo, 1) {
		return nil, fmt.Errorf("could not prepare the loglog figure of %s: no arm has a Kaplan–Meier estimate strictly between 0 and 1 (no events)", ep.Paramcd)
	}
	f.Rising = false
	f.yFree = true
	f.yMin, f.YMax = math.Floor(lo*2)/2, math.Ceil(hi*2)/2
	if f.YMax <= f.yMin {
		f.yMin, f.YMax = f.yMin-0.5, f.YMax+0.5
	}
	f.Notes[0] = "Curves: log(−log S(t)) of the Kaplan–Meier estimate, from each arm's first event; + censored. Parallel curves support proportional hazards (vertical distance log HR)."
	f.caption = fmt.Sprintf("log(−log S(t)) against log time for %s by arm: %s. %s", cmp.Or(ep.Label, ep.Paramcd), armCounts(ep), f.Notes[0]) + synthetic(f.Notes)
	return f, nil
}
