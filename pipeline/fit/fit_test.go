package fit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

func readTable(t *testing.T, content string) (*adam.ADTTE, *adam.Report) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "adtte.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, rep, err := adam.ReadADTTE(path, adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tab, rep
}

// zeroEvents has no events in arm B: the hazard ratio of B is not estimable.
const zeroEvents = `STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR
S,1,A,T,1,0
S,2,A,T,2,0
S,3,A,T,3,1
S,4,A,T,4,0
S,5,B,T,1,1
S,6,B,T,2,1
S,7,B,T,5,1
S,8,B,T,6,1
`

func TestStatusZeroEvents(t *testing.T) {
	tab, rep := readTable(t, zeroEvents)
	for _, test := range []struct {
		allow   []string
		wantErr bool
	}{
		{nil, true},
		{[]string{"zero_events_in_arm"}, true},
		{[]string{"zero_events_in_arm", "monotone_likelihood", "not_converged"}, false},
	} {
		res, err := Analyze(tab, rep, Options{Control: "A", Allow: test.allow})
		if err != nil {
			t.Fatal(err)
		}
		ep := res.Endpoints[0]
		// R: coxph(Surv(AVAL, 1 - CNSR) ~ TRTP) runs out of iterations with
		// coef -21.5; the Cox status is monotone_likelihood or not_converged.
		if ep.Status != "zero_events_in_arm" || !(slices.Contains(ep.Statuses, "monotone_likelihood") || slices.Contains(ep.Statuses, "not_converged")) {
			t.Errorf("status %q, statuses %v; want zero_events_in_arm and a Cox status", ep.Status, ep.Statuses)
		}
		if res.Status != "zero_events_in_arm" {
			t.Errorf("results status %q", res.Status)
		}
		if err := Err(res); (err != nil) != test.wantErr {
			t.Errorf("allow %v: Err() = %v, want error %v", test.allow, err, test.wantErr)
		}
		if ep.Cox == nil || len(ep.Cox.Terms) != 1 || ep.Cox.Terms[0].Estimable {
			t.Fatalf("Cox terms %+v: want one non-estimable term", ep.Cox)
		}
		var b bytes.Buffer
		if err := WriteTableNamed(&b, res, CoxFile); err != nil {
			t.Fatal(err)
		}
		if want := "paramcd,term,coef,hr,se,z,p_value,hr_lower,hr_upper,robust_se\nT,TRTP:B,,,,,,,,\n"; b.String() != want {
			t.Errorf("cox.csv =\n%s\nwant empty cells for the non-estimable term:\n%s", b.String(), want)
		}
		for _, tr := range ep.Tests {
			if strings.HasPrefix(tr.Test, "cox_") {
				t.Errorf("Cox test %s reported for a non-estimable model", tr.Test)
			}
		}
	}
}

func TestAnalyzeErrors(t *testing.T) {
	tab, rep := readTable(t, "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,SEX\nS,1,A,T,1,0,F\nS,2,B,T,2,0,F\nS,3,A,T,3,1,F\nS,4,B,T,1,0,F\n")
	for _, test := range []struct {
		name string
		opt  Options
		want string
	}{
		{"unknown covariate", Options{Covariates: []string{"AGE"}}, "has no column AGE"},
		{"unknown strata", Options{Strata: "REGION"}, "has no column REGION"},
		{"control not present", Options{Control: "PLACEBO"}, `reference arm "PLACEBO" has no rows`},
		{"single-level covariate", Options{Covariates: []string{"SEX"}}, "single level"},
	} {
		_, err := Analyze(tab, rep, test.opt)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want it to contain %q", test.name, err, test.want)
		}
	}
}

func TestReferenceArmChoice(t *testing.T) {
	tab, rep := readTable(t, "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS,1,ZED,T,1,0\nS,2,ALPHA,T,2,0\nS,3,ZED,T,3,1\nS,4,ALPHA,T,1,0\nS,5,ZED,T,2,0\n")
	res, err := Analyze(tab, rep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Study.Control != "ALPHA" || res.Study.ControlSource != "first-sorted" {
		t.Errorf("control %q (%s), want ALPHA (first-sorted)", res.Study.Control, res.Study.ControlSource)
	}
	if got := res.Endpoints[0].Cox.Terms[0].Term; got != "TRTP:ZED" {
		t.Errorf("treatment term %q, want TRTP:ZED", got)
	}
	res, err = Analyze(tab, rep, Options{Control: "ZED"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Endpoints[0].Cox.Terms[0].Term; got != "TRTP:ALPHA" || res.Study.ControlSource != "flag" {
		t.Errorf("with -control ZED: term %q, source %q", got, res.Study.ControlSource)
	}
}

// TestResultsJSONHasNoNaN checks that results.json is valid JSON even when
// estimates are undefined (the encoder rejects NaN).
func TestResultsJSONHasNoNaN(t *testing.T) {
	tab, rep := readTable(t, zeroEvents)
	res, err := Analyze(tab, rep, Options{Control: "A"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var back schema.Results
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), ": NaN") {
		t.Error("results.json contains a NaN value")
	}
}

// TestKeepSubjects: USUBJID is kept exactly when a method that reads it
// (states) is named, may be a default, or is selected by a setting.
func TestKeepSubjects(t *testing.T) {
	for _, test := range []struct {
		opt  Options
		want bool
	}{
		{Options{Methods: []string{"cox"}}, false},
		{Options{Methods: []string{"km", "tests", "aft"}}, false},
		{Options{Methods: []string{"km", "states"}}, true},
		{Options{}, true}, // the defaults may include states
		{Options{Methods: []string{"km"}, Settings: Settings{"states": {Value: "TTRESP,TTRELAPSE"}}}, true},
	} {
		if got := KeepSubjects(test.opt); got != test.want {
			t.Errorf("KeepSubjects(methods %q, settings %v) = %v, want %v", test.opt.Methods, test.opt.Settings, got, test.want)
		}
	}
}
