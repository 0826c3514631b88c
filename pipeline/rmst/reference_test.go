package rmst

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerances against R: relative 1e-6, absolute 1e-12 near zero.
const (
	relTol = 1e-6
	absTol = 1e-12
)

// same reports whether got matches R's want within the tolerances; NaN
// matches only NaN (R's NA).
func same(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return scalar.EqualWithinAbsOrRel(got, want, absTol, relTol)
}

// relErr is |got - want| / |want|, 0 for want 0 or NaN.
func relErr(got, want float64) float64 {
	if want == 0 || math.IsNaN(want) {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

// readCSV reads testdata/name, a CSV file with a header, into maps.
func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return rows
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

// loadArms fits the Kaplan–Meier curves of arms 0 and 1 of
// testdata/<dataset>.csv (columns time, status, arm).
func loadArms(t testing.TB, dataset string) [2]*km.Curve {
	t.Helper()
	var time [2][]float64
	var event [2][]bool
	for _, r := range readCSV(t, dataset+".csv") {
		a := int(num(t, r["arm"]))
		time[a] = append(time[a], num(t, r["time"]))
		event[a] = append(event[a], r["status"] == "1")
	}
	var arms [2]*km.Curve
	for a := range arms {
		c, err := km.KaplanMeier(time[a], event[a], km.Options{})
		if err != nil {
			t.Fatalf("%s arm %d: %v", dataset, a, err)
		}
		arms[a] = c
	}
	return arms
}

// TestRestrictedMatchesR compares Restricted with R survival's
//
//	fit <- survfit(Surv(time, status) ~ arm, data = d)
//	summary(fit, rmean = tau)$table[, c("rmean", "se(rmean)")]
//
// (what print(fit, rmean = tau) shows), RMTL = tau - rmean and the Wald
// limits rmean -+ qnorm(0.975) se (testdata/make_reference.R,
// rmst_arms.csv; R 4.2.2, survival 3.5.3) on survival's aml, veteran and
// lung, for horizons within follow-up, at an arm's last time, and after it
// (beyond = TRUE when the curve has not reached 0 there). The R script
// checks that its transcription of survRM2's rmst1 gives the same rmean
// and se.
func TestRestrictedMatchesR(t *testing.T) {
	rows := readCSV(t, "rmst_arms.csv")
	if len(rows) < 40 {
		t.Fatalf("only %d reference rows in rmst_arms.csv", len(rows))
	}
	curves := map[string][2]*km.Curve{}
	maxRel := 0.0
	for _, r := range rows {
		arms, ok := curves[r["dataset"]]
		if !ok {
			arms = loadArms(t, r["dataset"])
			curves[r["dataset"]] = arms
		}
		a := int(num(t, r["arm"]))
		tau := num(t, r["tau"])
		e, err := Restricted(arms[a], tau)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"rmean", e.RMST, num(t, r["rmean"])},
			{"se(rmean)", e.SE, num(t, r["se"])},
			{"rmst.lower", e.RMSTLower, num(t, r["rmst.lower"])},
			{"rmst.upper", e.RMSTUpper, num(t, r["rmst.upper"])},
			{"rmtl", e.RMTL, num(t, r["rmtl"])},
			{"rmtl.lower", e.RMTLLower, num(t, r["rmtl.lower"])},
			{"rmtl.upper", e.RMTLUpper, num(t, r["rmtl.upper"])},
			{"last", e.LastTime, num(t, r["last"])},
		} {
			if !same(v.got, v.want) {
				t.Errorf("%s arm %d tau=%v: %s = %.17g, R %.17g", r["dataset"], a, tau, v.what, v.got, v.want)
			}
			maxRel = math.Max(maxRel, relErr(v.got, v.want))
		}
		if want := r["beyond"] == "TRUE"; e.BeyondFollowUp != want {
			t.Errorf("%s arm %d tau=%v: BeyondFollowUp %v, R %v", r["dataset"], a, tau, e.BeyondFollowUp, want)
		}
		if e.Status != StatusOK || e.Tau != tau || e.ConfLevel != 0.95 {
			t.Errorf("%s arm %d tau=%v: status %q, tau %v, level %v", r["dataset"], a, tau, e.Status, e.Tau, e.ConfLevel)
		}
	}
	t.Logf("max relative error against R: %.3g", maxRel)
}

