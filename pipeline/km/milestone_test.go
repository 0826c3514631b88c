package km

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// TestMilestoneMatchesR compares Curve.Milestone with
//
//	fit <- survfit(Surv(time, status) ~ 1, data = dd, conf.type = ct)
//	s <- summary(fit, times = tt, extend = TRUE)
//	1 - s$surv, s$std.err, 1 - s$upper, 1 - s$lower, s$n.risk
//
// (testdata/make_nelsonaalen_reference.R, km_milestone_reference.csv; R
// 4.2.2, survival 3.5.3) on aml, veteran, lung and sim, each arm and pooled,
// ct in log, log-log, plain. Times after the last observation (beyond =
// TRUE, dropped by R's default extend = FALSE) must have
// StatusBeyondFollowUp and NaN values.
func TestMilestoneMatchesR(t *testing.T) {
	rows := rtest.ReadCSV(t, "testdata/km_milestone_reference.csv")
	if len(rows) < 200 {
		t.Fatalf("only %d reference rows in km_milestone_reference.csv", len(rows))
	}
	curves := map[string]*Curve{}
	maxRel := 0.0
	for _, r := range rows {
		name := r["dataset"] + "/" + r["curve"] + "/" + r["conftype"]
		c, ok := curves[name]
		if !ok {
			c = loadCurve(t, r["dataset"], r["curve"], ConfType(r["conftype"]))
			curves[name] = c
		}
		tm := r.Float(t, "time")
		m, err := c.Milestone(tm)
		if err != nil {
			t.Fatalf("%s t=%v: %v", name, tm, err)
		}
		if r["beyond"] == "TRUE" {
			if m.Status != StatusBeyondFollowUp || !math.IsNaN(m.Rate) || !math.IsNaN(m.Lower) {
				t.Errorf("%s t=%v: %+v, want beyond follow-up with NaN values", name, tm, m)
			}
			continue
		}
		if want := r.Int(t, "n.risk"); m.NRisk != want {
			t.Errorf("%s t=%v: n.risk %d, R %d", name, tm, m.NRisk, want)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"rate", m.Rate, r.Float(t, "rate")},
			{"std.err", m.StdErr, r.Float(t, "std.err")},
			{"lower", m.Lower, r.Float(t, "lower")},
			{"upper", m.Upper, r.Float(t, "upper")},
		} {
			if !rtest.Close(v.got, v.want) {
				t.Errorf("%s t=%v: %s = %.17g, R %.17g", name, tm, v.what, v.got, v.want)
			}
			if v.want != 0 && !math.IsNaN(v.want) {
				maxRel = math.Max(maxRel, math.Abs(v.got-v.want)/math.Abs(v.want))
			}
		}
		wantStatus := StatusOK
		switch se := r.Float(t, "std.err"); {
		case math.IsNaN(se):
			wantStatus = StatusVarianceNotEstimable
		case se == 0:
			wantStatus = StatusZeroVariance
		}
		if m.Status != wantStatus {
			t.Errorf("%s t=%v: status %q, want %q", name, tm, m.Status, wantStatus)
		}
	}
	t.Logf("max relative error against R: %.3g", maxRel)
}

