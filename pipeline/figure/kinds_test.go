package figure

import (
	"bytes"
	"encoding/csv"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// drawingCSV returns the records of d's CSV, header included.
func drawingCSV(t *testing.T, d Drawing) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := d.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func build(t *testing.T, kind string, res *schema.Results, paramcd string, opts ...Option) Drawing {
	t.Helper()
	k, err := LookupKind(kind)
	if err != nil {
		t.Fatal(err)
	}
	ep := exampleEndpoint(t, res, paramcd)
	if !k.AppliesTo(res, ep) {
		t.Fatalf("kind %s does not apply to %s", kind, paramcd)
	}
	d, err := k.Build(res, ep, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestForestMatchesTables checks that every number the forest plot draws
// is the number of cox.csv (treatment and covariate rows) or subgroups.csv
// (subgroup rows) that the fit stage wrote beside the results
// (testdata/example), cell for cell, and that every row of those files is
// drawn.
func TestForestMatchesTables(t *testing.T) {
	res := exampleResults(t)
	cox := readCSV(t, filepath.Join("testdata", "example", "cox.csv"))
	sub := readCSV(t, filepath.Join("testdata", "example", "subgroups.csv"))
	for _, p := range []string{"TTRESP", "TTRELAPSE"} {
		t.Run(p, func(t *testing.T) {
			recs := drawingCSV(t, build(t, "forest", res, p))
			if !slices.Equal(recs[0], ForestCSVHeader) {
				t.Fatalf("header %v", recs[0])
			}
			col := func(name string) int { return slices.Index(ForestCSVHeader, name) }
			ep := exampleEndpoint(t, res, p)
			var coxRows, subRows int
			for _, r := range recs[1:] {
				switch r[col("section")] {
				case "treatment", "covariate":
					if r[col("term")] == "" {
						continue // heading
					}
					coxRows++
					want := findRow(cox, map[string]string{"paramcd": p, "term": r[col("term")]})
					if want == nil {
						t.Errorf("term %s is not in cox.csv", r[col("term")])
						continue
					}
					for _, c := range []string{"hr", "hr_lower", "hr_upper", "p_value"} {
						if got, w := r[col(c)], want[c]; got != w {
							t.Errorf("%s %s = %s, cox.csv has %s", r[col("term")], c, got, w)
						}
					}
					if r[col("n")] != itoa(ep.Cox.N) || r[col("events")] != itoa(ep.Cox.Events) {
						t.Errorf("%s n, events = %s, %s; Cox model %d, %d", r[col("term")], r[col("n")], r[col("events")], ep.Cox.N, ep.Cox.Events)
					}
				case "subgroup":
					if r[col("level")] == "" {
						continue // heading
					}
					subRows++
					want := findRow(sub, map[string]string{"paramcd": p, "subgroup": r[col("subgroup")], "level": r[col("level")], "term": r[col("term")]})
					if want == nil {
						t.Errorf("subgroup %s = %s is not in subgroups.csv", r[col("subgroup")], r[col("level")])
						continue
					}
					for _, c := range []string{"n", "events", "hr", "hr_lower", "hr_upper", "p_value", "status"} {
						if got, w := r[col(c)], want[c]; got != w {
							t.Errorf("%s = %s: %s = %s, subgroups.csv has %s", r[col("subgroup")], r[col("level")], c, got, w)
						}
					}
				}
			}
			if n := countRows(cox, p); coxRows != n {
				t.Errorf("%d Cox rows drawn, cox.csv has %d", coxRows, n)
			}
			if n := countRows(sub, p); subRows != n || n == 0 {
				t.Errorf("%d subgroup rows drawn, subgroups.csv has %d", subRows, n)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// findRow returns the record of table (header first) whose columns equal
// want, as a map by column name; nil when there is none.
func findRow(table [][]string, want map[string]string) map[string]string {
	head := table[0]
	for _, r := range table[1:] {
		m := map[string]string{}
		for i, h := range head {
			m[h] = r[i]
		}
		ok := true
		for k, v := range want {
			if m[k] != v {
				ok = false
			}
		}
		if ok {
			return m
		}
	}
	return nil
}

func countRows(table [][]string, paramcd string) int {
	n := 0
	for _, r := range table[1:] {
		if r[0] == paramcd {
			n++
		}
	}
	return n
}

// TestAtRiskMatchesKMTable checks that the numbers at risk drawn under the
// KM and Nelson–Aalen figures at each labelled tick t equal the n_risk of
// km.csv at the first time >= t (0 after an arm's last time): the risk set
// at t, as R summary(survfit, times, extend = TRUE).
func TestAtRiskMatchesKMTable(t *testing.T) {
	res := exampleResults(t)
	km := readCSV(t, filepath.Join("testdata", "example", "km.csv"))
	for _, kind := range []string{"km", "nelson_aalen", "rmst"} {
		for _, p := range []string{"TTRESP", "TTRELAPSE"} {
			t.Run(kind+"/"+p, func(t *testing.T) {
				recs := drawingCSV(t, build(t, kind, res, p))
				var n int
				for _, r := range recs[1:] {
					if r[0] != "at_risk" {
						continue
					}
					n++
					x := parseFloat(t, r[3])
					want := "0"
					for _, k := range km[1:] {
						if k[0] == p && k[1] == r[1] && parseFloat(t, k[2]) >= x {
							want = k[3]
							break
						}
					}
					if r[5] != want {
						t.Errorf("arm %s at %v: %s at risk drawn, km.csv gives %s", r[1], x, r[5], want)
					}
				}
				if n < 4 {
					t.Errorf("only %d at_risk cells", n)
				}
			})
		}
	}
}

// TestNelsonAalenDrawsTable checks the drawn cumulative hazard and band
// against nelson_aalen.csv, row by row.
func TestNelsonAalenDrawsTable(t *testing.T) {
	res := exampleResults(t)
	na := readCSV(t, filepath.Join("testdata", "example", "nelson_aalen.csv"))
	recs := drawingCSV(t, build(t, "nelson_aalen", res, "TTRELAPSE"))
	var curve, upper int
	for _, r := range recs[1:] {
		want := findRow(na, map[string]string{"paramcd": "TTRELAPSE", "arm": r[1], "time": r[3]})
		switch {
		case r[0] == "curve" && want != nil:
			curve++
			if r[4] != want["cumhaz"] {
				t.Errorf("arm %s at %s: H = %s drawn, nelson_aalen.csv has %s", r[1], r[3], r[4], want["cumhaz"])
			}
		case r[0] == "ci_upper" && want != nil:
			upper++
			if r[4] != want["upper"] {
				t.Errorf("arm %s at %s: upper %s drawn, nelson_aalen.csv has %s", r[1], r[3], r[4], want["upper"])
			}
		case r[0] == "curve" && r[3] == "0" && r[4] != "0":
			t.Errorf("arm %s starts at H = %s, want 0", r[1], r[4])
		}
	}
	if curve != countRows(na, "TTRELAPSE") || upper != curve {
		t.Errorf("%d curve and %d band vertices match nelson_aalen.csv's %d rows", curve, upper, countRows(na, "TTRELAPSE"))
	}
}

// TestRMSTArea checks the RMST figure's numbers against rmst.csv and
// rmst_contrast.csv, and that the shaded area between the curves, computed
// from the drawn polygon (shoelace formula), is the RMST difference: on the
// 1 − S scale the area between the curves up to τ equals |RMST_1 − RMST_0|
// (the difference of the integrals of S).
func TestRMSTArea(t *testing.T) {
	res := exampleResults(t)
	rmst := readCSV(t, filepath.Join("testdata", "example", "rmst.csv"))
	contrast := readCSV(t, filepath.Join("testdata", "example", "rmst_contrast.csv"))
	for _, p := range []string{"TTRESP", "TTRELAPSE"} {
		t.Run(p, func(t *testing.T) {
			recs := drawingCSV(t, build(t, "rmst", res, p))
			var ring []Point
			var diff float64
			for _, r := range recs[1:] {
				switch r[0] {
				case "rmst":
					if want := findRow(rmst, map[string]string{"paramcd": p, "arm": r[1]}); want == nil || r[5] != want["rmst"] || r[3] != want["tau"] {
						t.Errorf("rmst row %v, rmst.csv has %v", r, want)
					}
				case "rmst_difference":
					want := findRow(contrast, map[string]string{"paramcd": p, "arm": r[1], "contrast": "difference"})
					if want == nil || r[5] != want["estimate"] {
						t.Errorf("difference row %v, rmst_contrast.csv has %v", r, want)
					}
					diff = parseFloat(t, r[5])
				case "rmst_area":
					ring = append(ring, Point{parseFloat(t, r[3]), parseFloat(t, r[4])})
				}
			}
			var area float64
			for i := range ring {
				j := (i + 1) % len(ring)
				area += ring[i].X*ring[j].Y - ring[j].X*ring[i].Y
			}
			area = math.Abs(area) / 2
			// The RMSTs are rounded to the km times' 6 decimals upstream.
			if math.Abs(area-math.Abs(diff)) > 1e-6*math.Max(1, math.Abs(diff)) {
				t.Errorf("shaded area %v, |RMST difference| %v", area, math.Abs(diff))
			}
		})
	}
}

// TestKindsApply checks which kinds apply: by the methods run and the
// endpoint's content.
func TestKindsApply(t *testing.T) {
	res := exampleResults(t)
	ep := exampleEndpoint(t, res, "TTRESP")
	var got []string
	for _, k := range Kinds {
		if k.AppliesTo(res, ep) {
			got = append(got, k.Name+":"+k.FileBase(ep))
		}
	}
	if want := "km:TTRESP forest:TTRESP-forest nelson_aalen:TTRESP-nelson_aalen rmst:TTRESP-rmst zph:TTRESP-zph loglog:TTRESP-loglog"; strings.Join(got, " ") != want {
		t.Errorf("applicable %q, want %q", strings.Join(got, " "), want)
	}
	noCox := *res
	noCox.Conventions.Methods = []string{"km", "nelson_aalen"}
	if k, _ := LookupKind("forest"); k.AppliesTo(&noCox, ep) {
		t.Error("forest applies without the cox method")
	}
	if k, _ := LookupKind("rmst"); k.AppliesTo(&noCox, ep) {
		t.Error("rmst applies without the rmst method")
	}
	legacy := *res
	legacy.Conventions.Methods = nil
	if k, _ := LookupKind("forest"); !k.AppliesTo(&legacy, ep) {
		t.Error("forest does not apply to results without a methods list (legacy km, quantiles, tests, cox)")
	}
	if _, err := LookupKind("swimmer"); err == nil || !strings.Contains(err.Error(), "km, forest, nelson_aalen, rmst") {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestGoldenKinds compares each new kind's SVG byte for byte and PNG
// within golden.PNGTolerance with testdata/example-<file>.golden.*.
func TestGoldenKinds(t *testing.T) {
	res := exampleResults(t)
	for _, kind := range []string{"km", "forest", "nelson_aalen", "rmst", "zph", "loglog"} {
		for _, p := range []string{"TTRESP", "TTRELAPSE"} {
			t.Run(kind+"/"+p, func(t *testing.T) {
				d := build(t, kind, res, p, WithSVGFonts(false), WithDPI(96))
				k, _ := LookupKind(kind)
				base := "example-" + k.FileBase(exampleEndpoint(t, res, p))
				for _, format := range []string{"svg", "png"} {
					var buf bytes.Buffer
					if err := d.Render(&buf, format, DefaultWidth, DefaultHeight); err != nil {
						t.Fatal(err)
					}
					checkGolden(t, base+".golden."+format, buf.Bytes())
				}
			})
		}
	}
}

// TestForestBadNumbers checks that a non-positive HR is an error naming
// the term and the endpoint, and that a term that is not estimable is
// written as text without a point.
func TestForestBadNumbers(t *testing.T) {
	res := exampleResults(t)
	ep := *exampleEndpoint(t, res, "TTRESP")
	cox := *ep.Cox
	cox.Terms = slices.Clone(cox.Terms)
	ep.Cox = &cox
	cox.Terms[1].HRLower = 0
	if _, err := NewForest(res, &ep); err == nil || !strings.Contains(err.Error(), "term AGE") || !strings.Contains(err.Error(), "TTRESP") {
		t.Errorf("zero lower bound: %v", err)
	}
	cox.Terms[1] = schema.CoxTerm{Term: "AGE", Estimable: false}
	f, err := NewForest(res, &ep)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Rows {
		if r.Term == "AGE" && (r.HR != nil || r.cells().hr != "not estimable (ok)" && r.cells().hr != "not estimable") {
			t.Errorf("not estimable AGE row: %+v, text %q", r, r.cells().hr)
		}
	}
	if err := f.Render(&bytes.Buffer{}, "svg", DefaultWidth, DefaultHeight); err != nil {
		t.Error(err)
	}
	if err := f.Render(&bytes.Buffer{}, "svg", 7*vg.Centimeter, DefaultHeight); err == nil || !strings.Contains(err.Error(), "wider figure") {
		t.Errorf("narrow forest plot: %v", err)
	}
}

func TestHRAxis(t *testing.T) {
	hr := func(lo, hi float64) ForestRow { m := (lo + hi) / 2; return ForestRow{HR: &m, Lower: &lo, Upper: &hi} }
	tests := []struct {
		rows   []ForestRow
		lo, hi float64
		labels string
	}{
		{[]ForestRow{hr(0.4, 0.9)}, 0.2, 1, "0.2, 0.5, 1"},
		{[]ForestRow{hr(1.2, 3)}, 1, 5, "1, 2, 5"},
		{[]ForestRow{hr(0.15, 40)}, 0.1, 50, "0.1, , , 1, , , 10, , 50"},
		{[]ForestRow{hr(0.001, 1e4)}, 0.01, 100, "0.01, , , 0.1, , , 1, , , 10, , , 100"},
		{nil, 0.5, 2, "0.5, 1, 2"},
	}
	for _, tt := range tests {
		lo, hi, ticks := hrAxis(tt.rows)
		if lo != tt.lo || hi != tt.hi || tickLabels(ticks) != tt.labels {
			t.Errorf("hrAxis = [%v, %v] %q, want [%v, %v] %q", lo, hi, tickLabels(ticks), tt.lo, tt.hi, tt.labels)
		}
	}
}

// The forest plot's subgroup heading carries the fit stage's
// treatment-by-subgroup interaction p-value.
func TestForestInteractionP(t *testing.T) {
	ep := &schema.Endpoint{Paramcd: "T", Tests: []schema.TestRow{{Test: "interaction:SEX", Statistic: 0.85, DF: 1, PValue: 0.3561}},
		Subgroups: []schema.Endpoint{{Subgroup: "SEX", Level: "F"}, {Subgroup: "SEX", Level: "M"}}}
	rows := subgroupRows(ep, false)
	if len(rows) == 0 || rows[0].Label != "Subgroup: SEX" || rows[0].P == nil || *rows[0].P != 0.3561 {
		t.Errorf("heading %+v", rows)
	}
}
