package icens

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerances against R: relative 1e-6; absolute 1e-9 for values near 0
// (S in the far tail). Masses of intervals the NPMLE does not use decay
// towards 0 in EM without reaching it: with the default Tol = 1e-10 they
// stop below about 1e-8 (R's base-R reference, converged further, has them
// below 1e-12), so masses are compared with absolute tolerance massAbsTol.
const (
	relTol     = 1e-6
	absTol     = 1e-9
	massAbsTol = 1e-8
)

// dataset is an interval-censored data set of testdata.
type dataset struct {
	lower, upper  []float64
	group, group4 []int
}

func loadDataset(t testing.TB, name string) dataset {
	t.Helper()
	var d dataset
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", name+".csv")) {
		d.lower = append(d.lower, r.Float(t, "lower"))
		d.upper = append(d.upper, r.Float(t, "upper"))
		d.group = append(d.group, int(r.Float(t, "group")))
		if g, ok := r["group4"]; ok {
			d.group4 = append(d.group4, int(rtest.Num(t, g)))
		}
	}
	return d
}

// curve returns the observations of one curve: "all" or a group number.
func (d dataset) curve(t testing.TB, curve string) (lower, upper []float64) {
	if curve == "all" {
		return d.lower, d.upper
	}
	g := int(rtest.Num(t, curve))
	for i := range d.lower {
		if d.group[i] == g {
			lower = append(lower, d.lower[i])
			upper = append(upper, d.upper[i])
		}
	}
	return lower, upper
}