// TestCompareMilestoneMatchesR compares CompareMilestone(arm 0, arm 1, t)
// with the fixed-time contrasts the R script computes from
// summary(fit, times = tt)$surv and $std.err of each arm
// (km_milestone_contrast.csv):
//
//	diff = F1 - F0; se = sqrt(se1^2 + se0^2); diff -+ z se; 2 * pnorm(-abs(diff)/se)
//	lr = log(F1/F0); se = sqrt(se1^2/F1^2 + se0^2/F0^2); exp(lr -+ z se); 2 * pnorm(-abs(lr)/se)
//
// NA in R (beyond follow-up, zero or undefined variance, a zero rate) must be
// NaN here, with the matching status.
func TestCompareMilestoneMatchesR(t *testing.T) {
	rows := rtest.ReadCSV(t, "testdata/km_milestone_contrast.csv")
	if len(rows) < 60 {
		t.Fatalf("only %d reference rows in km_milestone_contrast.csv", len(rows))
	}
	for _, r := range rows {
		ct := ConfType(r["conftype"])
		a0 := loadCurve(t, r["dataset"], "0", ct)
		a1 := loadCurve(t, r["dataset"], "1", ct)
		tm := r.Float(t, "time")
		mc, err := CompareMilestone(a0, a1, tm)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%s/%s t=%v", r["dataset"], ct, tm)
		if r["beyond"] == "TRUE" {
			if mc.Difference.Status != StatusBeyondFollowUp || mc.Ratio.Status != StatusBeyondFollowUp {
				t.Errorf("%s: statuses %q, %q, want beyond follow-up", name, mc.Difference.Status, mc.Ratio.Status)
			}
		}
		d, q := mc.Difference, mc.Ratio
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"diff", d.Estimate, r.Float(t, "diff")},
			{"diff.se", d.SE, r.Float(t, "diff.se")},
			{"diff.lower", d.Lower, r.Float(t, "diff.lower")},
			{"diff.upper", d.Upper, r.Float(t, "diff.upper")},
			{"diff.p", d.P, r.Float(t, "diff.p")},
			{"ratio", q.Estimate, r.Float(t, "ratio")},
			{"logratio.se", q.SE, r.Float(t, "logratio.se")},
			{"ratio.lower", q.Lower, r.Float(t, "ratio.lower")},
			{"ratio.upper", q.Upper, r.Float(t, "ratio.upper")},
			{"ratio.p", q.P, r.Float(t, "ratio.p")},
		} {
			if !rtest.Close(v.got, v.want) {
				t.Errorf("%s: %s = %.17g, R %.17g (statuses %q, %q)", name, v.what, v.got, v.want, d.Status, q.Status)
			}
		}
		if math.IsNaN(r.Float(t, "diff.p")) == (d.Status == StatusOK) {
			t.Errorf("%s: difference status %q but R p-value %s", name, d.Status, r["diff.p"])
		}
		if math.IsNaN(r.Float(t, "ratio.p")) == (q.Status == StatusOK) {
			t.Errorf("%s: ratio status %q but R p-value %s", name, q.Status, r["ratio.p"])
		}
	}
}

