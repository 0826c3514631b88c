package figure

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestKMAnnotationMatchesTables checks that the KM figure's median lines
// stand at quantiles.csv's medians and its annotation shows cox.csv's
// treatment HR and CI and tests.csv's p-value (the first test, or the one
// chosen with WithTest).
func TestKMAnnotationMatchesTables(t *testing.T) {
	res := exampleResults(t)
	quant := readCSV(t, filepath.Join("testdata", "example", "quantiles.csv"))
	cox := readCSV(t, filepath.Join("testdata", "example", "cox.csv"))
	tests := readCSV(t, filepath.Join("testdata", "example", "tests.csv"))
	col := func(recs [][]string, name string) int {
		for j, h := range recs[0] {
			if h == name {
				return j
			}
		}
		t.Fatalf("no column %s in %v", name, recs[0])
		return -1
	}
	for _, tc := range []struct{ paramcd, test string }{{"TTRESP", ""}, {"TTRELAPSE", "cox_lr"}} {
		t.Run(tc.paramcd, func(t *testing.T) {
			var opts []Option
			if tc.test != "" {
				opts = append(opts, WithTest(tc.test))
			}
			recs := drawingCSV(t, build(t, "km", res, tc.paramcd, opts...))
			medians := map[string]string{}
			values := map[string]string{}
			for _, r := range recs[1:] {
				switch r[0] {
				case "median_line":
					if r[5] != "" {
						medians[r[1]] = r[5]
					}
				case "hr", "hr_lower", "hr_upper", "p_value":
					values[r[0]+"/"+r[1]] = r[5]
				}
			}
			nMed := 0
			for _, q := range quant[1:] {
				if q[col(quant, "paramcd")] != tc.paramcd || q[col(quant, "quantile")] != "0.5" || q[col(quant, "time")] == "" {
					continue
				}
				nMed++
				if got := medians[q[col(quant, "arm")]]; parseFloat(t, got) != parseFloat(t, q[col(quant, "time")]) {
					t.Errorf("arm %s: median line at %q, quantiles.csv %s", q[col(quant, "arm")], got, q[col(quant, "time")])
				}
			}
			if nMed == 0 || len(medians) != nMed {
				t.Errorf("%d median lines, quantiles.csv has %d reached medians", len(medians), nMed)
			}
			for _, c := range cox[1:] {
				if c[col(cox, "paramcd")] != tc.paramcd || !strings.HasPrefix(c[col(cox, "term")], "TRTP:") {
					continue
				}
				arm := strings.TrimPrefix(c[col(cox, "term")], "TRTP:")
				for series, column := range map[string]string{"hr": "hr", "hr_lower": "hr_lower", "hr_upper": "hr_upper"} {
					if got := values[series+"/"+arm]; parseFloat(t, got) != parseFloat(t, c[col(cox, column)]) {
						t.Errorf("%s %s = %q, cox.csv %s", series, arm, got, c[col(cox, column)])
					}
				}
			}
			want := ""
			for _, r := range tests[1:] {
				if r[col(tests, "paramcd")] == tc.paramcd && (want == "" && tc.test == "" || r[col(tests, "test")] == tc.test) {
					want = r[col(tests, "test")] + "=" + r[col(tests, "p_value")]
				}
			}
			name := strings.Split(want, "=")[0]
			if got := values["p_value/"+name]; got == "" || parseFloat(t, got) != parseFloat(t, strings.Split(want, "=")[1]) {
				t.Errorf("p-value of %s drawn %q, tests.csv %s", name, got, want)
			}
		})
	}
	ep := exampleEndpoint(t, res, "TTRESP")
	if _, err := kmKind.Build(res, ep, WithTest("nosuch")); err == nil || !strings.Contains(err.Error(), `no test "nosuch": use one of logrank`) {
		t.Errorf("unknown test: %v", err)
	}
	d, err := kmKind.Build(res, ep, WithAnnotation(false), WithMedianLines(false))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range drawingCSV(t, d)[1:] {
		if r[0] == "median_line" || r[0] == "hr" || r[0] == "p_value" {
			t.Errorf("annotation and medians off, CSV has %v", r)
		}
	}
}

// TestZPHDrawsTables checks that the zph panels draw every non-null
// residual of schoenfeld.csv at its x and zph.csv's p-values, and that the
// dashed line is cox.csv's coefficient.
func TestZPHDrawsTables(t *testing.T) {
	res := exampleResults(t)
	sch := readCSV(t, filepath.Join("testdata", "example", "schoenfeld.csv"))
	zph := readCSV(t, filepath.Join("testdata", "example", "zph.csv"))
	for _, p := range []string{"TTRESP", "TTRELAPSE"} {
		recs := drawingCSV(t, build(t, "zph", res, p))
		drawn := map[string]int{}
		pv := map[string]string{}
		for _, r := range recs[1:] {
			switch r[0] {
			case "residual":
				drawn[r[1]+"|"+r[2]+"|"+r[3]+"|"+r[4]]++
			case "p_value":
				pv[r[1]] = r[4]
			}
		}
		n := 0
		for _, r := range sch[1:] {
			if r[0] != p || r[5] == "" {
				continue
			}
			n++
			k := r[4] + "|" + r[3] + "|" + r[5] + "|" + r[2]
			if drawn[k] == 0 {
				t.Errorf("%s: residual %v not drawn", p, r)
			}
			drawn[k]--
		}
		if got := len(recs) - 1; n == 0 || countSeries(recs, "residual") != n {
			t.Errorf("%s: %d residuals drawn of %d rows, schoenfeld.csv has %d", p, countSeries(recs, "residual"), got, n)
		}
		for _, r := range zph[1:] {
			if r[0] == p && r[2] != "GLOBAL" && pv[r[2]] != r[5] {
				t.Errorf("%s %s: p drawn %q, zph.csv %s", p, r[2], pv[r[2]], r[5])
			}
		}
	}
}

