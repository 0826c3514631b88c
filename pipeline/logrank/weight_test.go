package logrank

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseTest(t *testing.T) {
	for _, test := range []struct {
		name string
		want Test
		back string // canonical name, if it differs
	}{
		{"logrank", Test{Weight: Weight{Kind: LogRankWeight}}, ""},
		{"fh:1:0", Test{Weight: Weight{Kind: FlemingHarrington, Rho: 1}}, ""},
		{"fh:0:1", Test{Weight: Weight{Kind: FlemingHarrington, Gamma: 1}}, ""},
		{"fh:0.5:2", Test{Weight: Weight{Kind: FlemingHarrington, Rho: 0.5, Gamma: 2}}, ""},
		{"fh:1.0:00", Test{Weight: Weight{Kind: FlemingHarrington, Rho: 1}}, "fh:1:0"},
		{"fh:.5:0", Test{Weight: Weight{Kind: FlemingHarrington, Rho: 0.5}}, "fh:0.5:0"},
		{"peto_peto", Test{Weight: Weight{Kind: PetoPeto}}, ""},
		{"gehan", Test{Weight: Weight{Kind: Gehan}}, ""},
		{"tarone_ware", Test{Weight: Weight{Kind: TaroneWare}}, ""},
		{"maxcombo", Test{MaxCombo: true}, ""},
	} {
		got, err := ParseTest(test.name)
		if err != nil || got != test.want {
			t.Errorf("ParseTest(%q) = %+v, %v; want %+v", test.name, got, err, test.want)
			continue
		}
		back := test.back
		if back == "" {
			back = test.name
		}
		if got.String() != back {
			t.Errorf("ParseTest(%q).String() = %q, want %q", test.name, got.String(), back)
		}
		if again, err := ParseTest(got.String()); err != nil || again != got {
			t.Errorf("ParseTest(%q) does not read back: %+v, %v", got.String(), again, err)
		}
	}
}

func TestParseTestErrors(t *testing.T) {
	for _, test := range []struct{ name, want string }{
		{"fh:-1:0", `rho "-1" is negative`},
		{"fh:1:-0.5", `gamma "-0.5" is negative`},
		{"fh:a:0", `rho "a" is not a decimal number`},
		{"fh:1e3:0", `rho "1e3" is not a decimal number`},
		{"fh:Inf:0", `rho "Inf" is not a decimal number`},
		{"fh:NaN:0", `rho "NaN" is not a decimal number`},
		{"fh:1", "written fh:RHO:GAMMA"},
		{"fh:1:0:2", `gamma "0:2" is not a decimal number`},
		{"fh::0", `rho "" is not a decimal number`},
		{"fh:1..0:0", `rho "1..0" is not a decimal number`},
		{"wilcoxon", `unknown test "wilcoxon": the tests are logrank, fh:RHO:GAMMA`},
		{"LogRank", `unknown test "LogRank"`},
		{"", `unknown test ""`},
	} {
		_, err := ParseTest(test.name)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("ParseTest(%q): error %v, want one containing %q", test.name, err, test.want)
		}
	}
}

func TestWeightValidate(t *testing.T) {
	for _, w := range []Weight{
		{Kind: FlemingHarrington, Rho: -1},
		{Kind: FlemingHarrington, Gamma: math.NaN()},
		{Kind: FlemingHarrington, Rho: math.Inf(1)},
		{Kind: Gehan, Rho: 1},
		{Kind: WeightKind(99)},
	} {
		if w.Validate() == nil {
			t.Errorf("%+v: no error", w)
		}
		_, err := Weighted(Data{Time: []float64{1, 2}, Event: []bool{true, true}, Group: []int{0, 1}, K: 2}, w)
		if err == nil {
			t.Errorf("Weighted with %+v: no error", w)
		}
	}
}

// amlData is survival's aml (group 1 = nonmaintained).
func amlData() Data {
	return Data{
		Time: []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
			5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45},
		Event: []bool{true, true, false, true, true, false, true, true, false, true, false,
			true, true, true, true, true, false, true, true, true, true, true, true},
		Group: []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
		K:     2,
	}
}

