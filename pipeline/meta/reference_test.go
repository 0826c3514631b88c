package meta

import (
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// loadStudies reads yi and sei of testdata/<dataset>.csv; hr4 is read as
// hr,lower,upper through FromRatio.
func loadStudies(t testing.TB, dataset string) (names []string, yi, sei []float64) {
	t.Helper()
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", dataset+".csv")) {
		names = append(names, r["study"])
		if dataset == "hr4" {
			y, s, err := FromRatio(r.Float(t, "hr"), r.Float(t, "lower"), r.Float(t, "upper"))
			if err != nil {
				t.Fatal(err)
			}
			yi, sei = append(yi, y), append(sei, s)
			continue
		}
		yi, sei = append(yi, r.Float(t, "yi")), append(sei, r.Float(t, "sei"))
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
	for _, row := range rtest.ReadCSV(t, "testdata/meta_reference.csv") {
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
			want := rtest.Num(t, row[c.col])
			if !rtest.Close(c.got, want) {
				t.Errorf("%s %s %s %s = %.15g, metafor %.15g", row["dataset"], row["method"], row["test"], c.col, c.got, want)
			}
			maxErr = math.Max(maxErr, rtest.RelErr(c.got, want))
		}
	}
	t.Logf("max relative error against metafor rma/confint/predict: %.2g", maxErr)
}

// TestReferenceLeave1out checks LeaveOneOut against
// testdata/leave1out_reference.csv: leave1out(m) for each fit m above.
func TestReferenceLeave1out(t *testing.T) {
	maxErr := 0.0
	rows := rtest.ReadCSV(t, "testdata/leave1out_reference.csv")
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
				want := rtest.Num(t, row[c.col])
				if !rtest.Close(c.got, want) {
					t.Errorf("%s %s %s without %s: %s = %.15g, metafor %.15g", row["dataset"], row["method"], row["test"], names[j], c.col, c.got, want)
				}
				maxErr = math.Max(maxErr, rtest.RelErr(c.got, want))
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
	for _, row := range rtest.ReadCSV(t, "testdata/regtest_reference.csv") {
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
			if want := rtest.Num(t, row[c.col]); !rtest.Close(c.got, want) {
				t.Errorf("%s %s = %.15g, metafor %.15g", row["dataset"], c.col, c.got, want)
			}
		}
	}
}
