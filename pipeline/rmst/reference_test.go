package rmst

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// loadArms fits the Kaplan–Meier curves of arms 0 and 1 of
// testdata/<dataset>.csv (columns time, status, arm).
func loadArms(t testing.TB, dataset string) [2]*km.Curve {
	t.Helper()
	var time [2][]float64
	var event [2][]bool
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", dataset+".csv")) {
		a := int(r.Float(t, "arm"))
		time[a] = append(time[a], r.Float(t, "time"))
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
	rows := rtest.ReadCSV(t, "testdata/rmst_arms.csv")
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
		a := int(r.Float(t, "arm"))
		tau := r.Float(t, "tau")
		e, err := Restricted(arms[a], tau)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"rmean", e.RMST, r.Float(t, "rmean")},
			{"se(rmean)", e.SE, r.Float(t, "se")},
			{"rmst.lower", e.RMSTLower, r.Float(t, "rmst.lower")},
			{"rmst.upper", e.RMSTUpper, r.Float(t, "rmst.upper")},
			{"rmtl", e.RMTL, r.Float(t, "rmtl")},
			{"rmtl.lower", e.RMTLLower, r.Float(t, "rmtl.lower")},
			{"rmtl.upper", e.RMTLUpper, r.Float(t, "rmtl.upper")},
			{"last", e.LastTime, r.Float(t, "last")},
		} {
			if !rtest.Close(v.got, v.want) {
				t.Errorf("%s arm %d tau=%v: %s = %.17g, R %.17g", r["dataset"], a, tau, v.what, v.got, v.want)
			}
			maxRel = math.Max(maxRel, rtest.RelErr(v.got, v.want))
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
	rows := rtest.ReadCSV(t, "testdata/rmst_contrasts.csv")
	if len(rows) < 20 {
		t.Fatalf("only %d reference rows in rmst_contrasts.csv", len(rows))
	}
	beyond := map[[2]string][]int{} // dataset, tau -> arms beyond follow-up
	for _, r := range rtest.ReadCSV(t, "testdata/rmst_arms.csv") {
		if r["beyond"] == "TRUE" {
			k := [2]string{r["dataset"], r["tau"]}
			beyond[k] = append(beyond[k], int(r.Float(t, "arm")))
		}
	}
	maxRel := 0.0
	for _, r := range rows {
		arms := loadArms(t, r["dataset"])
		if got, want := DefaultTau(arms[0], arms[1]), r.Float(t, "default.tau"); got != want {
			t.Errorf("%s: DefaultTau = %v, survRM2 %v", r["dataset"], got, want)
		}
		tau := r.Float(t, "tau")
		c, err := Compare(arms[0], arms[1], tau)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"diff", c.Difference.Estimate, r.Float(t, "diff")},
			{"diff.se", c.Difference.SE, r.Float(t, "diff.se")},
			{"diff.lower", c.Difference.Lower, r.Float(t, "diff.lower")},
			{"diff.upper", c.Difference.Upper, r.Float(t, "diff.upper")},
			{"diff.p", c.Difference.P, r.Float(t, "diff.p")},
			{"rmst.ratio", c.RMSTRatio.Estimate, r.Float(t, "rmst.ratio")},
			{"rmst.logse", c.RMSTRatio.SE, r.Float(t, "rmst.logse")},
			{"rmst.ratio.lower", c.RMSTRatio.Lower, r.Float(t, "rmst.ratio.lower")},
			{"rmst.ratio.upper", c.RMSTRatio.Upper, r.Float(t, "rmst.ratio.upper")},
			{"rmst.ratio.p", c.RMSTRatio.P, r.Float(t, "rmst.ratio.p")},
			{"rmtl.ratio", c.RMTLRatio.Estimate, r.Float(t, "rmtl.ratio")},
			{"rmtl.logse", c.RMTLRatio.SE, r.Float(t, "rmtl.logse")},
			{"rmtl.ratio.lower", c.RMTLRatio.Lower, r.Float(t, "rmtl.ratio.lower")},
			{"rmtl.ratio.upper", c.RMTLRatio.Upper, r.Float(t, "rmtl.ratio.upper")},
			{"rmtl.ratio.p", c.RMTLRatio.P, r.Float(t, "rmtl.ratio.p")},
		} {
			if !rtest.Close(v.got, v.want) {
				t.Errorf("%s tau=%v: %s = %.17g, R %.17g", r["dataset"], tau, v.what, v.got, v.want)
			}
			maxRel = math.Max(maxRel, rtest.RelErr(v.got, v.want))
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