func TestWeightedErrors(t *testing.T) {
	aml := amlData()
	three := aml
	three.K = 3
	three.Group = append([]int{2}, aml.Group[1:]...)
	for _, test := range []struct {
		name   string
		d      Data
		w      Weight
		reason error
		want   string
	}{
		{"entry not before time", Data{Time: []float64{1, 2}, Event: []bool{true, true}, Group: []int{0, 1}, K: 2, Entry: []float64{0, 2}}, Weight{}, nil, "entry[1] = 2, time[1] = 2"},
		{"entry NaN", Data{Time: []float64{1, 2}, Event: []bool{true, true}, Group: []int{0, 1}, K: 2, Entry: []float64{math.NaN(), 0}}, Weight{}, nil, "entry[0] = NaN"},
		{"entry tied with time", Data{Time: []float64{1, 2}, Event: []bool{true, true}, Group: []int{0, 1}, K: 2, Entry: []float64{0, 2 - 1e-12}}, Weight{}, nil, "equal within R's tolerance"},
		{"no events", Data{Time: []float64{1, 2}, Event: []bool{false, false}, Group: []int{0, 1}, K: 2}, Weight{Kind: Gehan}, ErrNoEvents, "no events"},
		{"one group", Data{Time: []float64{1, 2}, Event: []bool{true, true}, Group: []int{1, 1}, K: 2}, Weight{Kind: PetoPeto}, ErrTooFewGroups, "1 of 2 groups"},
		// All events at the first event time: 1 - S(t-) = 0 there.
		{"fh:0:1 weight zero", Data{Time: []float64{1, 1, 2, 3}, Event: []bool{true, true, false, false}, Group: []int{0, 1, 0, 1}, K: 2},
			Weight{Kind: FlemingHarrington, Gamma: 1}, ErrZeroVariance, "fh:0:1 test: the variance of O-E is zero"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := Weighted(test.d, test.w)
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Fatalf("error %v, want one containing %q", err, test.want)
			}
			if test.reason != nil && !errors.Is(err, test.reason) {
				t.Errorf("error %v is not %v", err, test.reason)
			}
		})
	}
	t.Run("MaxCombo k > 2", func(t *testing.T) {
		_, err := MaxCombo(three)
		if err == nil || !strings.Contains(err.Error(), "compares 2 groups and the data have 3") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("MaxCombo drops a zero-variance component", func(t *testing.T) {
		d := Data{Time: []float64{1, 1, 1, 2, 3, 3}, Event: []bool{true, true, false, false, false, false}, Group: []int{0, 1, 1, 0, 1, 0}, K: 2}
		res, err := MaxCombo(d)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != StatusComponentDropped || !math.IsNaN(res.Z[2]) || res.Tests[2] != nil || math.IsNaN(res.P) {
			t.Errorf("status %q Z %v P %v", res.Status, res.Z, res.P)
		}
		// One event time: the remaining components are all the log-rank
		// test (weights 1, S = 1 and 0·…), so P is the log-rank p-value;
		// G(1,1) = S(1-S) = 0 is dropped too.
		lr, _ := LogRank(d.Time, d.Event, d.Group, 2, nil)
		if math.Abs(res.P-lr.P) > 1e-9 {
			t.Errorf("P %v, log-rank %v", res.P, lr.P)
		}
	})
}

// TestWeightedProperties checks relations that hold by construction.
func TestWeightedProperties(t *testing.T) {
	time, event, group, strata := simulate(2000, 11)
	d := Data{Time: time, Event: event, Group: group, K: 3, Strata: strata}
	all := []Weight{{}, {Kind: FlemingHarrington}, {Kind: FlemingHarrington, Rho: 1}, {Kind: FlemingHarrington, Rho: 1, Gamma: 1},
		{Kind: PetoPeto}, {Kind: Gehan}, {Kind: TaroneWare}}
	res, err := Weighted(d, all...)
	if err != nil {
		t.Fatal(err)
	}
	lr, _ := LogRank(time, event, group, 3, strata)
	if res[0].Chisq != lr.Chisq || res[1].Chisq != lr.Chisq {
		t.Errorf("logrank %v, fh:0:0 %v, LogRank %v", res[0].Chisq, res[1].Chisq, lr.Chisq)
	}
	// One call with several weights equals one call per weight.
	for i, w := range all {
		one, err := Weighted(d, w)
		if err != nil {
			t.Fatal(err)
		}
		if one[0].Chisq != res[i].Chisq || one[0].Weight != w {
			t.Errorf("%s: alone %v, together %v", w, one[0].Chisq, res[i].Chisq)
		}
	}
	// Delayed entry at 0 (before every time > 0) changes nothing.
	zero := d
	zero.Entry = make([]float64, len(time))
	for i := range time {
		time[i]++ // times >= 1, so that every subject enters before its time
	}
	a, _ := Weighted(d, all...)
	b, err := Weighted(zero, all...)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		if a[i].Chisq != b[i].Chisq {
			t.Errorf("%s: entry 0 %v, no entry %v", all[i], b[i].Chisq, a[i].Chisq)
		}
	}
}
