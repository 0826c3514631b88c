package km

import (
	"math"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

var nan = math.NaN()

// TestKaplanMeierEdgeCases checks small data sets whose estimates are known
// by hand: S(t) = prod (1 - d/n), StdErr = S sqrt(sum d/(n(n-d))). The
// NA pattern and quantiles were checked with R 4.2.2, survival 3.5.3:
//
//	f <- survfit(Surv(t, s) ~ 1, conf.type = ct); quantile(f, c(.5, .75))
func TestKaplanMeierEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		time    []float64
		event   []bool
		opt     Options
		times   []float64
		nrisk   []int
		surv    []float64
		stderr  []float64
		ciIsNaN []bool    // Lower and Upper NaN (R NA)
		median  Quantile  // P = 0.5
		q75     *Quantile // P = 0.75 when checked
	}{
		{
			name:    "all censored",
			time:    []float64{3, 1, 2},
			event:   []bool{false, false, false},
			times:   []float64{1, 2, 3},
			nrisk:   []int{3, 2, 1},
			surv:    []float64{1, 1, 1},
			stderr:  []float64{0, 0, 0},
			ciIsNaN: []bool{true, true, true}, // log-log: NA where S = 1
			median:  Quantile{0.5, nan, nan, nan},
		},
		{
			name:    "all censored, log CI is [1, 1]",
			time:    []float64{3, 1, 2},
			event:   []bool{false, false, false},
			opt:     Options{ConfType: Log},
			times:   []float64{1, 2, 3},
			nrisk:   []int{3, 2, 1},
			surv:    []float64{1, 1, 1},
			stderr:  []float64{0, 0, 0},
			ciIsNaN: []bool{false, false, false},
			median:  Quantile{0.5, nan, nan, nan},
		},
		{
			name:    "single subject with event",
			time:    []float64{5},
			event:   []bool{true},
			times:   []float64{5},
			nrisk:   []int{1},
			surv:    []float64{0},
			stderr:  []float64{nan},
			ciIsNaN: []bool{true},
			median:  Quantile{0.5, 5, nan, nan},
		},
		{
			name:    "single subject censored",
			time:    []float64{5},
			event:   []bool{false},
			opt:     Options{ConfType: Plain},
			times:   []float64{5},
			nrisk:   []int{1},
			surv:    []float64{1},
			stderr:  []float64{0},
			ciIsNaN: []bool{false},
			median:  Quantile{0.5, nan, nan, nan},
		},
		{
			name:    "all events at one time",
			time:    []float64{3, 3, 3, 3},
			event:   []bool{true, true, true, true},
			times:   []float64{3},
			nrisk:   []int{4},
			surv:    []float64{0},
			stderr:  []float64{nan},
			ciIsNaN: []bool{true},
			median:  Quantile{0.5, 3, nan, nan},
			q75:     &Quantile{0.75, 3, nan, nan},
		},
		{
			// S = 3/4, 1/2, 1/4, 0: S equals 0.5 on [2, 3) and 0.25 on
			// [3, 4), so the median and the third quartile are midpoints.
			name:    "curve reaching 0",
			time:    []float64{4, 3, 2, 1},
			event:   []bool{true, true, true, true},
			opt:     Options{ConfType: Log},
			times:   []float64{1, 2, 3, 4},
			nrisk:   []int{4, 3, 2, 1},
			surv:    []float64{0.75, 0.5, 0.25, 0},
			stderr:  []float64{0.75 * math.Sqrt(1.0/12), 0.5 * math.Sqrt(1.0/12+1.0/6), 0.25 * math.Sqrt(1.0/12+1.0/6+1.0/2), nan},
			ciIsNaN: []bool{false, false, false, true},
			median:  Quantile{0.5, 2.5, 1, nan},
			q75:     &Quantile{0.75, 3.5, 2, nan},
		},
		{
			name:    "unreached median, event tied with censoring",
			time:    []float64{1, 1, 2, 3, 4},
			event:   []bool{true, false, false, false, false},
			times:   []float64{1, 2, 3, 4},
			nrisk:   []int{5, 3, 2, 1},
			surv:    []float64{0.8, 0.8, 0.8, 0.8},
			stderr:  []float64{0.8 * math.Sqrt(1.0/20), 0.8 * math.Sqrt(1.0/20), 0.8 * math.Sqrt(1.0/20), 0.8 * math.Sqrt(1.0/20)},
			ciIsNaN: []bool{false, false, false, false},
			median:  Quantile{0.5, nan, 1, nan}, // log-log lower limit 0.204 < 0.5
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := KaplanMeier(tc.time, tc.event, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Time) != len(tc.times) {
				t.Fatalf("Time = %v, want %v", c.Time, tc.times)
			}
			for i := range tc.times {
				if c.Time[i] != tc.times[i] || c.NRisk[i] != tc.nrisk[i] {
					t.Errorf("row %d: time %v n.risk %d, want %v %d", i, c.Time[i], c.NRisk[i], tc.times[i], tc.nrisk[i])
				}
				if !rtest.Close(c.Surv[i], tc.surv[i]) || !rtest.Close(c.StdErr[i], tc.stderr[i]) {
					t.Errorf("row %d: surv %v std.err %v, want %v %v", i, c.Surv[i], c.StdErr[i], tc.surv[i], tc.stderr[i])
				}
				if math.IsNaN(c.Lower[i]) != tc.ciIsNaN[i] || math.IsNaN(c.Upper[i]) != tc.ciIsNaN[i] {
					t.Errorf("row %d: CI [%v, %v], want NaN: %v", i, c.Lower[i], c.Upper[i], tc.ciIsNaN[i])
				}
				if !tc.ciIsNaN[i] && !(c.Lower[i] <= c.Surv[i] && c.Surv[i] <= c.Upper[i]) {
					t.Errorf("row %d: CI [%v, %v] does not contain %v", i, c.Lower[i], c.Upper[i], c.Surv[i])
				}
			}
			checkQuantile(t, c, tc.median)
			if tc.q75 != nil {
				checkQuantile(t, c, *tc.q75)
			}
		})
	}
}

