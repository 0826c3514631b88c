package fit

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"gonum.org/v1/gonum/floats/scalar"
)

// lungReference reads testdata/lung_reference.csv, written by
// testdata/make_lung_reference.R from R's survival::lung exported with
// write.csv (missing cells written NA).
func lungReference(t *testing.T) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "lung_reference.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ref := map[string]float64{}
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		ref[r[0]] = v
	}
	return ref
}

func analyseLung(t *testing.T, covariates ...string) *schema.Results {
	t.Helper()
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "lung_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 0 {
		t.Fatalf("%d rows rejected", rep.Rejected)
	}
	res, err := Analyze(tab, rep, Options{Covariates: covariates})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The defects found on R's lung data: NA became a category level, the
// log-rank test used only the complete cases, and the reference level was
// not named.
func TestLungMissingValues(t *testing.T) {
	ref := lungReference(t)
	const tol = 1e-6
	res := analyseLung(t, "AGE", "ECOG")
	ep := res.Endpoints[0]
	// R: survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = x) uses all 228 rows.
	var lr schema.TestRow
	for _, tr := range ep.Tests {
		if tr.Test == "logrank" {
			lr = tr
		}
	}
	if !scalar.EqualWithinRel(lr.Statistic, ref["logrank_chisq"], tol) || lr.N != int(ref["logrank_n"]) {
		t.Errorf("log-rank chi-square %v on %d rows, want %v on %v (survdiff)", lr.Statistic, lr.N, ref["logrank_chisq"], ref["logrank_n"])
	}
	// R: coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG, data = x, ties = "efron"):
	// na.omit leaves 227 rows; ECOG's levels are ECOG1..3 against ECOG0.
	c := ep.Cox
	if c.N != int(ref["cox_n"]) || c.Events != int(ref["cox_events"]) {
		t.Errorf("Cox n %d, events %d, want %v, %v", c.N, c.Events, ref["cox_n"], ref["cox_events"])
	}
	if !scalar.EqualWithinRel(c.LogLik, ref["cox_loglik"], tol) {
		t.Errorf("Cox log-likelihood %v, want %v", c.LogLik, ref["cox_loglik"])
	}
	want := map[string]struct{ r, ref string }{
		"TRTP:MALE": {"TRTPMALE", "FEMALE"}, "AGE": {"AGE", ""},
		"ECOG:ECOG1": {"ECOGECOG1", "ECOG0"}, "ECOG:ECOG2": {"ECOGECOG2", "ECOG0"}, "ECOG:ECOG3": {"ECOGECOG3", "ECOG0"},
	}
	if len(c.Terms) != len(want) {
		t.Fatalf("terms %+v, want %d (no NA level)", c.Terms, len(want))
	}
	for _, term := range c.Terms {
		w, ok := want[term.Term]
		if !ok || strings.Contains(term.Term, "NA") {
			t.Errorf("unexpected term %s", term.Term)
			continue
		}
		if term.Reference != w.ref {
			t.Errorf("%s: reference %q, want %q", term.Term, term.Reference, w.ref)
		}
		if !scalar.EqualWithinRel(term.Coef, ref["coef_"+w.r], tol) || !scalar.EqualWithinRel(term.SE, ref["se_"+w.r], tol) {
			t.Errorf("%s: coef %v se %v, want %v %v", term.Term, term.Coef, term.SE, ref["coef_"+w.r], ref["se_"+w.r])
		}
	}
	if !strings.Contains(strings.Join(ep.Messages, "\n"), "1 rows were left out of the Cox model (1 with ECOG missing)") {
		t.Errorf("messages %q do not count the row left out", ep.Messages)
	}
	// KM and the arm counts use every row.
	n := 0
	for _, a := range ep.Arms {
		n += a.N
	}
	if n != 228 {
		t.Errorf("arms count %d subjects, want 228", n)
	}
}