// TestCompareMatchesR compares Compare(arm 0, arm 1, tau) and DefaultTau
// with the transcription of survRM2's
//
//	rmst2(time, status, arm, tau = tau)$unadjusted.result   # and rmst2(...)$tau for tau = NULL
//
// in testdata/make_reference.R (rmst_contrasts.csv; survRM2 1.0-4's
// R/rmst2.R formulas, Uno et al. 2014; the per-arm inputs are survfit's
// rmean and se(rmean)) on aml (default tau: the shorter arm ends with an
// event, tau = the longer arm's last time), veteran (the same) and lung (it
// ends with a censoring: the shorter last time), with the horizons of
// TestRestrictedMatchesR. The warnings must name exactly the arms R flags
// as beyond follow-up in rmst_arms.csv.
func TestCompareMatchesR(t *testing.T) {
	rows := readCSV(t, "rmst_contrasts.csv")
	if len(rows) < 20 {
		t.Fatalf("only %d reference rows in rmst_contrasts.csv", len(rows))
	}
	beyond := map[[2]string][]int{} // dataset, tau -> arms beyond follow-up
	for _, r := range readCSV(t, "rmst_arms.csv") {
		if r["beyond"] == "TRUE" {
			k := [2]string{r["dataset"], r["tau"]}
			beyond[k] = append(beyond[k], int(num(t, r["arm"])))
		}
	}
	maxRel := 0.0
	for _, r := range rows {
		arms := loadArms(t, r["dataset"])
		if got, want := DefaultTau(arms[0], arms[1]), num(t, r["default.tau"]); got != want {
			t.Errorf("%s: DefaultTau = %v, survRM2 %v", r["dataset"], got, want)
		}
		tau := num(t, r["tau"])
		c, err := Compare(arms[0], arms[1], tau)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"diff", c.Difference.Estimate, num(t, r["diff"])},
			{"diff.se", c.Difference.SE, num(t, r["diff.se"])},
			{"diff.lower", c.Difference.Lower, num(t, r["diff.lower"])},
			{"diff.upper", c.Difference.Upper, num(t, r["diff.upper"])},
			{"diff.p", c.Difference.P, num(t, r["diff.p"])},
			{"rmst.ratio", c.RMSTRatio.Estimate, num(t, r["rmst.ratio"])},
			{"rmst.logse", c.RMSTRatio.SE, num(t, r["rmst.logse"])},
			{"rmst.ratio.lower", c.RMSTRatio.Lower, num(t, r["rmst.ratio.lower"])},
			{"rmst.ratio.upper", c.RMSTRatio.Upper, num(t, r["rmst.ratio.upper"])},
			{"rmst.ratio.p", c.RMSTRatio.P, num(t, r["rmst.ratio.p"])},
			{"rmtl.ratio", c.RMTLRatio.Estimate, num(t, r["rmtl.ratio"])},
			{"rmtl.logse", c.RMTLRatio.SE, num(t, r["rmtl.logse"])},
			{"rmtl.ratio.lower", c.RMTLRatio.Lower, num(t, r["rmtl.ratio.lower"])},
			{"rmtl.ratio.upper", c.RMTLRatio.Upper, num(t, r["rmtl.ratio.upper"])},
			{"rmtl.ratio.p", c.RMTLRatio.P, num(t, r["rmtl.ratio.p"])},
		} {
			if !same(v.got, v.want) {
				t.Errorf("%s tau=%v: %s = %.17g, R %.17g", r["dataset"], tau, v.what, v.got, v.want)
			}
			maxRel = math.Max(maxRel, relErr(v.got, v.want))
		}
		for _, ct := range []km.Contrast{c.Difference, c.RMSTRatio, c.RMTLRatio} {
			if ct.Status != StatusOK || ct.ConfLevel != 0.95 {
				t.Errorf("%s tau=%v: %s status %q", r["dataset"], tau, ct.Measure, ct.Status)
			}
		}
		want := beyond[[2]string{r["dataset"], r["tau"]}]
		if len(c.Warnings) != len(want) {
			t.Errorf("%s tau=%v: warnings %v, want arms %v", r["dataset"], tau, c.Warnings, want)
			continue
		}
		for i, w := range c.Warnings {
			if tw, ok := w.(*TauWarning); !ok || tw.Arm != want[i] || tw.Tau != tau {
				t.Errorf("%s tau=%v: warning %v, want arm %d", r["dataset"], tau, w, want[i])
			}
		}
	}
	t.Logf("max relative error against R: %.3g", maxRel)
}