func checkQuantile(t *testing.T, c *Curve, want Quantile) {
	t.Helper()
	got := c.Quantile(want.P)
	if got.P != want.P || !rtest.Close(got.Time, want.Time) || !rtest.Close(got.Lower, want.Lower) || !rtest.Close(got.Upper, want.Upper) {
		t.Errorf("Quantile(%v) = %+v, want %+v", want.P, got, want)
	}
}

func TestKaplanMeierDefaults(t *testing.T) {
	c, err := KaplanMeier([]float64{1, 2}, []bool{true, false}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ConfType != LogLog || c.ConfLevel != 0.95 || c.N != 2 || c.Events != 1 {
		t.Errorf("got ConfType %q ConfLevel %v N %d Events %d, want log-log 0.95 2 1", c.ConfType, c.ConfLevel, c.N, c.Events)
	}
	// A wider level gives a wider interval.
	c99, err := KaplanMeier([]float64{1, 2, 3}, []bool{true, false, true}, Options{ConfType: Plain, ConfLevel: 0.99})
	if err != nil {
		t.Fatal(err)
	}
	c90, _ := KaplanMeier([]float64{1, 2, 3}, []bool{true, false, true}, Options{ConfType: Plain, ConfLevel: 0.90})
	if !(c99.Lower[0] < c90.Lower[0]) {
		t.Errorf("99%% lower %v not below 90%% lower %v", c99.Lower[0], c90.Lower[0])
	}
	// plain at S = 2/3 with n = 3: z * S * sqrt(1/6) below S (clipped at 0
	// for 99%).
	want := 2.0/3 - 1.6448536269514722*(2.0/3)*math.Sqrt(1.0/6)
	if !rtest.Close(c90.Lower[0], want) || c99.Lower[0] != 0 {
		t.Errorf("plain lower = %v (90%%), %v (99%%); want %v, 0", c90.Lower[0], c99.Lower[0], want)
	}
}

func TestKaplanMeierErrors(t *testing.T) {
	tests := []struct {
		name  string
		time  []float64
		event []bool
		want  string
	}{
		{"empty", nil, nil, "no observations"},
		{"negative", []float64{1, -1}, []bool{true, true}, "time[1] = -1"},
		{"NaN", []float64{math.NaN()}, []bool{true}, "time[0] = NaN"},
		{"Inf", []float64{1, 2, math.Inf(1)}, []bool{true, true, false}, "time[2] = +Inf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := KaplanMeier(tc.time, tc.event, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestKaplanMeierPanics(t *testing.T) {
	tests := []struct {
		name string
		call func()
	}{
		{"length mismatch", func() { KaplanMeier([]float64{1, 2}, []bool{true}, Options{}) }},
		{"level 1", func() { KaplanMeier([]float64{1}, []bool{true}, Options{ConfLevel: 1}) }},
		{"level negative", func() { KaplanMeier([]float64{1}, []bool{true}, Options{ConfLevel: -0.5}) }},
		{"level NaN", func() { KaplanMeier([]float64{1}, []bool{true}, Options{ConfLevel: math.NaN()}) }},
		{"bad type", func() { KaplanMeier([]float64{1}, []bool{true}, Options{ConfType: "logit"}) }},
		{"quantile p > 1", func() {
			c, _ := KaplanMeier([]float64{1}, []bool{true}, Options{})
			c.Quantile(1.5)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.call()
		})
	}
}

func TestParseConfType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ConfType
		ok   bool
	}{
		{"log", Log, true},
		{"log-log", LogLog, true},
		{"plain", Plain, true},
		{"loglog", "", false},
		{"", "", false},
		{"Log", "", false},
	} {
		got, err := ParseConfType(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseConfType(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), `"log-log", "log", "plain"`) {
			t.Errorf("error %q does not list the valid values", err)
		}
	}
}

func TestSurvivalAt(t *testing.T) {
	c, err := KaplanMeier([]float64{2, 4, 4, 6}, []bool{true, true, false, true}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// S = 3/4 from 2, 3/4 * 2/3 = 1/2 from 4, 0 from 6.
	for _, tc := range []struct{ t, want float64 }{
		{-1, 1}, {0, 1}, {1.999, 1}, {2, 0.75}, {3.5, 0.75}, {4, 0.5}, {5.9, 0.5}, {6, 0}, {100, 0}, {math.NaN(), nan},
	} {
		if got := c.SurvivalAt(tc.t); !rtest.Close(got, tc.want) {
			t.Errorf("SurvivalAt(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

// TestTimeFix checks that times within R's all.equal tolerance are tied,
// as survfit(timefix = TRUE) ties them.
func TestTimeFix(t *testing.T) {
	c, err := KaplanMeier([]float64{10, 10 * (1 + 1e-10), 20, 20 + 1e-3}, []bool{true, true, true, false}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Time) != 3 || c.Time[0] != 10 || c.NEvent[0] != 2 || c.Time[2] != 20+1e-3 {
		t.Errorf("Time %v NEvent %v, want 10 (2 events), 20, 20.001", c.Time, c.NEvent)
	}
}