// A numeric column with NA cells stays numeric; its incomplete rows are
// left out. R: coxph(... ~ TRTP + AGE + WTLOSS): n = 214.
func TestLungNumericWithNA(t *testing.T) {
	ref := lungReference(t)
	c := analyseLung(t, "AGE", "WTLOSS").Endpoints[0].Cox
	if c.N != int(ref["cox2_n"]) {
		t.Errorf("n %d, want %v", c.N, ref["cox2_n"])
	}
	for _, term := range c.Terms {
		r := ref["cox2_coef_"+strings.ReplaceAll(term.Term, ":", "")]
		if !scalar.EqualWithinRel(term.Coef, r, 1e-6) {
			t.Errorf("%s: coef %v, want %v", term.Term, term.Coef, r)
		}
	}
}

// A column of numbers with a few words is an error naming the cell; it
// never silently becomes categorical.
func TestMostlyNumericColumn(t *testing.T) {
	const hdr = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE\n"
	content := hdr + "S,1,A,T,1,0,30\nS,2,A,T,2,1,40\nS,3,B,T,3,0,about 50\nS,4,B,T,2,1,50\nS,5,B,T,4,0,NA\n"
	tab, rep := readTable(t, content)
	_, err := Analyze(tab, rep, Options{Covariates: []string{"AGE"}})
	if err == nil {
		t.Fatal("no error for a mostly numeric column with a word")
	}
	for _, want := range []string{"line 4", "column AGE", `"about 50"`, "3 of 4 values"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// The Cox extensions through the driver, on R's lung data. R:
//
//	h <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG, data = x, cluster = INST)
//	cox.zph(h, transform = "km", terms = FALSE)
//	coxph(Surv(tstart, AVAL, event) ~ MALE:strata(tgroup), survSplit(..., cut = c(180, 365)))
func TestLungCoxExtensions(t *testing.T) {
	ref := lungReference(t)
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "lung_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := Settings{"cluster": {Value: "INST", Origin: "test"}, "zph": {Value: "km", Origin: "test"}}
	res, err := Analyze(tab, rep, Options{Covariates: []string{"AGE", "ECOG"}, Settings: set})
	if err != nil {
		t.Fatal(err)
	}
	ep := res.Endpoints[0]
	if ep.Cox.N != int(ref["cox3_n"]) {
		t.Errorf("n %d, want %v", ep.Cox.N, ref["cox3_n"])
	}
	for _, term := range ep.Cox.Terms {
		want := ref["cox3_robust_se_"+strings.ReplaceAll(term.Term, ":", "")]
		if term.RobustSE == nil || !scalar.EqualWithinRel(*term.RobustSE, want, 1e-6) {
			t.Errorf("%s: robust SE %v, want %v", term.Term, term.RobustSE, want)
		}
	}
	var z schema.ZPHSection
	if ok, err := ep.Section("zph", &z); !ok || err != nil {
		t.Fatalf("no zph section: %v", err)
	}
	for _, tr := range z.Tests {
		want := ref["zph_chisq_"+strings.ReplaceAll(tr.Term, ":", "")]
		if tr.Chisq == nil || !scalar.EqualWithinRel(*tr.Chisq, want, 1e-6) {
			t.Errorf("zph %s: chisq %v, want %v", tr.Term, tr.Chisq, want)
		}
	}

	res, err = Analyze(tab, rep, Options{Settings: Settings{"piecewise": {Value: "180,365", Origin: "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	var pw schema.PiecewiseSection
	if ok, err := res.Endpoints[0].Section("piecewise", &pw); !ok || err != nil {
		t.Fatalf("no piecewise section: %v", err)
	}
	for k, iv := range pw.Intervals {
		want := ref["piecewise_coef_"+strconv.Itoa(k+1)]
		if iv.Coef == nil || !scalar.EqualWithinRel(*iv.Coef, want, 1e-6) {
			t.Errorf("interval %d: coef %v, want %v", k+1, iv.Coef, want)
		}
	}
}

// Bad method options name the flag or study.yaml line, and nothing runs.
func TestBadMethodOptions(t *testing.T) {
	tab, rep := readTable(t, "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS,1,A,T,1,0\nS,2,B,T,2,1\n")
	for _, test := range []struct {
		opt  Options
		want string
	}{
		{Options{Methods: []string{"km", "kaplan"}, MethodsOrigin: "flag -methods"}, `flag -methods: unknown method "kaplan"`},
		{Options{Settings: Settings{"zph": {Value: "log", Origin: "flag -zph"}}}, `flag -zph (zph): unknown cox.zph transform "log"`},
		{Options{Settings: Settings{"piecewise": {Value: "7,1", Origin: "study.yaml: line 20"}}}, "study.yaml: line 20 (piecewise): the cut points must be strictly increasing"},
		{Options{Settings: Settings{"piecewise": {Value: "x", Origin: "flag -piecewise"}}}, `"x" is not a time in days > 0`},
		{Options{Settings: Settings{"rmst-tau": {Value: "0", Origin: "flag -rmst-tau"}}}, `"0" is not a time in days > 0`},
		{Options{Settings: Settings{"milestones": {Value: "-1", Origin: "flag -milestones"}}}, `"-1" is not a time in days > 0`},
		{Options{Settings: Settings{"cluster": {Value: "SITE", Origin: "flag -cluster"}}}, "has no column SITE"},
		{Options{Settings: Settings{"cluster": {Value: "USUBJID", Origin: "flag -cluster"}}}, "has no column USUBJID"},
		{Options{Settings: Settings{"tie": {Value: "efron", Origin: "study.yaml: line 9"}}}, `study.yaml: line 9: unknown option "tie"`},
	} {
		_, err := Analyze(tab, rep, test.opt)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%+v: error %v, want one containing %q", test.opt, err, test.want)
		}
	}
}

// The cross-convention appendix equals the analyses run under each
// profile, and flags conclusions that change.
func TestCrossConventions(t *testing.T) {
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "lung_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, Options{Covariates: []string{"AGE", "ECOG"}})
	if err != nil {
		t.Fatal(err)
	}
	var rows []schema.ConventionRow
	if ok, err := res.Endpoints[0].Section("cross_conventions", &rows); !ok || err != nil {
		t.Fatalf("no cross_conventions section: %v", err)
	}
	got := map[string]schema.ConventionRow{}
	for _, r := range rows {
		got[r.Quantity] = r
	}
	for _, p := range []struct {
		profile string
		value   func(schema.ConventionRow) *float64
	}{{ProfileR, func(r schema.ConventionRow) *float64 { return r.R }}, {ProfileSAS, func(r schema.ConventionRow) *float64 { return r.SAS }}} {
		direct, err := Analyze(tab, rep, Options{Covariates: []string{"AGE", "ECOG"}, Profile: p.profile, Control: "FEMALE", Methods: []string{"km", "quantiles", "cox"}})
		if err != nil {
			t.Fatal(err)
		}
		ep := direct.Endpoints[0]
		hr := ep.Cox.Terms[0]
		if v := p.value(got["HR "+hr.Term]); v == nil || *v != hr.HR {
			t.Errorf("%s: HR %v, the %s analysis gives %v", p.profile, v, p.profile, hr.HR)
		}
		for _, q := range ep.Quantiles {
			if q.Quantile != 0.5 {
				continue
			}
			if v := p.value(got["median "+q.Arm]); v == nil || q.Time == nil || *v != *q.Time {
				t.Errorf("%s: median %s %v, want %v", p.profile, q.Arm, v, q.Time)
			}
		}
	}
	for _, test := range []struct {
		q    string
		r, s [3]float64
		want string
	}{
		{"HR x", [3]float64{0.8, 0.65, 0.99}, [3]float64{0.81, 0.66, 1.01}, "CI excludes 1 under one profile only"},
		{"HR x", [3]float64{0.8, 0.65, 0.95}, [3]float64{0.81, 0.66, 0.97}, ""},
		{"p cox_wald", [3]float64{0.049}, [3]float64{0.051}, "p on opposite sides of 0.05"},
	} {
		if got := changedConclusion(test.q, test.r, test.s); got != test.want {
			t.Errorf("changedConclusion(%s, %v, %v) = %q, want %q", test.q, test.r, test.s, got, test.want)
		}
	}
}

// The weighted tests through the driver. R:
// survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = x, rho = 1).
func TestLungWeightedTests(t *testing.T) {
	ref := lungReference(t)
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "lung_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, Options{Methods: []string{"km", "tests"}, Settings: Settings{"tests": {Value: "logrank,fh:1:0,gehan,maxcombo", Origin: "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]schema.TestRow{}
	for _, tr := range res.Endpoints[0].Tests {
		got[tr.Test] = tr
	}
	if len(got) != 4 {
		t.Fatalf("tests %+v, want logrank, fh:1:0, gehan, maxcombo", res.Endpoints[0].Tests)
	}
	if !scalar.EqualWithinRel(got["fh:1:0"].Statistic, ref["fh10_chisq"], 1e-6) {
		t.Errorf("fh:1:0 chi-square %v, want %v", got["fh:1:0"].Statistic, ref["fh10_chisq"])
	}
	if !scalar.EqualWithinRel(got["logrank"].Statistic, ref["logrank_chisq"], 1e-6) {
		t.Errorf("logrank chi-square %v, want %v", got["logrank"].Statistic, ref["logrank_chisq"])
	}
	mc := got["maxcombo"]
	if mc.DF != 4 || !(mc.Statistic*mc.Statistic >= got["logrank"].Statistic-1e-9) || !(mc.PValue > 0 && mc.PValue < 1) {
		t.Errorf("maxcombo %+v: max |Z| must be at least the log-rank |Z|, with 4 components", mc)
	}
	if _, err := Analyze(tab, rep, Options{Settings: Settings{"tests": {Value: "fh:-1:0", Origin: "flag -tests"}}}); err == nil || !strings.Contains(err.Error(), "flag -tests") {
		t.Errorf("negative rho: error %v, want one naming the flag", err)
	}
}

// An allowed status can name the method that may flag it: cure:no_plateau
// allows the cure model's no_plateau, not another method's.
func TestAllowMethodStatus(t *testing.T) {
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "example_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := Settings{"cure": {Value: "weibull", Origin: "test"}}
	for _, test := range []struct {
		allow   []string
		allowed bool
	}{
		{nil, false},
		{[]string{"cure:no_plateau"}, true},
		{[]string{"no_plateau"}, true},
		{[]string{"cox:no_plateau"}, false},
	} {
		res, err := Analyze(tab, rep, Options{Methods: []string{"km", "cure"}, Settings: set, Allow: test.allow})
		if err != nil {
			t.Fatal(err)
		}
		ep := res.Endpoints[0]
		if !slices.Contains(ep.Statuses, schema.StatusNoPlateau) {
			t.Fatalf("statuses %v: the example's response endpoint has no plateau", ep.Statuses)
		}
		if ep.Allowed != test.allowed {
			t.Errorf("allow %v: allowed %v, want %v", test.allow, ep.Allowed, test.allowed)
		}
	}
	if err := CheckAllow("kaplan:no_plateau"); err == nil {
		t.Error("unknown method accepted in an allowed status")
	}
}

// A text cell a spreadsheet would run as a formula is written with a quote
// in front; numbers never are; RawCSV keeps the cells as they are.
func TestCSVInjection(t *testing.T) {
	tab, rep := readTable(t, "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS,1,=HYPERLINK(1),T,1,0\nS,2,=HYPERLINK(1),T,3,1\nS,3,B,T,2,0\nS,4,B,T,4,0\n")
	res, err := Analyze(tab, rep, Options{Methods: []string{"km", "cox"}, Control: "B"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteOutputs(dir, res); err != nil {
		t.Fatal(err)
	}
	km, _ := os.ReadFile(filepath.Join(dir, KMFile))
	if !strings.Contains(string(km), "T,'=HYPERLINK(1),1,") || strings.Contains(string(km), ",=HYPERLINK") {
		t.Errorf("km.csv does not escape the arm:\n%s", km)
	}
	cox, _ := os.ReadFile(filepath.Join(dir, CoxFile))
	if !strings.Contains(string(cox), "T,TRTP:=HYPERLINK(1),") {
		t.Errorf("cox.csv: a term not starting with a formula character is unchanged:\n%s", cox)
	}
	if err := WriteOutputs(dir, res, RawCSV()); err != nil {
		t.Fatal(err)
	}
	km, _ = os.ReadFile(filepath.Join(dir, KMFile))
	if !strings.Contains(string(km), "T,=HYPERLINK(1),1,") {
		t.Errorf("RawCSV escaped the arm:\n%s", km)
	}
}

// Negative numbers are numbers, never prefixed.
func TestCSVNegativeNumbers(t *testing.T) {
	res := &schema.Results{Conventions: schema.Conventions{Methods: []string{"km"}}, Endpoints: []schema.Endpoint{{Paramcd: "T",
		KM: schema.KMTable([]schema.KMRow{{Arm: "-A", Time: 1, Surv: 0.5}})}}}
	var b bytes.Buffer
	tab := Table{File: "x.csv", Header: []string{"paramcd", "arm", "value"}, Rows: func(ep *schema.Endpoint, emit func(...string)) error {
		emit(ep.Paramcd, ep.KM.Row(0).Arm, num(-0.25))
		return nil
	}}
	if err := WriteTable(&b, res, tab); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "paramcd,arm,value\nT,'-A,-0.25\n" {
		t.Errorf("got %q", got)
	}
}

// The AFT method through the driver. R:
//
//	w <- survreg(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE, data = x, dist = "weibull")
//	predict(w, newdata = data.frame(TRTP = "FEMALE", AGE = mean(x$AGE)), type = "quantile", p = 0.5)
func TestLungAFT(t *testing.T) {
	ref := lungReference(t)
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "lung_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, Options{Covariates: []string{"AGE"}, Methods: []string{"km", "aft"}, Settings: Settings{"aft": {Value: "weibull", Origin: "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	sec, ok, err := aftSection(&res.Endpoints[0], "aft")
	if !ok || err != nil || len(sec.Models) != 1 {
		t.Fatalf("aft section %+v, %v", sec, err)
	}
	m := sec.Models[0]
	for _, term := range m.Terms {
		if term.Term == "Log(scale)" {
			continue
		}
		want := ref["aft_coef_"+strings.ReplaceAll(term.Term, ":", "")]
		if !scalar.EqualWithinRel(*term.Coef, want, 1e-6) {
			t.Errorf("%s: coef %v, want %v", term.Term, *term.Coef, want)
		}
	}
	if !scalar.EqualWithinRel(*m.Scale, ref["aft_scale"], 1e-6) || !scalar.EqualWithinRel(*m.LogLik, ref["aft_loglik"], 1e-6) {
		t.Errorf("scale %v loglik %v, want %v %v", *m.Scale, *m.LogLik, ref["aft_scale"], ref["aft_loglik"])
	}
	for _, q := range m.Quantiles {
		if q.Arm == "FEMALE" && q.Quantile == 0.5 && !scalar.EqualWithinRel(*q.Time, ref["aft_median_FEMALE"], 1e-6) {
			t.Errorf("FEMALE median %v, want %v", *q.Time, ref["aft_median_FEMALE"])
		}
	}
}

// Competing risks through the driver on survival's mgus2 (progression to
// PCM competing with death), with EVNTTYPE naming the event. R:
//
//	cuminc(AVAL, ev, TRTP)$Tests; crr(AVAL, ev, cbind(MALE, AGE), failcode = 1, cencode = 0)
//	summary(survfit(Surv(AVAL, factor(ev, 0:2)) ~ TRTP), times = 120)$pstate
func TestMGUS2CompetingRisks(t *testing.T) {
	ref := lungReference(t)
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "mgus2_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, Options{Covariates: []string{"AGE"}, EventOfInterest: "PCM", Methods: []string{"km", "tests", "cox", "cif", "finegray"}})
	if err != nil {
		t.Fatal(err)
	}
	ep := res.Endpoints[0]
	if ep.EventTypes == nil || ep.EventTypes.Column != "EVNTTYPE" || !slices.Equal(ep.EventTypes.Competing, []string{"DEATH"}) {
		t.Fatalf("event types %+v", ep.EventTypes)
	}
	for _, tr := range ep.Tests {
		if want, ok := map[string]float64{"gray:PCM": ref["gray_PCM"], "gray:DEATH": ref["gray_DEATH"]}[tr.Test]; ok && !scalar.EqualWithinRel(tr.Statistic, want, 1e-6) {
			t.Errorf("%s: %v, want %v", tr.Test, tr.Statistic, want)
		}
	}
	var fg schema.FineGraySection
	if ok, err := ep.Section("finegray", &fg); !ok || err != nil {
		t.Fatal("no finegray section")
	}
	for _, term := range fg.Models[0].Terms {
		want := map[string]float64{"TRTP:MALE": ref["crr_coef_MALE"], "AGE": ref["crr_coef_AGE"]}[term.Term]
		if !scalar.EqualWithinRel(*term.Coef, want, 1e-6) {
			t.Errorf("Fine-Gray %s: %v, want %v", term.Term, *term.Coef, want)
		}
		if term.Term == "TRTP:MALE" && !scalar.EqualWithinRel(*term.SE, ref["crr_se_MALE"], 1e-6) {
			t.Errorf("Fine-Gray SE %v, want %v", *term.SE, ref["crr_se_MALE"])
		}
	}
	var cif []schema.CIFRow
	if ok, err := ep.Section("cif", &cif); !ok || err != nil {
		t.Fatal("no cif section")
	}
	at := func(arm, cause string, t float64) float64 {
		v := 0.0
		for _, r := range cif {
			if r.Arm == arm && r.Cause == cause && r.Time <= t {
				v = r.CIF
			}
		}
		return v
	}
	if got := at("FEMALE", "PCM", 120); !scalar.EqualWithinRel(got, ref["cif120_FEMALE_PCM"], 1e-6) {
		t.Errorf("CIF FEMALE PCM at 120: %v, want %v", got, ref["cif120_FEMALE_PCM"])
	}
	if got := at("MALE", "DEATH", 120); !scalar.EqualWithinRel(got, ref["cif120_MALE_DEATH"], 1e-6) {
		t.Errorf("CIF MALE DEATH at 120: %v, want %v", got, ref["cif120_MALE_DEATH"])
	}
}

// The treatment-by-subgroup interaction test. R:
//
//	anova(coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG, x),
//	      coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG + TRTP:ECOG, x))
func TestLungInteraction(t *testing.T) {
	ref := lungReference(t)
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", "lung_adtte.csv"), adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, Options{Covariates: []string{"AGE"}, Subgroups: []string{"ECOG"}, Methods: []string{"km", "tests", "cox"}, Allow: []string{"too_few_arms", "zero_events_in_arm", "singular", "monotone_likelihood", "not_converged", "not_estimable"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range res.Endpoints[0].Tests {
		if tr.Test != "interaction:ECOG" {
			continue
		}
		if !scalar.EqualWithinRel(tr.Statistic, ref["interaction_ECOG_chisq"], 1e-6) || tr.DF != int(ref["interaction_ECOG_df"]) {
			t.Errorf("interaction: chi-square %v on %d df, want %v on %v", tr.Statistic, tr.DF, ref["interaction_ECOG_chisq"], ref["interaction_ECOG_df"])
		}
		return
	}
	t.Errorf("no interaction test in %+v (messages %q)", res.Endpoints[0].Tests, res.Endpoints[0].Messages)
}
