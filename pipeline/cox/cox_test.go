package cox

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// The reference values in testdata/reference.csv are written by
// testdata/make_reference.R (R 4.2.2, survival 3.5.3, see testdata/R_version.txt)
// with sprintf("%.17g"). Each case below quotes its R call.

const relTol = 1e-6

// dataset is a test data set read from testdata, with the design matrix
// built as R's treatment contrasts would build it.
type dataset struct {
	time   []float64
	event  []bool
	cols   map[string][]float64
	strata map[string][]int
}

// loadSim reads sim.csv or mono.csv: USUBJID,AVAL,CNSR,ARM,AGE,SEX,STRATUM.
// Columns: ARMKetamine, ARMEsketamine (control SSRI), AGE, SEXM (reference F),
// AGE2 = 2*AGE + 1 (collinear with AGE).
func loadSim(t testing.TB, name string) dataset {
	d := dataset{cols: map[string][]float64{}, strata: map[string][]int{}}
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", name)) {
		d.time = append(d.time, r.Float(t, "AVAL"))
		d.event = append(d.event, r["CNSR"] == "0")
		d.cols["ARMKetamine"] = append(d.cols["ARMKetamine"], indicator(r["ARM"] == "Ketamine"))
		d.cols["ARMEsketamine"] = append(d.cols["ARMEsketamine"], indicator(r["ARM"] == "Esketamine"))
		age := r.Float(t, "AGE")
		d.cols["AGE"] = append(d.cols["AGE"], age)
		d.cols["AGE2"] = append(d.cols["AGE2"], 2*age+1)
		d.cols["SEXM"] = append(d.cols["SEXM"], indicator(r["SEX"] == "M"))
		d.strata["STRATUM"] = append(d.strata["STRATUM"], r.Int(t, "STRATUM"))
	}
	return d
}

// loadLung reads lung.csv: time,status,age,sex,ph.ecog (survival::lung,
// complete cases; status 2 = dead).
func loadLung(t testing.TB) dataset {
	d := dataset{cols: map[string][]float64{}, strata: map[string][]int{}}
	for _, r := range rtest.ReadCSV(t, "testdata/lung.csv") {
		d.time = append(d.time, r.Float(t, "time"))
		d.event = append(d.event, r["status"] == "2")
		d.cols["age"] = append(d.cols["age"], r.Float(t, "age"))
		d.cols["sex"] = append(d.cols["sex"], r.Float(t, "sex"))
		d.cols["ph.ecog"] = append(d.cols["ph.ecog"], r.Float(t, "ph.ecog"))
		d.strata["sex"] = append(d.strata["sex"], int(r.Float(t, "sex")))
	}
	return d
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// reference maps case -> quantity -> term -> value.
type reference map[string]map[string]map[string]float64

func loadReference(t testing.TB) reference { return loadReferenceFile(t, "reference.csv") }

// loadReferenceFile reads a case,quantity,term,value file of testdata.
func loadReferenceFile(t testing.TB, name string) reference {
	ref := reference{}
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", name)) {
		c, q := r["case"], r["quantity"]
		if ref[c] == nil {
			ref[c] = map[string]map[string]float64{}
		}
		if ref[c][q] == nil {
			ref[c][q] = map[string]float64{}
		}
		ref[c][q][r["term"]] = r.Float(t, "value")
	}
	return ref
}

func (r reference) get(t *testing.T, c, q, term string) float64 {
	t.Helper()
	v, ok := r[c][q][term]
	if !ok {
		t.Fatalf("reference.csv has no %s %s %q", c, q, term)
	}
	return v
}

func closeRel(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Abs(want)+1e-300
}

