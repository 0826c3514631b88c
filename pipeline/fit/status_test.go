package fit

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/logrank"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// TestAnalyzeNoAcceptedRows checks that a file whose rows were all rejected
// non-fatally (RowsRead > 0, no accepted row) gives an error naming the file,
// with or without a study and a control arm, instead of a panic.
func TestAnalyzeNoAcceptedRows(t *testing.T) {
	s, err := study.Parse("study.yaml", []byte("id: S\ntime_unit: days\narms: [{name: A, class: ketamine}, {name: B, class: placebo}]\ncontrol: B\nendpoints: [{paramcd: T, kind: response}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	const hdr = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\n"
	for _, test := range []struct {
		name    string
		content string
		opt     Options
		read    int
	}{
		{"empty rows, no study", hdr + ",,,,,\n , ,,,,\n", Options{}, 2},
		{"empty rows, control", hdr + ",,,,,\n", Options{Control: "A"}, 1},
		{"empty rows, study", hdr + ",,,,,\n", Options{Study: s}, 1},
		{"undeclared endpoints, study", hdr + "S,1,A,X,1,0\nS,2,B,X,2,1\n", Options{Study: s}, 2},
	} {
		t.Run(test.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "adtte.csv")
			if err := os.WriteFile(path, []byte(test.content), 0o644); err != nil {
				t.Fatal(err)
			}
			tab, rep, err := adam.ReadADTTE(path, adam.Options{Study: test.opt.Study})
			if err != nil {
				t.Fatalf("rows rejected non-fatally, yet: %v", err)
			}
			if rep.RowsRead != test.read || rep.Accepted != 0 || tab.Len() != 0 {
				t.Fatalf("read %d accepted %d (table %d), want %d and 0", rep.RowsRead, rep.Accepted, tab.Len(), test.read)
			}
			res, err := Analyze(tab, rep, test.opt)
			if err == nil || res != nil {
				t.Fatalf("Analyze = %v, %v; want an error", res, err)
			}
			if !errors.Is(err, ErrNoRows) || !strings.Contains(err.Error(), path+": no accepted rows") {
				t.Errorf("error %q: want ErrNoRows naming %s", err, path)
			}
		})
	}
}

