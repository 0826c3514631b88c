package rmst

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

func fit(t testing.TB, time []float64, event []bool) *km.Curve {
	t.Helper()
	c, err := km.KaplanMeier(time, event, km.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRestrictedErrors checks that an invalid horizon is an error that
// names it.
func TestRestrictedErrors(t *testing.T) {
	c := fit(t, []float64{1, 2, 3}, []bool{true, false, true})
	for _, tau := range []float64{0, -1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := Restricted(c, tau)
		if err == nil || !strings.Contains(err.Error(), "finite and > 0") {
			t.Errorf("Restricted(tau = %v): error %v", tau, err)
		}
		if _, err := Compare(c, c, tau); err == nil {
			t.Errorf("Compare(tau = %v): no error", tau)
		}
	}
	if _, err := Restricted(&km.Curve{ConfLevel: 0.95}, 1); err == nil {
		t.Error("empty curve: no error")
	}
}

// TestRestrictedByHand checks a small curve against values worked out from
// the formulas: events at 2 (n = 4) and 4 (n = 2), censorings at 3 and 6,
// so S = 1 on [0, 2), 3/4 on [2, 4), 3/8 on [4, ...).
func TestRestrictedByHand(t *testing.T) {
	c := fit(t, []float64{2, 3, 4, 6}, []bool{true, false, true, false})
	for i, test := range []struct {
		tau, rmst, variance float64
		events              int
		status              string
	}{
		{1, 1, 0, 0, StatusZeroVariance},
		{2, 2, 0, 1, StatusZeroVariance}, // A_1 = 0 at t_1 = tau
		// A(2) = 3/4 * 1 = 0.75: var = 0.75² * 1/(4*3).
		{3, 2 + 0.75, 0.75 * 0.75 / 12, 1, StatusOK},
		// A(2) = 0.75*2 + 0.375*1 = 1.875, A(4) = 0.375: var = 1.875²/12 + 0.375² * 1/(2*1).
		{5, 2 + 1.5 + 0.375, 1.875*1.875/12 + 0.375*0.375/2, 2, StatusOK},
	} {
		e, err := Restricted(c, test.tau)
		if err != nil {
			t.Fatal(err)
		}
		if !rtest.Close(e.RMST, test.rmst) || !rtest.Close(e.Variance, test.variance) || !rtest.Close(e.RMTL, test.tau-test.rmst) ||
			e.Events != test.events || e.Status != test.status || e.BeyondFollowUp {
			t.Errorf("%d: tau=%v: %+v, want RMST %v, Var %v, %d events, %q", i, test.tau, e, test.rmst, test.variance, test.events, test.status)
		}
	}
	// After the last time (6, censored, S = 3/8): extended flat, flagged.
	e, _ := Restricted(c, 10)
	if !rtest.Close(e.RMST, 2+1.5+0.375*6) || !e.BeyondFollowUp {
		t.Errorf("tau=10: %+v", e)
	}
}

// TestRestrictedIntegral checks RMST against a numerical integral of
// Curve.SurvivalAt (midpoints of a fine grid) on simulated data.
func TestRestrictedIntegral(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := range 5 {
		n := 50 + 50*trial
		time := make([]float64, n)
		event := make([]bool, n)
		for i := range time {
			ev, cens := rng.ExpFloat64()*10, rng.Float64()*30
			time[i], event[i] = math.Min(ev, cens), ev <= cens
		}
		c := fit(t, time, event)
		tau := 5 + 2*float64(trial)
		const steps = 200000
		h := tau / steps
		integral := 0.0
		for k := range steps {
			integral += h * c.SurvivalAt((float64(k)+0.5)*h)
		}
		e, err := Restricted(c, tau)
		if err != nil {
			t.Fatal(err)
		}
		// A step function's midpoint sum is exact except on the cells
		// holding a jump: at most n cells of width h.
		if math.Abs(e.RMST-integral) > float64(n)*h {
			t.Errorf("trial %d: RMST %v, integral %v", trial, e.RMST, integral)
		}
	}
}

// TestDefaultTau checks survRM2's four cases (R/rmst2.R) on two arms whose
// last observations are events or censorings.
func TestDefaultTau(t *testing.T) {
	shortEvent := fit(t, []float64{1, 3, 5}, []bool{true, false, true}) // ends at 5 with S = 0
	shortCens := fit(t, []float64{1, 3, 5}, []bool{true, true, false})  // ends at 5, censored
	longEvent := fit(t, []float64{2, 4, 9}, []bool{true, false, true})
	longCens := fit(t, []float64{2, 4, 9}, []bool{true, true, false})
	tied := fit(t, []float64{1, 5, 5}, []bool{true, true, false}) // event and censoring at 5: S > 0
	for i, test := range []struct {
		a0, a1 *km.Curve
		want   float64
	}{
		{shortEvent, longEvent, 9}, // case 1: both end with events
		{longEvent, shortEvent, 9},
		{shortEvent, longCens, 9}, // case 2: the shorter ends with an event
		{longCens, shortEvent, 9},
		{shortCens, longEvent, 5}, // case 3: the shorter ends censored
		{longEvent, shortCens, 5},
		{shortCens, longCens, 5}, // case 4: both censored
		{tied, longEvent, 5},     // min(status) at the last time is a censoring
		{shortCens, shortEvent, 5},
	} {
		if got := DefaultTau(test.a0, test.a1); got != test.want {
			t.Errorf("%d: DefaultTau = %v, want %v", i, got, test.want)
		}
		if ws := CheckTau(DefaultTau(test.a0, test.a1), test.a0, test.a1); ws != nil {
			t.Errorf("%d: the default tau gives warnings %v", i, ws)
		}
	}
}

// TestCheckTau checks that a warning names the arm, is a *TauWarning
// (errors.As) and says how to fix the horizon.
func TestCheckTau(t *testing.T) {
	a0 := fit(t, []float64{1, 3, 5}, []bool{true, true, false}) // S(5) = 1/3
	a1 := fit(t, []float64{2, 4, 9}, []bool{true, false, true}) // S(9) = 0
	if ws := CheckTau(5, a0, a1); ws != nil {
		t.Errorf("tau = 5: %v", ws)
	}
	ws := CheckTau(12, a0, a1)
	var tw *TauWarning
	if len(ws) != 1 || !errors.As(ws[0], &tw) || tw.Arm != 0 || tw.LastTime != 5 || !rtest.Close(tw.LastSurv, 1.0/3) {
		t.Fatalf("tau = 12: %v", ws)
	}
	if msg := ws[0].Error(); !strings.Contains(msg, "tau = 12") || !strings.Contains(msg, "arm 0") || !strings.Contains(msg, "choose tau <= 5") {
		t.Errorf("message %q", msg)
	}
	c, err := Compare(a0, a1, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !c.Arm0.BeyondFollowUp || c.Arm1.BeyondFollowUp {
		t.Errorf("Compare warnings %v, arms beyond %v, %v", c.Warnings, c.Arm0.BeyondFollowUp, c.Arm1.BeyondFollowUp)
	}
}

// TestCompareStatuses checks the contrasts that cannot be computed on the
// log scale or have no variance.
func TestCompareStatuses(t *testing.T) {
	a0 := fit(t, []float64{2, 3, 4, 6}, []bool{true, false, true, false})
	a1 := fit(t, []float64{3, 5, 7}, []bool{true, true, false})
	// tau = 1: no event in either arm: RMST = tau, RMTL = 0, SE 0.
	c, err := Compare(a0, a1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Difference.Status != StatusZeroVariance || c.Difference.Estimate != 0 || !math.IsNaN(c.Difference.P) {
		t.Errorf("difference: %+v", c.Difference)
	}
	if c.RMSTRatio.Status != StatusZeroVariance || c.RMSTRatio.Estimate != 1 || !math.IsNaN(c.RMSTRatio.P) {
		t.Errorf("RMST ratio: %+v", c.RMSTRatio)
	}
	if c.RMTLRatio.Status != StatusZeroEstimate || !math.IsNaN(c.RMTLRatio.Estimate) {
		t.Errorf("RMTL ratio: %+v", c.RMTLRatio)
	}
	// tau = 2.5: an event in arm 0 only: RMTL1 = 0, the ratio is 0 without a log scale.
	c, _ = Compare(a0, a1, 2.5)
	if c.RMTLRatio.Status != StatusZeroEstimate || c.RMTLRatio.Estimate != 0 || c.Difference.Status != StatusOK {
		t.Errorf("tau = 2.5: RMTL ratio %+v, difference %+v", c.RMTLRatio, c.Difference)
	}
	for _, ct := range []km.Contrast{c.Difference, c.RMSTRatio, c.RMTLRatio} {
		if ct.Measure == "" || !strings.Contains(ct.Method, "survRM2") {
			t.Errorf("contrast without a name or method: %+v", ct)
		}
	}
}

// TestComparePanics checks the programmer errors.
func TestComparePanics(t *testing.T) {
	a := fit(t, []float64{1, 2}, []bool{true, false})
	b, _ := km.KaplanMeier([]float64{1, 2}, []bool{true, false}, km.Options{ConfLevel: 0.9})
	for name, f := range map[string]func(){
		"levels":    func() { Compare(a, b, 1) },
		"empty tau": func() { DefaultTau(a, &km.Curve{}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