func TestCoxPHAgainstR(t *testing.T) {
	sim := loadSim(t, "sim.csv")
	mono := loadSim(t, "mono.csv")
	lung := loadLung(t)
	simTerms := []string{"ARMKetamine", "ARMEsketamine", "AGE", "SEXM"}
	lungTerms := []string{"age", "sex", "ph.ecog"}

	tests := []struct {
		name   string // case in reference.csv
		rCall  string
		data   dataset
		terms  []string
		strata string
		opt    Options
		status string
		// onlyCoef: R's variance is not comparable (see maxiter2_efron).
		onlyCoef bool
		// infTerms have an infinite true coefficient: the finite value
		// depends on where the iterations stopped. R and we stop on the same
		// iteration, and agree to about 1e-8 (an ill-conditioned
		// information matrix), so relTol still applies.
		infTerms []string
	}{
		{name: "sim_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim)`,
			data: sim, terms: simTerms, status: StatusOK},
		{name: "sim_breslow", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim, ties = "breslow")`,
			data: sim, terms: simTerms, opt: Options{Ties: Breslow}, status: StatusOK},
		{name: "sim_strata_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim)`,
			data: sim, terms: simTerms, strata: "STRATUM", status: StatusOK},
		{name: "sim_strata_breslow", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, ties = "breslow")`,
			data: sim, terms: simTerms, strata: "STRATUM", opt: Options{Ties: Breslow}, status: StatusOK},
		{name: "sim_arm_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM, data = sim)`,
			data: sim, terms: simTerms[:2], status: StatusOK},
		{name: "lung_efron", rCall: `coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lungcc)`,
			data: lung, terms: lungTerms, status: StatusOK},
		{name: "lung_breslow", rCall: `coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lungcc, ties = "breslow")`,
			data: lung, terms: lungTerms, opt: Options{Ties: Breslow}, status: StatusOK},
		{name: "lung_strata_efron", rCall: `coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lungcc)`,
			data: lung, terms: []string{"age", "ph.ecog"}, strata: "sex", status: StatusOK},
		// R warns: "Loglik converged before variable  2 ; coefficient may be infinite."
		// and reports coef -19.53, se 3757.7 for ARMEsketamine.
		{name: "mono_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = mono)`,
			data: mono, terms: simTerms, status: StatusMonotone, infTerms: []string{"ARMEsketamine"}},
		{name: "mono_breslow", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = mono, ties = "breslow")`,
			data: mono, terms: simTerms, opt: Options{Ties: Breslow}, status: StatusMonotone, infTerms: []string{"ARMEsketamine"}},
		// R sets the AGE2 coefficient to NA (AGE2 = 2*AGE + 1); we give NaN.
		{name: "singular_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ AGE + SEX + AGE2, data = sim)`,
			data: sim, terms: []string{"AGE", "SEXM", "AGE2"}, status: StatusSingular},
		// R warns "Ran out of iterations and did not converge". Its
		// coefficients and loglik are those of the last improving iteration,
		// as ours, but survival 3.5.3's coxfit6 inverts the information
		// matrix without factoring it first on this path, so R's variance
		// (and se, tests) are wrong there; only coefficients are compared.
		{name: "maxiter2_efron", rCall: `coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim, iter.max = 2)`,
			data: sim, terms: simTerms, opt: Options{MaxIter: 2}, status: StatusNotConverged, onlyCoef: true},
	}
	ref := loadReference(t)
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
			res, err := CoxPH(tc.data.time, tc.data.event, x, tc.terms, strata, tc.opt)
			if err != nil {
				t.Fatalf("R: %s: %v", tc.rCall, err)
			}
			if res.Status != tc.status {
				t.Errorf("Status = %q, want %q (messages %q)", res.Status, tc.status, res.Messages)
			}
			if (res.Status == StatusOK) != (len(res.Messages) == 0) {
				t.Errorf("Status %q with messages %q", res.Status, res.Messages)
			}
			named := slices.Clone(tc.infTerms)
			for _, term := range tc.terms {
				if math.IsNaN(ref.get(t, tc.name, "coef", term)) {
					named = append(named, term) // R: NA, redundant
				}
			}
			for _, term := range named {
				if !strings.Contains(strings.Join(res.Messages, " "), strconvQuote(term)) {
					t.Errorf("messages %q do not name %q", res.Messages, term)
				}
			}
			check := func(what string, got, want, tol float64) {
				t.Helper()
				if !closeRel(got, want, tol) {
					t.Errorf("%s = %.17g, want %.17g (R: %s)", what, got, want, tc.rCall)
				}
			}
			c := tc.name
			check("LogLik0", res.LogLik0, ref.get(t, c, "loglik0", ""), relTol)
			check("LogLik", res.LogLik, ref.get(t, c, "loglik", ""), relTol)
			if got, want := res.N, int(ref.get(t, c, "n", "")); got != want {
				t.Errorf("N = %d, want %d", got, want)
			}
			if got, want := res.Events, int(ref.get(t, c, "events", "")); got != want {
				t.Errorf("Events = %d, want %d", got, want)
			}
			wantIter := int(ref.get(t, c, "iter", ""))
			if !res.Converged {
				wantIter-- // R reports iter.max + 1 when it runs out of iterations
			}
			if res.Iterations != wantIter {
				t.Errorf("Iterations = %d, want %d", res.Iterations, wantIter)
			}
			for j, term := range tc.terms {
				tol := relTol
				inf := contains(tc.infTerms, term)
				check("Coef["+term+"]", res.Coef[j], ref.get(t, c, "coef", term), tol)
				if tc.onlyCoef {
					continue
				}
				wantSE := ref.get(t, c, "se", term)
				if math.IsNaN(ref.get(t, c, "coef", term)) {
					wantSE = math.NaN() // R: sqrt(0) for a redundant term
				}
				check("SE["+term+"]", res.SE[j], wantSE, tol)
				check("Z["+term+"]", res.Z[j], ref.get(t, c, "z", term), tol)
				check("P["+term+"]", res.P[j], ref.get(t, c, "p", term), tol)
				check("HR["+term+"]", res.HR[j], ref.get(t, c, "hr", term), tol)
				if !inf {
					check("HRLower["+term+"]", res.HRLower[j], ref.get(t, c, "lower", term), tol)
					check("HRUpper["+term+"]", res.HRUpper[j], ref.get(t, c, "upper", term), tol)
				}
				for l, term2 := range tc.terms {
					want := ref.get(t, c, "var", term+":"+term2)
					if math.IsNaN(res.Coef[j]) || math.IsNaN(res.Coef[l]) {
						want = math.NaN() // R: 0 for a redundant term
					}
					vtol := tol
					if inf || contains(tc.infTerms, term2) {
						// Covariances with a diverging term are
						// differences of numbers ~1e7 times larger
						// (mono_breslow: 6e-6 relative).
						vtol = 1e-4
					}
					check("Var["+term+","+term2+"]", res.Var[j][l], want, vtol)
				}
			}
			if tc.onlyCoef {
				return
			}
			for _, tt := range []struct {
				name string
				got  Test
				ref  string
			}{{"Wald", res.Wald, "waldtest"}, {"LR", res.LR, "logtest"}, {"Score", res.Score, "sctest"}} {
				want := ref.get(t, c, tt.ref, "")
				if tt.ref == "waldtest" {
					want = ref.get(t, c, "waldtest_unrounded", "")
				}
				check(tt.name+".Statistic", tt.got.Statistic, want, relTol)
				check(tt.name+".P", tt.got.P, ref.get(t, c, tt.ref+"_p", ""), relTol)
				if got, want := tt.got.DF, int(ref.get(t, c, tt.ref+"_df", "")); got != want {
					t.Errorf("%s.DF = %d, want %d", tt.name, got, want)
				}
			}
		})
	}
}