// TestMilestoneStatuses checks each status on small data sets whose values
// follow from the definitions.
func TestMilestoneStatuses(t *testing.T) {
	fit := func(time []float64, event []bool, ct ConfType) *Curve {
		c, err := KaplanMeier(time, event, Options{ConfType: ct})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Arm 0: 4 subjects, events at 2 and 4, censored at 3 and 6.
	a0 := fit([]float64{2, 3, 4, 6}, []bool{true, false, true, false}, Log)
	// Arm 1: everybody has the event by 5.
	a1 := fit([]float64{1, 5}, []bool{true, true}, Log)
	for i, test := range []struct {
		c      *Curve
		t      float64
		rate   float64
		nrisk  int
		status string
	}{
		{a0, 0, 0, 4, StatusZeroVariance},
		{a0, 1.5, 0, 4, StatusZeroVariance},
		{a0, 2, 0.25, 4, StatusOK},
		{a0, 3.5, 0.25, 2, StatusOK},
		{a0, 4, 1 - 0.75*0.5, 2, StatusOK},
		{a0, 6, 1 - 0.75*0.5, 1, StatusOK},
		{a0, 6.01, math.NaN(), 0, StatusBeyondFollowUp},
		{a1, 5, 1, 1, StatusVarianceNotEstimable},
	} {
		m, err := test.c.Milestone(test.t)
		if err != nil {
			t.Fatal(err)
		}
		if !rtest.Close(m.Rate, test.rate) || m.NRisk != test.nrisk || m.Status != test.status {
			t.Errorf("%d: Milestone(%v) = %+v, want rate %v, n.risk %d, status %q", i, test.t, m, test.rate, test.nrisk, test.status)
		}
	}
	// As R 4.2.2, survival 3.5.3:
	//	summary(survfit(Surv(c(1, 2, 3), c(0, 1, 0)) ~ 1, conf.type = "log-log"), times = c(0.5, 1.5))
	// gives limits 1, 1 at 0.5 (n.risk 3) and NA, NA at 1.5 (n.risk 2).
	ll := fit([]float64{1, 2, 3}, []bool{false, true, false}, LogLog)
	if m, _ := ll.Milestone(0.5); m.Lower != 0 || m.Upper != 0 || m.NRisk != 3 {
		t.Errorf("log-log before the first time: %+v", m)
	}
	if m, _ := ll.Milestone(1.5); !math.IsNaN(m.Lower) || !math.IsNaN(m.Upper) || m.NRisk != 2 || m.Status != StatusZeroVariance {
		t.Errorf("log-log after a censoring, S = 1: %+v", m)
	}
	mc, err := CompareMilestone(a0, a1, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	// F0 = 0, F1 = 1/2: the difference is defined, the ratio's denominator is 0.
	if mc.Difference.Status != StatusOK || !rtest.Close(mc.Difference.Estimate, 0.5) {
		t.Errorf("difference at 1.5: %+v", mc.Difference)
	}
	if mc.Ratio.Status != StatusZeroEstimate || !math.IsNaN(mc.Ratio.Estimate) {
		t.Errorf("ratio at 1.5: %+v", mc.Ratio)
	}
	mc, _ = CompareMilestone(a1, a0, 1.5) // F0 = 1/2, F1 = 0: ratio 0, no log scale
	if mc.Ratio.Status != StatusZeroEstimate || mc.Ratio.Estimate != 0 || !math.IsNaN(mc.Ratio.P) {
		t.Errorf("reversed ratio at 1.5: %+v", mc.Ratio)
	}
	mc, _ = CompareMilestone(a0, a0, 1)
	if mc.Difference.Status != StatusZeroVariance || mc.Difference.Estimate != 0 || !math.IsNaN(mc.Difference.P) {
		t.Errorf("no events by t=1: %+v", mc.Difference)
	}
	mc, _ = CompareMilestone(a0, a1, 5)
	if mc.Difference.Status != StatusVarianceNotEstimable || !math.IsNaN(mc.Difference.Lower) {
		t.Errorf("S1 = 0 at t=5: %+v", mc.Difference)
	}
	mc, _ = CompareMilestone(a0, a1, 5.5)
	if mc.Difference.Status != StatusBeyondFollowUp || mc.Arm1.Status != StatusBeyondFollowUp || !math.IsNaN(mc.Difference.Estimate) {
		t.Errorf("beyond arm 1's follow-up: %+v", mc.Difference)
	}
	if !strings.Contains(mc.Difference.Method, "Greenwood") || !strings.Contains(mc.Ratio.Method, "delta method") {
		t.Errorf("methods %q, %q", mc.Difference.Method, mc.Ratio.Method)
	}
}

// TestMilestoneErrors checks invalid milestone times and the panic for
// curves at different confidence levels.
func TestMilestoneErrors(t *testing.T) {
	c, err := KaplanMeier([]float64{1, 2}, []bool{true, false}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := c.Milestone(tm); err == nil || !strings.Contains(err.Error(), "finite and >= 0") {
			t.Errorf("Milestone(%v): error %v", tm, err)
		}
		if _, err := CompareMilestone(c, c, tm); err == nil {
			t.Errorf("CompareMilestone(%v): no error", tm)
		}
	}
	c90, _ := KaplanMeier([]float64{1, 2}, []bool{true, false}, Options{ConfLevel: 0.9})
	defer func() {
		if recover() == nil {
			t.Error("no panic for curves at different confidence levels")
		}
	}()
	CompareMilestone(c, c90, 1)
}
