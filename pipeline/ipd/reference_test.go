package ipd

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// Tolerances against R: relative 1e-6; absolute 1e-9 for values near 0.
const (
	relTol = 1e-6
	absTol = 1e-9
)

func readRows(t testing.TB, name string) [][]string {
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
	return recs
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

// loadData reads testdata/veteran.csv (time,status,trt,study) or
// testdata/ttresp.csv (study,usubjid,trt,AVAL,CNSR), studies sorted by
// name as R's factor levels.
func loadData(t testing.TB, dataset string) Data {
	t.Helper()
	recs := readRows(t, dataset+".csv")
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	var names []string
	for _, r := range recs[1:] {
		names = append(names, r[col["study"]])
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var d Data
	d.Studies = names
	for _, r := range recs[1:] {
		s, _ := slices.BinarySearch(names, r[col["study"]])
		d.Study = append(d.Study, s)
		d.Treated = append(d.Treated, r[col["trt"]] == "1")
		if dataset == "ttresp" {
			d.Time = append(d.Time, atof(t, r[col["AVAL"]]))
			d.Event = append(d.Event, r[col["CNSR"]] == "0")
		} else {
			d.Time = append(d.Time, atof(t, r[col["time"]]))
			d.Event = append(d.Event, r[col["status"]] == "1")
		}
	}
	return d
}

// reference reads testdata/reference.csv into dataset -> "quantity/term" -> value.
func reference(t testing.TB) map[string]map[string]float64 {
	t.Helper()
	out := map[string]map[string]float64{}
	for _, r := range readRows(t, "reference.csv")[1:] {
		if out[r[0]] == nil {
			out[r[0]] = map[string]float64{}
		}
		out[r[0]][r[1]+"/"+strings.TrimPrefix(r[2], "trt:factor(study)")] = atof(t, r[3])
	}
	return out
}

// TestReference compares OneStage and TwoStage with R on survival's
// veteran (treatment = test chemotherapy, "study" = cell type) and on the
// pooled time to response of the three bundled ketamine vs midazolam
// studies. Values from testdata/make_reference.R (R 4.2.2, survival 3.5.3,
// metafor 3.8.1):
//
//	fit0 <- coxph(Surv(time, status) ~ trt + strata(study), data = d)
//	fit1 <- coxph(Surv(time, status) ~ trt:factor(study) + strata(study), data = d)
//	anova(fit0, fit1)  # Chisq, Df, Pr(>|Chi|)
//	f <- coxph(Surv(time, status) ~ trt, data = d[d$study == s, ])  # per study
//	rma(yi, sei = sei, method = "REML", test = "z" | "knha")
func TestReference(t *testing.T) {
	ref := reference(t)
	for _, dataset := range []string{"veteran", "ttresp"} {
		want := func(key string) float64 {
			v, ok := ref[dataset][key]
			if !ok {
				t.Fatalf("%s: no reference value %q", dataset, key)
			}
			return v
		}
		d := loadData(t, dataset)
		one, err := OneStage(d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if one.Status != StatusOK {
			t.Fatalf("%s: one-stage status %q", dataset, one.Status)
		}
		type check struct {
			name      string
			got, want float64
		}
		checks := []check{
			{"coef", one.Effect.LogHR, want("coef/trt")},
			{"se", one.Effect.SE, want("se/trt")},
			{"hr_lower", one.Effect.Lower, want("hr_lower/trt")},
			{"hr_upper", one.Effect.Upper, want("hr_upper/trt")},
			{"p", one.Effect.P, want("p/trt")},
			{"loglik0", one.Common.LogLik0, want("loglik0/")},
			{"loglik common", one.Common.LogLik, want("loglik/common")},
			{"loglik interaction", one.Interaction.LogLik, want("loglik/interaction")},
			{"lr_chisq", one.Heterogeneity.Statistic, want("lr_chisq/interaction")},
			{"lr_df", float64(one.Heterogeneity.DF), want("lr_df/interaction")},
			{"lr_p", one.Heterogeneity.P, want("lr_p/interaction")},
		}
		for s, name := range d.Studies {
			checks = append(checks,
				check{"interaction coef " + name, one.PerStudy[s].LogHR, want("coef/" + name)},
				check{"interaction se " + name, one.PerStudy[s].SE, want("se/" + name)})
		}
		for _, adj := range []meta.Adjustment{meta.NoAdjustment, meta.HKSJ} {
			two, err := TwoStage(d, Options{Pool: meta.Options{Method: meta.REML, Adjustment: adj}})
			if err != nil {
				t.Fatal(err)
			}
			if two.Status != StatusOK || len(two.Used) != len(d.Studies) {
				t.Fatalf("%s: two-stage status %q, %d studies used", dataset, two.Status, len(two.Used))
			}
			for s, name := range d.Studies {
				checks = append(checks,
					check{"study coef " + name, two.PerStudy[s].LogHR, want("study_coef/" + name)},
					check{"study se " + name, two.PerStudy[s].SE, want("study_se/" + name)})
			}
			test := "z"
			if adj == meta.HKSJ {
				test = "knha"
			}
			p := two.Pooled
			checks = append(checks,
				check{test + " estimate", p.Estimate, want("reml_" + test + "_estimate/")},
				check{test + " se", p.SE, want("reml_" + test + "_se/")},
				check{test + " lower", p.Lower, want("reml_" + test + "_lower/")},
				check{test + " upper", p.Upper, want("reml_" + test + "_upper/")},
				check{test + " tau2", p.Tau2, want("reml_" + test + "_tau2/")})
		}
		maxRel := 0.0
		for _, c := range checks {
			if !scalar.EqualWithinAbsOrRel(c.got, c.want, absTol, relTol) {
				t.Errorf("%s %s = %.12g, R gives %.12g", dataset, c.name, c.got, c.want)
			}
			if c.want != 0 && math.Abs(c.want) > absTol {
				maxRel = math.Max(maxRel, math.Abs(c.got-c.want)/math.Abs(c.want))
			}
		}
		t.Logf("%s: %d values, max relative error %.2g", dataset, len(checks), maxRel)
	}
}