func strconvQuote(s string) string { return strconv.Quote(s) }

func contains(s []string, v string) bool { return slices.Contains(s, v) }

// TestStatuses checks the statuses on small constructed data sets (no R
// reference needed: the expected status follows from the data).
func TestStatuses(t *testing.T) {
	time := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	allEvents := []bool{true, true, true, true, true, true, true, true, true, true}
	someEvents := []bool{true, false, true, true, false, true, true, false, true, true}
	// Perfect separation: the larger x, the earlier the event.
	separated := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	mixed := []float64{1, 3, 2, 5, 4, 7, 6, 9, 8, 10}
	tests := []struct {
		name   string
		event  []bool
		x      [][]float64
		names  []string
		opt    Options
		status string
		named  []string
	}{
		{"ok", someEvents, [][]float64{mixed}, []string{"x"}, Options{}, StatusOK, nil},
		// R: coxph(Surv(t, s) ~ x, data.frame(t = 1:10, s = 1, x = 10:1))
		// warns "Ran out of iterations and did not converge" with coef 19.0
		// (HR e^47 per mean absolute deviation): our blow-up check makes it
		// monotone_likelihood.
		{"separated", allEvents, [][]float64{separated}, []string{"x"}, Options{}, StatusMonotone, []string{"x"}},
		{"separated breslow", allEvents, [][]float64{separated, mixed}, []string{"x", "m"}, Options{Ties: Breslow}, StatusMonotone, []string{"x"}},
		{"constant", someEvents, [][]float64{mixed, {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}}, []string{"m", "c"}, Options{}, StatusSingular, []string{"c"}},
		{"duplicate", someEvents, [][]float64{mixed, mixed}, []string{"m", "m2"}, Options{}, StatusSingular, []string{"m2"}},
		{"one iteration", someEvents, [][]float64{mixed}, []string{"x"}, Options{MaxIter: 1}, StatusNotConverged, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CoxPH(time, tc.event, tc.x, tc.names, nil, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.status {
				t.Errorf("Status = %q, want %q; messages %q", res.Status, tc.status, res.Messages)
			}
			msg := strings.Join(res.Messages, " ")
			for _, name := range tc.named {
				if !strings.Contains(msg, strconv.Quote(name)) {
					t.Errorf("messages %q do not name %q", res.Messages, name)
				}
			}
			if (res.Status == StatusOK) != (msg == "") {
				t.Errorf("Status %q with messages %q", res.Status, res.Messages)
			}
			for j := range res.Coef {
				if math.IsNaN(res.Coef[j]) != slices.Contains(tc.named, tc.names[j]) && tc.status == StatusSingular {
					t.Errorf("Coef[%s] = %g", tc.names[j], res.Coef[j])
				}
			}
		})
	}
}

