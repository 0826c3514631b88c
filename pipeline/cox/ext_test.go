package cox

import (
	"math"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// Reference values for delayed entry, the robust variance, cox.zph and
// piecewise fits are in testdata/reference_ext.csv, written by
// testdata/make_reference_ext.R (R 4.2.2, survival 3.5.3) with
// sprintf("%.17g"); testdata/calls_ext.txt lists every R call.

// extData is a data set of the extension tests: an optional entry time and
// cluster id per row besides the columns of dataset.
type extData struct {
	dataset
	entry   []float64
	cluster map[string][]int
}

// loadLungInst reads lung_inst.csv: time,status,age,sex,ph.ecog,inst,entry
// (survival::lung, complete cases including inst; entry is made up).
func loadLungInst(t testing.TB) extData {
	d := extData{dataset: dataset{cols: map[string][]float64{}, strata: map[string][]int{}}, cluster: map[string][]int{}}
	for i, r := range rtest.ReadCSV(t, "testdata/lung_inst.csv") {
		d.time = append(d.time, r.Float(t, "time"))
		d.event = append(d.event, r["status"] == "2")
		d.cols["age"] = append(d.cols["age"], r.Float(t, "age"))
		d.cols["sex"] = append(d.cols["sex"], r.Float(t, "sex"))
		d.cols["ph.ecog"] = append(d.cols["ph.ecog"], r.Float(t, "ph.ecog"))
		d.strata["sex"] = append(d.strata["sex"], int(r.Float(t, "sex")))
		d.cluster["inst"] = append(d.cluster["inst"], int(r.Float(t, "inst")))
		d.cluster["row"] = append(d.cluster["row"], i)
		d.entry = append(d.entry, r.Float(t, "entry"))
	}
	return d
}

// loadHeart reads heart.csv: start,stop,event,age,year,surgery,transplant,id
// (survival::heart, counting process).
func loadHeart(t testing.TB) extData {
	d := extData{dataset: dataset{cols: map[string][]float64{}, strata: map[string][]int{}}, cluster: map[string][]int{}}
	for _, r := range rtest.ReadCSV(t, "testdata/heart.csv") {
		d.entry = append(d.entry, r.Float(t, "start"))
		d.time = append(d.time, r.Float(t, "stop"))
		d.event = append(d.event, r["event"] == "1")
		for _, name := range []string{"age", "year", "surgery", "transplant"} {
			d.cols[name] = append(d.cols[name], r.Float(t, name))
		}
		d.strata["surgery"] = append(d.strata["surgery"], int(r.Float(t, "surgery")))
		d.cluster["id"] = append(d.cluster["id"], r.Int(t, "id"))
	}
	return d
}

// loadSimEntry reads sim.csv with the ENTRY column of sim_entry.csv; every
// row is its own cluster ("row"; R: cluster = USUBJID).
func loadSimEntry(t testing.TB) extData {
	d := extData{dataset: loadSim(t, "sim.csv"), cluster: map[string][]int{}}
	rows := rtest.ReadCSV(t, "testdata/sim_entry.csv")
	if len(rows) != len(d.time) {
		t.Fatalf("sim_entry.csv: %d rows, sim.csv %d", len(rows), len(d.time))
	}
	for i, r := range rows {
		d.entry = append(d.entry, r.Float(t, "ENTRY"))
		d.cluster["row"] = append(d.cluster["row"], i)
	}
	return d
}

// extCase is one R coxph call of reference_ext.csv.
type extCase struct {
	name    string // case in reference_ext.csv
	rCall   string
	data    extData
	terms   []string
	rTerms  []string // R's names of terms, if they differ
	strata  string
	entry   bool
	cluster string // "" for none; "row" with robust = TRUE
	opt     Options
}

func TestRobustAndEntryAgainstR(t *testing.T) {
	lung := loadLungInst(t)
	heart := loadHeart(t)
	sim := loadSimEntry(t)
	lungTerms := []string{"age", "sex", "ph.ecog"}
	lungStrataTerms := []string{"age", "ph.ecog"}
	simTerms := []string{"ARMKetamine", "ARMEsketamine", "AGE", "SEXM"}
	heartTerms := []string{"age", "year", "surgery", "transplant"}
	heartStrataTerms := []string{"age", "year", "transplant"}
	br := Options{Ties: Breslow}
	tests := []extCase{
		{name: "lung_cluster_efron", rCall: `coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, cluster = inst)`,
			data: lung, terms: lungTerms, cluster: "inst"},
		{name: "lung_cluster_breslow", rCall: `coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, cluster = inst, ties = "breslow")`,
			data: lung, terms: lungTerms, cluster: "inst", opt: br},
		{name: "lung_cluster_strata_efron", rCall: `coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst, cluster = inst)`,
			data: lung, terms: lungStrataTerms, strata: "sex", cluster: "inst"},
		{name: "lung_cluster_strata_breslow", rCall: `coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst, cluster = inst, ties = "breslow")`,
			data: lung, terms: lungStrataTerms, strata: "sex", cluster: "inst", opt: br},
		{name: "lung_robust_efron", rCall: `coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, robust = TRUE)`,
			data: lung, terms: lungTerms, cluster: "row"},
		{name: "sim_robust_strata_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, robust = TRUE)`,
			data: sim, terms: simTerms, strata: "STRATUM", cluster: "row"},
		{name: "sim_robust_strata_breslow", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, robust = TRUE, ties = "breslow")`,
			data: sim, terms: simTerms, strata: "STRATUM", cluster: "row", opt: br},
		{name: "lung_entry_efron", rCall: `coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, data = lung_inst)`,
			data: lung, terms: lungTerms, entry: true},
		{name: "lung_entry_breslow", rCall: `coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, ties = "breslow")`,
			data: lung, terms: lungTerms, entry: true, opt: br},
		{name: "lung_entry_cluster_strata_efron", rCall: `coxph(Surv(entry, time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst, cluster = inst)`,
			data: lung, terms: lungStrataTerms, strata: "sex", entry: true, cluster: "inst"},
		{name: "sim_entry_strata_efron", rCall: `coxph(Surv(ENTRY, AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, cluster = USUBJID)`,
			data: sim, terms: simTerms, strata: "STRATUM", entry: true, cluster: "row"},
		{name: "sim_entry_strata_breslow", rCall: `coxph(Surv(ENTRY, AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, cluster = USUBJID, ties = "breslow")`,
			data: sim, terms: simTerms, strata: "STRATUM", entry: true, cluster: "row", opt: br},
		{name: "heart_cluster_efron", rCall: `coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart, cluster = id)`,
			data: heart, terms: heartTerms, entry: true, cluster: "id"},
		{name: "heart_cluster_breslow", rCall: `coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart, cluster = id, ties = "breslow")`,
			data: heart, terms: heartTerms, entry: true, cluster: "id", opt: br},
		{name: "heart_cluster_strata_efron", rCall: `coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart, cluster = id)`,
			data: heart, terms: heartStrataTerms, strata: "surgery", entry: true, cluster: "id"},
	}
	ref := loadReferenceFile(t, "reference_ext.csv")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := make([][]float64, len(tc.terms))
			for j, term := range tc.terms {
				x[j] = tc.data.cols[term]
			}
			var strata []int
			if tc.strata != "" {
				strata = tc.data.strata[tc.strata]
			}
			opt := tc.opt
			if tc.entry {
				opt.Entry = tc.data.entry
			}
			if tc.cluster == "row" {
				opt.Robust = true
			} else if tc.cluster != "" {
				opt.Cluster = tc.data.cluster[tc.cluster]
			}
			res, err := CoxPH(tc.data.time, tc.data.event, x, tc.terms, strata, opt)
			if err != nil {
				t.Fatalf("R: %s: %v", tc.rCall, err)
			}
			if res.Status != StatusOK {
				t.Errorf("Status = %q (%q), want ok", res.Status, res.Messages)
			}
			checkAgainstR(t, ref, tc.name, tc.rCall, tc.terms, tc.rTerms, res, tc.cluster != "")
		})
	}
}

// checkAgainstR compares a fit with the reference values of case c. With
// robust, R's var, z, p and intervals are the robust ones and its se the
// model-based one.
func checkAgainstR(t *testing.T, ref reference, c, rCall string, terms, rTerms []string, res *Result, robust bool) {
	t.Helper()
	var worst float64
	defer func() { t.Logf("max relative error against R: %.2g", worst) }()
	check := func(what string, got, want float64) {
		t.Helper()
		worst = math.Max(worst, maxRelErr(got, want))
		if !closeRel(got, want, relTol) {
			t.Errorf("%s = %.17g, want %.17g (R: %s)", what, got, want, rCall)
		}
	}
	if rTerms == nil {
		rTerms = terms
	}
	check("LogLik0", res.LogLik0, ref.get(t, c, "loglik0", ""))
	check("LogLik", res.LogLik, ref.get(t, c, "loglik", ""))
	if got, want := res.N, int(ref.get(t, c, "n", "")); got != want {
		t.Errorf("N = %d, want %d", got, want)
	}
	if got, want := res.Events, int(ref.get(t, c, "events", "")); got != want {
		t.Errorf("Events = %d, want %d", got, want)
	}
	if got, want := res.Iterations, int(ref.get(t, c, "iter", "")); got != want {
		t.Errorf("Iterations = %d, want %d", got, want)
	}
	if robust != (res.Robust != nil) {
		t.Fatalf("Robust = %v, want robust %v", res.Robust, robust)
	}
	se, z, p, lo, hi, v := res.SE, res.Z, res.P, res.HRLower, res.HRUpper, res.Var
	if robust {
		r := res.Robust
		z, p, lo, hi, v = r.Z, r.P, r.HRLower, r.HRUpper, r.Var
		for j, term := range rTerms {
			check("Robust.SE["+term+"]", r.SE[j], ref.get(t, c, "robust_se", term))
			for l, term2 := range rTerms {
				check("Var["+term+","+term2+"]", res.Var[j][l], ref.get(t, c, "naive_var", term+":"+term2))
			}
		}
		check("Robust.Wald", r.Wald.Statistic, ref.get(t, c, "waldtest_unrounded", ""))
		check("Robust.Wald.P", r.Wald.P, ref.get(t, c, "waldtest_p", ""))
		check("Robust.Score", r.Score.Statistic, ref.get(t, c, "robscore", ""))
		check("Robust.Score.P", r.Score.P, ref.get(t, c, "robscore_p", ""))
		if r.Wald.DF != int(ref.get(t, c, "waldtest_df", "")) || r.Score.DF != int(ref.get(t, c, "robscore_df", "")) {
			t.Errorf("Robust DF %d, %d, want %v, %v", r.Wald.DF, r.Score.DF, ref.get(t, c, "waldtest_df", ""), ref.get(t, c, "robscore_df", ""))
		}
	} else {
		check("Wald", res.Wald.Statistic, ref.get(t, c, "waldtest_unrounded", ""))
		check("Wald.P", res.Wald.P, ref.get(t, c, "waldtest_p", ""))
	}
	for j, term := range rTerms {
		check("Coef["+term+"]", res.Coef[j], ref.get(t, c, "coef", term))
		check("SE["+term+"]", se[j], ref.get(t, c, "se", term))
		check("Z["+term+"]", z[j], ref.get(t, c, "z", term))
		check("P["+term+"]", p[j], ref.get(t, c, "p", term))
		check("HRLower["+term+"]", lo[j], ref.get(t, c, "lower", term))
		check("HRUpper["+term+"]", hi[j], ref.get(t, c, "upper", term))
		for l, term2 := range rTerms {
			check("Var["+term+","+term2+"]", v[j][l], ref.get(t, c, "var", term+":"+term2))
		}
	}
	check("LR", res.LR.Statistic, ref.get(t, c, "logtest", ""))
	check("LR.P", res.LR.P, ref.get(t, c, "logtest_p", ""))
	check("Score", res.Score.Statistic, ref.get(t, c, "sctest", ""))
	check("Score.P", res.Score.P, ref.get(t, c, "sctest_p", ""))
}

// maxRelErr is used by the report of the achieved agreement.
func maxRelErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}
