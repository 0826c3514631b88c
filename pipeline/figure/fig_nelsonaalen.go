package figure

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// nelsonAalenKind is the Nelson–Aalen cumulative hazard per arm with its
// pointwise band, censoring marks and numbers at risk.
var nelsonAalenKind = &Kind{
	Name:    "nelson_aalen",
	Summary: "Nelson–Aalen cumulative hazard per arm with pointwise band, censoring marks and numbers at risk",
	Suffix:  "-nelson_aalen",
	Needs:   []string{"km", "nelson_aalen"},
	Applies: func(ep *schema.Endpoint) bool { _, ok := ep.Sections["nelson_aalen"]; return ok && ep.KM.Len() > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return CumulativeHazard(res, ep, opts...)
	},
}

// CumulativeHazard prepares the Nelson–Aalen figure of ep: per arm, the
// step function H(t) of the nelson_aalen section (R survfit(..., ctype = 1)
// cumhaz), its band [lower, upper] where both bounds are defined, "+" marks
// at the km rows' censoring times (on H), and the numbers at risk of the km
// rows at the ticks, on the same time axis as the Kaplan–Meier figure. The
// y axis runs from 0 to the largest drawn upper bound or H, rounded up.
func CumulativeHazard(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*Figure, error) {
	rows, ok, err := section[schema.CumHazRows](ep, "nelson_aalen")
	if err != nil {
		return nil, err
	}
	if !ok || len(rows) == 0 {
		return nil, fmt.Errorf("could not prepare the nelson_aalen figure of %s: the endpoint has no Nelson–Aalen rows: run the fit stage with the nelson_aalen method", ep.Paramcd)
	}
	f, err := Curves(*ep, res.Study, opts...)
	if err != nil {
		return nil, err
	}
	f.Title = cmp.Or(ep.Label, ep.Paramcd) + ": cumulative hazard"
	f.YLabel = "Cumulative hazard H(t)"
	f.Rising = false
	byArm := map[string][]schema.CumHazRow{}
	for _, r := range rows {
		if math.IsNaN(r.CumHaz) || r.CumHaz < 0 || math.IsInf(r.CumHaz, 0) || math.IsNaN(r.Time) {
			return nil, fmt.Errorf("could not prepare the nelson_aalen figure of %s: arm %q at time %v has cumulative hazard %v: results.json is inconsistent, rerun the fit stage", ep.Paramcd, r.Arm, r.Time, r.CumHaz)
		}
		byArm[r.Arm] = append(byArm[r.Arm], r)
	}
	top := 0.0
	for i := range f.Arms {
		a := &f.Arms[i]
		hs := byArm[a.Name]
		slices.SortStableFunc(hs, func(x, y schema.CumHazRow) int { return cmp.Compare(x.Time, y.Time) })
		a.Curve, a.Band = f.hazardSteps(hs)
		for j := range a.Censor {
			a.Censor[j].Y = hazardAt(hs, a.Censor[j].X)
		}
		for _, p := range a.Curve {
			top = max(top, p.Y)
		}
		for _, run := range a.Band {
			for _, b := range run[:len(run)-1] { // the last vertex closes the run: no width
				top = max(top, b.Upper)
			}
		}
	}
	f.YMax = niceCeil(top)
	f.Notes[0] = "Curves: Nelson–Aalen estimate of the cumulative hazard; + censored; shaded: pointwise confidence band."
	band := hazardBandNote(res.Conventions)
	if band != "" {
		f.Notes = slices.Insert(f.Notes, 1, band)
	}
	f.caption = fmt.Sprintf("Nelson–Aalen cumulative hazard of %s by arm: %s. %s + marks censored times; the table gives the numbers at risk at the labelled times.", cmp.Or(ep.Label, ep.Paramcd), armCounts(ep), band) + synthetic(f.Notes)
	return f, nil
}

// hazardSteps is the post-step curve of H from 0 at the axis start, and the
// band runs where both bounds are defined (each row's bounds hold until the
// next row; the last run closes at the last row).
func (f *Figure) hazardSteps(hs []schema.CumHazRow) ([]Point, [][]BandPoint) {
	curve := []Point{{f.XMin, 0}}
	var band [][]BandPoint
	var run []BandPoint
	for i, r := range hs {
		curve = append(curve, Point{f.x(r.Time), r.CumHaz})
		if r.Lower == nil || r.Upper == nil {
			if run != nil {
				band = append(band, append(run, BandPoint{f.x(r.Time), run[len(run)-1].Lower, run[len(run)-1].Upper}))
				run = nil
			}
			continue
		}
		run = append(run, BandPoint{f.x(r.Time), *r.Lower, *r.Upper})
		if i == len(hs)-1 {
			band = append(band, run)
		}
	}
	return curve, band
}

// hazardAt is H at time x: the cumulative hazard of the last row at or
// before x, 0 before the first.
func hazardAt(hs []schema.CumHazRow, x float64) float64 {
	i, found := slices.BinarySearchFunc(hs, x, func(r schema.CumHazRow, t float64) int { return cmp.Compare(r.Time, t) })
	if found {
		return hs[i].CumHaz
	}
	if i == 0 {
		return 0
	}
	return hs[i-1].CumHaz
}

// niceCeil rounds v > 0 up to 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
// power of ten; 1 for v <= 0.
func niceCeil(v float64) float64 {
	if !(v > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// hazardBandNote describes the Nelson–Aalen bands as the fit stage computes
// them: Aalen variance, log-transformed (H exp(±z se/H)) unless conf_type
// is plain, as R survfit(ctype = 1).
func hazardBandNote(c schema.Conventions) string {
	if c.ConfLevel <= 0 || c.ConfLevel >= 1 {
		return ""
	}
	how := "log transform"
	if c.ConfType == "plain" {
		how = "plain"
	}
	return "Shaded bands: pointwise " + level(c) + "% confidence intervals (Aalen variance, " + how + ")."
}