func TestCoxPHErrors(t *testing.T) {
	x := [][]float64{{1, 2, 3}}
	names := []string{"x"}
	tests := []struct {
		name  string
		time  []float64
		event []bool
		x     [][]float64
		names []string
		opt   Options
		want  string
	}{
		{"no rows", nil, nil, [][]float64{{}}, names, Options{}, "no subjects"},
		{"no covariates", []float64{1, 2, 3}, []bool{true, false, true}, nil, nil, Options{}, "no covariates"},
		{"no events", []float64{1, 2, 3}, []bool{false, false, false}, x, names, Options{}, "no events"},
		{"NaN time", []float64{1, math.NaN(), 3}, []bool{true, false, true}, x, names, Options{}, "row 2"},
		{"Inf covariate", []float64{1, 2, 3}, []bool{true, false, true}, [][]float64{{1, math.Inf(1), 3}}, names, Options{}, `"x" of subject 1 (row 2)`},
		{"bad ties", []float64{1, 2, 3}, []bool{true, false, true}, x, names, Options{Ties: "exact"}, "unknown ties"},
		{"bad conf", []float64{1, 2, 3}, []bool{true, false, true}, x, names, Options{ConfLevel: 95}, "ConfLevel"},
		{"bad maxiter", []float64{1, 2, 3}, []bool{true, false, true}, x, names, Options{MaxIter: -1}, "MaxIter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CoxPH(tc.time, tc.event, tc.x, tc.names, nil, tc.opt)
			if err == nil {
				t.Fatalf("got result %+v, want error containing %q", res, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestCoxPHPanics(t *testing.T) {
	tests := []struct {
		name string
		fn   func()
	}{
		{"event length", func() { CoxPH([]float64{1, 2}, []bool{true}, [][]float64{{1, 2}}, []string{"x"}, nil, Options{}) }},
		{"x length", func() { CoxPH([]float64{1, 2}, []bool{true, true}, [][]float64{{1}}, []string{"x"}, nil, Options{}) }},
		{"names length", func() { CoxPH([]float64{1, 2}, []bool{true, true}, [][]float64{{1, 2}}, nil, nil, Options{}) }},
		{"strata length", func() {
			CoxPH([]float64{1, 2}, []bool{true, true}, [][]float64{{1, 2}}, []string{"x"}, []int{1}, Options{})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.fn()
		})
	}
}

func TestParseTies(t *testing.T) {
	tests := []struct {
		in      string
		want    Ties
		wantErr bool
	}{
		{"", Efron, false}, {"efron", Efron, false}, {" Breslow ", Breslow, false},
		{"BRESLOW", Breslow, false}, {"exact", "", true}, {"discrete", "", true},
	}
	for _, tc := range tests {
		got, err := ParseTies(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseTies(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestInvariance checks properties that do not need R: the fit does not
// depend on the order of the rows, and shifting a covariate changes neither
// its coefficient nor the log-likelihood (centring).
func TestInvariance(t *testing.T) {
	d := loadSim(t, "sim.csv")
	terms := []string{"ARMKetamine", "ARMEsketamine", "AGE", "SEXM"}
	x := make([][]float64, len(terms))
	for j, term := range terms {
		x[j] = d.cols[term]
	}
	base, err := CoxPH(d.time, d.event, x, terms, d.strata["STRATUM"], Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	perm := rng.Perm(len(d.time))
	pt := make([]float64, len(d.time))
	pe := make([]bool, len(d.time))
	ps := make([]int, len(d.time))
	px := make([][]float64, len(terms))
	for j := range px {
		px[j] = make([]float64, len(d.time))
	}
	for k, i := range perm {
		pt[k], pe[k], ps[k] = d.time[i], d.event[i], d.strata["STRATUM"][i]
		for j := range px {
			px[j][k] = x[j][i]
			if terms[j] == "AGE" {
				px[j][k] += 1000
			}
		}
	}
	got, err := CoxPH(pt, pe, px, terms, ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for j := range terms {
		if !closeRel(got.Coef[j], base.Coef[j], 1e-9) || !closeRel(got.SE[j], base.SE[j], 1e-9) {
			t.Errorf("%s: permuted and shifted %g (se %g), original %g (se %g)", terms[j], got.Coef[j], got.SE[j], base.Coef[j], base.SE[j])
		}
	}
	if !closeRel(got.LogLik, base.LogLik, 1e-12) {
		t.Errorf("LogLik %g, want %g", got.LogLik, base.LogLik)
	}
}

// TestDeterministic checks byte-identical results for identical input.
func TestDeterministic(t *testing.T) {
	d := loadSim(t, "sim.csv")
	x := [][]float64{d.cols["ARMKetamine"], d.cols["AGE"]}
	a, err := CoxPH(d.time, d.event, x, []string{"ARMKetamine", "AGE"}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := CoxPH(d.time, d.event, x, []string{"ARMKetamine", "AGE"}, nil, Options{})
	if fmt.Sprintf("%#v", a) != fmt.Sprintf("%#v", b) {
		t.Error("two fits of the same data differ")
	}
}