// groupRows groups reference rows by dataset and curve, in file order.
func groupRows(rows []rtest.Row) (keys [][2]string, byKey map[[2]string][]rtest.Row) {
	byKey = map[[2]string][]rtest.Row{}
	for _, r := range rows {
		k := [2]string{r["dataset"], r["curve"]}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	return keys, byKey
}

func fitCurve(t testing.TB, ds, curve string) *NPMLE {
	t.Helper()
	lower, upper := loadDataset(t, ds).curve(t, curve)
	f, err := Turnbull(lower, upper, Options{})
	if err != nil {
		t.Fatalf("%s/%s: %v", ds, curve, err)
	}
	if f.Status != Converged {
		t.Fatalf("%s/%s: status %v after %d iterations, gap %g", ds, curve, f.Status, f.Iterations, f.Gap)
	}
	return f
}

// relErr is |got-want|/|want| for the log, or 0 when the difference is
// within this package's absTol (1e-9, looser than rtest.AbsTol: see above),
// so rtest.RelErr would report the tail's documented residue as error.
func relErr(got, want float64) float64 {
	if math.Abs(got-want) <= absTol {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

// TestTurnbullMatchesR compares the Turnbull intervals, masses and S with
// an independent base-R EM on the innermost intervals, converged to a
// duality gap of 1e-13 (turnbull() in testdata/make_reference.R,
// npmle_reference.csv), for bcos, lung, veteran, visits and aml, each group
// and all pooled.
func TestTurnbullMatchesR(t *testing.T) {
	keys, byKey := groupRows(rtest.ReadCSV(t, "testdata/npmle_reference.csv"))
	if len(keys) < 15 {
		t.Fatalf("only %d reference curves", len(keys))
	}
	worst := 0.0
	for _, k := range keys {
		t.Run(k[0]+"/"+k[1], func(t *testing.T) {
			want := byKey[k]
			f := fitCurve(t, k[0], k[1])
			if len(f.Mass) != len(want) {
				t.Fatalf("%d Turnbull intervals, R has %d", len(f.Mass), len(want))
			}
			for j, w := range want {
				if f.Lower[j] != w.Float(t, "lower") || f.Upper[j] != w.Float(t, "upper") {
					t.Errorf("interval %d = (%v, %v], R (%s, %s]", j, f.Lower[j], f.Upper[j], w["lower"], w["upper"])
				}
				for _, c := range []struct {
					name      string
					got, want float64
					abs       float64
				}{
					{"mass", f.Mass[j], w.Float(t, "mass"), massAbsTol},
					{"surv", f.Surv[j], w.Float(t, "surv"), absTol},
				} {
					if !scalar.EqualWithinAbsOrRel(c.got, c.want, c.abs, relTol) {
						t.Errorf("interval %d (%v, %v]: %s = %.12g, R %.12g", j, f.Lower[j], f.Upper[j], c.name, c.got, c.want)
					}
					if math.Abs(c.got-c.want) > c.abs {
						worst = max(worst, relErr(c.got, c.want))
					}
				}
			}
		})
	}
	t.Logf("max relative error of masses and S against the base-R NPMLE: %.2g", worst)
}

// survAtRTime is S at a time of R's survfit object, which puts each
// interval's mass at its midpoint (or the point of [t, t]).
func survAtRTime(f *NPMLE, time float64) float64 {
	s := 1.0
	for j := range f.Mass {
		rep := f.Lower[j]
		if f.Upper[j] != f.Lower[j] {
			rep = (f.Lower[j] + f.Upper[j]) / 2
		}
		if rep <= time {
			s = f.Surv[j]
		}
	}
	return s
}

// TestTurnbullMatchesSurvfit compares S with R survfit's own Turnbull code
// at every time of its curve, with survfit's stopping rule (max change of
// S below 5e-5) tightened to 1e-12 (tightfit() in make_reference.R:
// survival:::survfitTurnbull on aeqSurv(Surv(lower, upper, type =
// "interval2")), survfit_tight.csv), and with the untouched
//
//	summary(survfit(Surv(lower, upper, type = "interval2") ~ 1), censored = TRUE)
//
// (survfit_default.csv) to the accuracy R's default rule gives: it stops
// when S changes by less than 5e-5 in an EM step, which on lung leaves S
// 2.5e-3 from the maximum. (aml, exact and right-censored only, is left
// out: there survfit adds a phantom subject; see make_reference.R.)
func TestTurnbullMatchesSurvfit(t *testing.T) {
	for _, c := range []struct {
		file   string
		abs    float64
		strict bool
	}{
		{"survfit_tight.csv", absTol, true},
		{"survfit_default.csv", 5e-3, false},
	} {
		keys, byKey := groupRows(rtest.ReadCSV(t, filepath.Join("testdata", c.file)))
		worst := 0.0
		for _, k := range keys {
			f := fitCurve(t, k[0], k[1])
			for _, w := range byKey[k] {
				tm, want := w.Float(t, "time"), w.Float(t, "surv")
				got := survAtRTime(f, tm)
				if c.strict && !scalar.EqualWithinAbsOrRel(got, want, c.abs, relTol) ||
					!c.strict && math.Abs(got-want) > c.abs {
					t.Errorf("%s %s/%s: S(%v) = %.12g, R %.12g", c.file, k[0], k[1], tm, got, want)
				}
				if c.strict {
					worst = max(worst, relErr(got, want))
				} else {
					worst = max(worst, math.Abs(got-want))
				}
			}
		}
		t.Logf("%s: max %s error %.2g", c.file, map[bool]string{true: "relative", false: "absolute"}[c.strict], worst)
	}
}

// TestQuantileMatchesR compares Quantile(p).Time with
//
//	quantile(fit, probs = c(0.25, 0.5, 0.75))
//
// of the tightened survfit fit (quantile_reference.csv); NA is a quantile
// that is not reached.
func TestQuantileMatchesR(t *testing.T) {
	keys, byKey := groupRows(rtest.ReadCSV(t, "testdata/quantile_reference.csv"))
	for _, k := range keys {
		f := fitCurve(t, k[0], k[1])
		for _, w := range byKey[k] {
			p, want := w.Float(t, "prob"), w.Float(t, "quantile")
			q := f.Quantile(p)
			if math.IsNaN(want) {
				if q.Reached {
					t.Errorf("%s/%s: quantile %v = %v, R NA", k[0], k[1], p, q.Time)
				}
				continue
			}
			if !q.Reached || !scalar.EqualWithinAbsOrRel(q.Time, want, 1e-12, relTol) {
				t.Errorf("%s/%s: quantile %v = %+v, R %v", k[0], k[1], p, q, want)
			}
		}
	}
}

// TestWeightedLogrankMatchesR compares the tests and scores with the
// interval package's ictest(Surv(lower, upper, type = "interval2") ~ group,
// scores = s, method = "pclt"), re-implemented from its source in
// make_reference.R (scores_from_fit, pclt; test_reference.csv,
// score_reference.csv), on the base-R NPMLE.
func TestWeightedLogrankMatchesR(t *testing.T) {
	names := map[string]Scores{"logrank1": LogrankSun, "logrank2": LogrankFinkelstein, "wmw": Wilcoxon}
	wantScores := map[[2]string][]float64{}
	for _, r := range rtest.ReadCSV(t, "testdata/score_reference.csv") {
		k := [2]string{r["dataset"], r["scores"]}
		wantScores[k] = append(wantScores[k], r.Float(t, "score"))
	}
	rows := rtest.ReadCSV(t, "testdata/test_reference.csv")
	if len(rows) < 15 {
		t.Fatalf("only %d reference tests", len(rows))
	}
	worst := 0.0
	for _, w := range rows {
		d := loadDataset(t, w["dataset"])
		group := d.group
		if w["groups"] == "group4" {
			group = d.group4
		}
		k := int(w.Float(t, "k"))
		r, err := WeightedLogrank(d.lower, d.upper, group, k, names[w["scores"]], Options{})
		if err != nil {
			t.Fatalf("%v: %v", w, err)
		}
		label := fmt.Sprintf("%s/%s/%s", w["dataset"], w["groups"], w["scores"])
		check := func(name string, got, want float64) {
			if !scalar.EqualWithinAbsOrRel(got, want, absTol, relTol) {
				t.Errorf("%s: %s = %.12g, R %.12g", label, name, got, want)
			}
			worst = max(worst, relErr(got, want))
		}
		check("chisq", r.Chisq, w.Float(t, "chisq"))
		check("p", r.P, w.Float(t, "p"))
		if r.DF != int(w.Float(t, "df")) {
			t.Errorf("%s: df = %d, R %s", label, r.DF, w["df"])
		}
		if k == 2 {
			check("z", r.Z, w.Float(t, "z"))
		}
		for g, u := range strings.Split(w["u"], ";") {
			check(fmt.Sprintf("U[%d]", g), r.U[g], rtest.Num(t, u))
		}
		if ws, ok := wantScores[[2]string{w["dataset"], w["scores"]}]; ok && w["groups"] == "group" {
			for i, c := range ws {
				check(fmt.Sprintf("score[%d]", i), r.Score[i], c)
			}
		}
	}
	t.Logf("max relative error of the tests against R: %.2g", worst)
}

// TestWeightedLogrankPublished checks the breast cosmesis tests printed in
// Fay & Shaw (2010), J Stat Softw 36(2), section 4.2 (interval 1.1-1.0
// vignette):
//
//	ictest(Surv(left, right, type = "interval2") ~ treatment, data = bcos)
//	  Sun's scores:          Z = -2.6684, p-value = 0.007622, Rad -9.141846
//	  scores = "logrank2":   Z = -2.6839, p-value = 0.007277, Rad -9.944182
//	  scores = "wmw":        Z = -2.1672, p-value = 0.03022,  Rad -5.656724
//
// to the digits printed. Their Z is for Rad (our group 0): -Z here.
func TestWeightedLogrankPublished(t *testing.T) {
	d := loadDataset(t, "bcos")
	for _, c := range []struct {
		scores         Scores
		z, p, pTol, u0 float64 // pTol: half a unit in the last printed digit
	}{
		{LogrankSun, -2.6684, 0.007622, 0.5e-6, -9.141846},
		{LogrankFinkelstein, -2.6839, 0.007277, 0.5e-6, -9.944182},
		{Wilcoxon, -2.1672, 0.03022, 0.5e-5, -5.656724},
	} {
		r, err := WeightedLogrank(d.lower, d.upper, d.group, 2, c.scores, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(-r.Z-c.z) > 0.5e-4 || math.Abs(r.P-c.p) > c.pTol ||
			math.Abs(r.U[0]-c.u0) > 0.5e-6 {
			t.Errorf("%v: Z(Rad) = %.5f, p = %.6f, U(Rad) = %.7f; published %v, %v, %v",
				c.scores, -r.Z, r.P, r.U[0], c.z, c.p, c.u0)
		}
	}
}

// TestTurnbullPublishedBcos checks the per-arm NPMLEs of the breast
// cosmesis data printed (4 decimals) in Fay & Shaw (2010), section 4.1:
// summary(icfit(Surv(left, right, type = "interval2") ~ treatment, data = bcos)).
func TestTurnbullPublishedBcos(t *testing.T) {
	for _, c := range []struct {
		curve        string
		lower, upper []float64
		mass         []float64
	}{
		{"0", []float64{4, 6, 7, 11, 24, 33, 38, 46}, []float64{5, 7, 8, 12, 25, 34, 40, 48},
			[]float64{0.0463, 0.0334, 0.0887, 0.0708, 0.0926, 0.0818, 0.1209, 0.4656}},
		{"1", []float64{4, 5, 11, 16, 18, 19, 24, 30, 35, 44, 48}, []float64{5, 8, 12, 17, 19, 20, 25, 31, 36, 48, 60},
			[]float64{0.0433, 0.0433, 0.0692, 0.1454, 0.1411, 0.1157, 0.0999, 0.0709, 0.1608, 0.0552, 0.0552}},
	} {
		f := fitCurve(t, "bcos", c.curve)
		k := 0
		for j := range f.Mass {
			if f.Mass[j] < 0.5e-4 {
				continue // printed by icfit as not part of the support
			}
			if k >= len(c.mass) || f.Lower[j] != c.lower[k] || f.Upper[j] != c.upper[k] ||
				math.Abs(f.Mass[j]-c.mass[k]) > 0.5e-4 {
				t.Errorf("group %s: interval (%v, %v] mass %.4f does not match the published list", c.curve, f.Lower[j], f.Upper[j], f.Mass[j])
			}
			k++
		}
		if k != len(c.mass) {
			t.Errorf("group %s: %d intervals with mass, published %d", c.curve, k, len(c.mass))
		}
	}
}