// TestFailureStatuses checks the status given when the log-rank test or the
// Cox model cannot be computed: each cause has its own status, not
// zero_events_in_arm for all.
func TestFailureStatuses(t *testing.T) {
	const hdr = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE\n"
	for _, test := range []struct {
		name    string
		content string
		opt     Options
		want    schema.Status   // status that must be reported
		notWant []schema.Status // statuses that must not be
		// logrank is true when the log-rank test is reported: it uses every
		// row of the endpoint, also those the Cox model leaves out.
		logrank bool
		tests   int // rows in tests.csv
	}{
		{
			// Every subject dies at day 1: the log-rank variance is 0. R:
			// survdiff(Surv(t, s) ~ g, data.frame(t = c(1, 1), s = c(1, 1),
			// g = c("A", "B"))) stops with "system is exactly singular".
			name:    "zero variance",
			content: hdr + "S,1,A,T,1,0,30\nS,2,B,T,1,0,40\n",
			want:    schema.StatusNotEstimable,
			notWant: []schema.Status{schema.StatusZeroEvents, schema.StatusTooFewArms},
		},
		{
			// Every row of arm B has an empty AGE: with AGE as covariate
			// only arm A is left for the comparison.
			name:    "arm dropped by empty covariate",
			content: hdr + "S,1,A,T,1,0,30\nS,2,A,T,2,0,40\nS,3,A,T,3,1,50\nS,4,B,T,1,0,\nS,5,B,T,2,1,\n",
			opt:     Options{Covariates: []string{"AGE"}},
			want:    schema.StatusTooFewArms,
			logrank: true,
			notWant: []schema.Status{schema.StatusZeroEvents},
		},
		{
			// The rows with events have an empty AGE: the analysed rows
			// have no events in any arm.
			name:    "events dropped by empty covariate",
			content: hdr + "S,1,A,T,1,0,\nS,2,A,T,2,1,40\nS,3,B,T,3,0,\nS,4,B,T,2,1,50\n",
			opt:     Options{Covariates: []string{"AGE"}},
			want:    schema.StatusZeroEvents,
			logrank: true,
			notWant: []schema.Status{schema.StatusTooFewArms, schema.StatusNotEstimable},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			tab, rep := readTable(t, test.content)
			res, err := Analyze(tab, rep, test.opt)
			if err != nil {
				t.Fatal(err)
			}
			ep := res.Endpoints[0]
			if !slices.Contains(ep.Statuses, test.want) {
				t.Errorf("statuses %v (messages %q), want %s", ep.Statuses, ep.Messages, test.want)
			}
			for _, s := range test.notWant {
				if slices.Contains(ep.Statuses, s) {
					t.Errorf("statuses %v include %s", ep.Statuses, s)
				}
			}
			for _, s := range ep.Statuses {
				if !slices.Contains(study.Statuses, string(s)) {
					t.Errorf("status %s is not in study.Statuses: it cannot be allowed", s)
				}
			}
			reported := slices.ContainsFunc(ep.Tests, func(tr schema.TestRow) bool { return tr.Test == "logrank" })
			if reported != test.logrank {
				t.Errorf("log-rank test reported: %v, want %v (tests %+v)", reported, test.logrank, ep.Tests)
			}
			var b bytes.Buffer
			if err := WriteJSON(&b, res); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b.Bytes()) || regexp.MustCompile(`:\s*-?(NaN|Inf)`).Match(b.Bytes()) {
				t.Errorf("results.json is not valid or holds NaN")
			}
		})
	}
}

// TestNonFiniteNeverWritten checks the guards against NaN and Inf: a
// log-rank result with a non-finite number is not reported, and a Cox
// log-likelihood that is not finite is written as null, so that
// results.json can always be encoded.
func TestNonFiniteNeverWritten(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for i, test := range []struct {
		lr   logrank.Result
		want bool
	}{
		{logrank.Result{Chisq: 1, P: 0.3, Observed: []float64{1, 2}, Expected: []float64{1.5, 1.5}}, true},
		{logrank.Result{Chisq: nan, P: 0.3, Observed: []float64{1, 2}, Expected: []float64{1.5, 1.5}}, false},
		{logrank.Result{Chisq: 1, P: nan, Observed: []float64{1, 2}, Expected: []float64{1.5, 1.5}}, false},
		{logrank.Result{Chisq: 1, P: 0.3, Observed: []float64{1, 2}, Expected: []float64{inf, 1.5}}, false},
	} {
		if got := finiteLogRank(&test.lr); got != test.want {
			t.Errorf("case %d: finiteLogRank = %v, want %v", i, got, test.want)
		}
	}
	for i, test := range []struct {
		ll0, ll float64
		want    string
	}{
		{-10.5, -9.25, `"loglik_null":-10.5,"loglik":-9.25`},
		{nan, -9.25, `"loglik_null":null,"loglik":-9.25`},
		{-10.5, math.Inf(-1), `"loglik_null":-10.5,"loglik":null`},
	} {
		res := &schema.Results{Endpoints: []schema.Endpoint{{Paramcd: "T", Cox: &schema.CoxResult{Status: "not_converged", LogLik0: test.ll0, LogLik: test.ll, Terms: []schema.CoxTerm{{Term: "TRTP:B"}}}}}}
		var b bytes.Buffer
		if err := WriteJSON(&b, res); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		var compact bytes.Buffer
		json.Compact(&compact, b.Bytes())
		if !strings.Contains(compact.String(), test.want+`,"terms":[{"term":"TRTP:B"`) {
			t.Errorf("case %d: results.json %s, want %s", i, compact.String(), test.want)
		}
	}
}
