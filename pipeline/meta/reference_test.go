package meta

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerances against R: relative 1e-6, absolute 1e-12 near zero.
const (
	relTol = 1e-6
	absTol = 1e-12
)

// same reports whether got matches R's want within relTol/absTol; NaN
// matches only NaN (R's NA).
func same(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return scalar.EqualWithinAbsOrRel(got, want, absTol, relTol)
}

// relErr is |got-want|/|want| (absolute when want is 0), 0 for NaN = NaN.
func relErr(got, want float64) float64 {
	if math.IsNaN(got) && math.IsNaN(want) {
		return 0
	}
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

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

// loadStudies reads yi and sei of testdata/<dataset>.csv; hr4 is read as
// hr,lower,upper through FromRatio.
func loadStudies(t testing.TB, dataset string) (names []string, yi, sei []float64) {
	t.Helper()
	for _, r := range readCSV(t, dataset+".csv") {
		names = append(names, r["study"])
		if dataset == "hr4" {
			y, s, err := FromRatio(num(t, r["hr"]), num(t, r["lower"]), num(t, r["upper"]))
			if err != nil {
				t.Fatal(err)
			}
			yi, sei = append(yi, y), append(sei, s)
			continue
		}
		yi, sei = append(yi, num(t, r["yi"])), append(sei, num(t, r["sei"]))
	}
	return names, yi, sei
}

// fitOptions maps a reference row's method and test to Options.
func fitOptions(method, test string) Options {
	opt := Options{Method: Method(method)}
	if method == "REML_tight" {
		opt = Options{Method: REML, REMLThreshold: 1e-12}
	}
	if test == "knha" {
		opt.Adjustment = HKSJ
	}
	return opt
}

// TestReferenceMetafor checks Pool against testdata/meta_reference.csv,
// written by testdata/make_reference.R with metafor 3.8-1:
//
//	m <- rma(yi, vi, data = d, method = "FE"|"DL"|"REML"|"PM", test = "z"|"knha",
//	         control = list(tol = 1e-12) for PM, list(threshold = 1e-12) for REML_tight)
//	confint(m, control = list(tol = 1e-12))$random   # tau^2, I^2(%), H^2 rows
//	predict(m)$pi.lb, predict(m)$pi.ub
//
// on dat.bcg (escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos,
// di = cneg, data = dat.bcg); 13 trials), dat.riley2003 (outcome "OS",
// 56 log hazard ratios) and hr4 (4 hazard ratios with rounded 95% CIs).
func TestReferenceMetafor(t *testing.T) {
	maxErr := 0.0
	for _, row := range readCSV(t, "meta_reference.csv") {
		_, yi, sei := loadStudies(t, row["dataset"])
		opt := fitOptions(row["method"], row["test"])
		res, err := Pool(yi, sei, opt)
		if err != nil {
			t.Fatalf("%s %s %s: %v", row["dataset"], row["method"], row["test"], err)
		}
		if res.Status != StatusOK {
			t.Errorf("%s %s: status %s", row["dataset"], row["method"], res.Status)
		}
		if row["iterations"] != "NA" && strconv.Itoa(res.Iterations) != row["iterations"] {
			t.Errorf("%s %s: %d iterations, metafor %s", row["dataset"], row["method"], res.Iterations, row["iterations"])
		}
		for _, c := range []struct {
			col string
			got float64
		}{
			{"estimate", res.Estimate}, {"se", res.SE}, {"stat", res.Stat}, {"pval", res.P},
			{"lower", res.Lower}, {"upper", res.Upper},
			{"tau2", res.Tau2}, {"tau2_lower", res.Tau2Lower}, {"tau2_upper", res.Tau2Upper},
			{"i2", res.I2}, {"i2_lower", res.I2Lower}, {"i2_upper", res.I2Upper},
			{"h2", res.H2}, {"h2_lower", res.H2Lower}, {"h2_upper", res.H2Upper},
			{"q", res.Q}, {"q_p", res.QP}, {"pi_lower", res.PILower}, {"pi_upper", res.PIUpper},
		} {
			want := num(t, row[c.col])
			if !same(c.got, want) {
				t.Errorf("%s %s %s %s = %.15g, metafor %.15g", row["dataset"], row["method"], row["test"], c.col, c.got, want)
			}
			maxErr = math.Max(maxErr, relErr(c.got, want))
		}
	}
	t.Logf("max relative error against metafor rma/confint/predict: %.2g", maxErr)
}

// TestReferenceLeave1out checks LeaveOneOut against
// testdata/leave1out_reference.csv: leave1out(m) for each fit m above.
func TestReferenceLeave1out(t *testing.T) {
	maxErr := 0.0
	rows := readCSV(t, "leave1out_reference.csv")
	for i := 0; i < len(rows); {
		row := rows[i]
		names, yi, sei := loadStudies(t, row["dataset"])
		loo, err := LeaveOneOut(yi, sei, fitOptions(row["method"], row["test"]))
		if err != nil {
			t.Fatal(err)
		}
		for j, res := range loo {
			row := rows[i+j]
			if row["omitted"] != names[j] {
				t.Fatalf("row %d: omitted %q, want %q", i+j, row["omitted"], names[j])
			}
			tau2 := res.Tau2
			if res.Method == FixedEffect {
				tau2 = math.NaN() // leave1out gives no tau2 for FE
			}
			for _, c := range []struct {
				col string
				got float64
			}{
				{"estimate", res.Estimate}, {"se", res.SE}, {"stat", res.Stat}, {"pval", res.P},
				{"lower", res.Lower}, {"upper", res.Upper}, {"q", res.Q}, {"q_p", res.QP},
				{"tau2", tau2}, {"i2", res.I2}, {"h2", res.H2},
			} {
				want := num(t, row[c.col])
				if !same(c.got, want) {
					t.Errorf("%s %s %s without %s: %s = %.15g, metafor %.15g", row["dataset"], row["method"], row["test"], names[j], c.col, c.got, want)
				}
				maxErr = math.Max(maxErr, relErr(c.got, want))
			}
		}
		i += len(loo)
	}
	t.Logf("max relative error against metafor leave1out: %.2g", maxErr)
}

// TestReferenceEgger checks Egger against testdata/regtest_reference.csv:
//
//	regtest(d$yi, d$vi, model = "lm", predictor = "sei")   # zval, pval, ddf, est, ci.lb, ci.ub
func TestReferenceEgger(t *testing.T) {
	for _, row := range readCSV(t, "regtest_reference.csv") {
		_, yi, sei := loadStudies(t, row["dataset"])
		eg, err := Egger(yi, sei)
		if err != nil {
			t.Fatal(err)
		}
		if eg.Status != StatusOK || strconv.Itoa(eg.DF) != row["df"] {
			t.Errorf("%s: status %s df %d, want ok %s", row["dataset"], eg.Status, eg.DF, row["df"])
		}
		for _, c := range []struct {
			col string
			got float64
		}{{"stat", eg.Stat}, {"pval", eg.P}, {"limit", eg.Limit}, {"limit_lower", eg.LimitLower}, {"limit_upper", eg.LimitUpper}} {
			if want := num(t, row[c.col]); !same(c.got, want) {
				t.Errorf("%s %s = %.15g, metafor %.15g", row["dataset"], c.col, c.got, want)
			}
		}
	}
}