func countSeries(recs [][]string, series string) int {
	n := 0
	for _, r := range recs {
		if r[0] == series {
			n++
		}
	}
	return n
}

// TestLocalLinear: a local linear smoother reproduces a straight line
// exactly, with a zero-width band; on noisy data the band contains the
// smooth.
func TestLocalLinear(t *testing.T) {
	var x, y []float64
	for i := range 40 {
		x = append(x, float64(i%10)) // clustered at 10 values
		y = append(y, 2-0.5*float64(i%10))
	}
	s := LocalLinear(x, y)
	if len(s) != smoothGrid || s[0].X != 0 || s[len(s)-1].X != 9 {
		t.Fatalf("grid %d points from %v to %v", len(s), s[0].X, s[len(s)-1].X)
	}
	for _, p := range s {
		if !scalar.EqualWithinAbsOrRel(p.Y, 2-0.5*p.X, 1e-9, 1e-9) || math.Abs(p.Upper-p.Lower) > 1e-9 {
			t.Errorf("at %v: smooth %v [%v, %v], want %v exactly", p.X, p.Y, p.Lower, p.Upper, 2-0.5*p.X)
		}
	}
	y[3] += 5
	for _, p := range LocalLinear(x, y) {
		if !(p.Lower < p.Y && p.Y < p.Upper) {
			t.Errorf("at %v: band [%v, %v] does not contain %v", p.X, p.Lower, p.Upper, p.Y)
		}
	}
	if LocalLinear([]float64{1, 1, 2}, []float64{1, 2, 3}) != nil {
		t.Error("smooth of 2 distinct x values")
	}
}

// TestLogLogDrawsKM checks y = log(−log S) at every km row with 0 < S < 1.
func TestLogLogDrawsKM(t *testing.T) {
	res := exampleResults(t)
	ep := exampleEndpoint(t, res, "TTRELAPSE")
	f, err := LogLog(res, ep)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range f.Arms {
		i := 0
		for _, r := range ep.KM.All() {
			if r.Arm != a.Name || !(r.Surv > 0 && r.Surv < 1) {
				continue
			}
			if i >= len(a.Curve) || a.Curve[i].Y != math.Log(-math.Log(r.Surv)) || a.Curve[i].X != max(r.Time, f.XMin) {
				t.Fatalf("arm %s km row %+v: drawn %v", a.Name, r, a.Curve[min(i, len(a.Curve)-1)])
			}
			i++
		}
		if i != len(a.Curve) || i == 0 {
			t.Errorf("arm %s: %d points, %d km rows with 0 < S < 1", a.Name, len(a.Curve), i)
		}
	}
}

// TestAxisOptions: plan ticks replace the automatic ones and the numbers
// at risk follow them; a range narrows the axis; bad values are errors.
func TestAxisOptions(t *testing.T) {
	res := exampleResults(t)
	ep := exampleEndpoint(t, res, "TTRELAPSE")
	f, err := Curves(*ep, res.Study, WithXTicks(0, 10, 20), WithYLabel("Still well"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Ticks) != 3 || f.Ticks[1].Time != 10 || f.Ticks[1].Label != "10" || f.YLabel != "Still well" {
		t.Errorf("ticks %v, y label %q", f.Ticks, f.YLabel)
	}
	for _, a := range f.Arms {
		var rows []float64
		for _, r := range ep.KM.All() {
			if r.Arm == a.Name && r.Time >= 10 {
				rows = append(rows, float64(r.NRisk))
				break
			}
		}
		if len(rows) == 1 && float64(a.AtRisk[1]) != rows[0] {
			t.Errorf("arm %s at risk at 10 = %d, km rows %v", a.Name, a.AtRisk[1], rows[0])
		}
	}
	f, err = Curves(*ep, res.Study, WithXRange(0, 14))
	if err != nil {
		t.Fatal(err)
	}
	if f.XMax != 14 || f.Ticks[len(f.Ticks)-1].Time != 14 {
		t.Errorf("range to 14: axis to %v, ticks %v", f.XMax, f.Ticks)
	}
	ep.YLabel = "From the plan"
	if f, _ := Curves(*ep, res.Study); f.YLabel != "From the plan" {
		t.Errorf("plan y label: %q", f.YLabel)
	}
	for _, o := range []Option{WithXRange(5, 1), WithXTicks(3, 2), WithXTicks(math.NaN())} {
		if _, err := Curves(*ep, res.Study, o); err == nil {
			t.Error("bad axis option accepted")
		}
	}
	if _, err := Curves(*ep, res.Study, WithTimeScale(TimeLog), WithXRange(0, 7)); err == nil || !strings.Contains(err.Error(), "log time axis") {
		t.Errorf("log axis from 0: %v", err)
	}
}
