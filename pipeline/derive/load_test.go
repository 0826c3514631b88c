package derive

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

func writeStudy(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadStudy is the study.yaml of the Load tests: id S1, arms KET and PBO.
func loadStudy(t *testing.T) *study.Study {
	t.Helper()
	s, err := study.Parse("study.yaml", []byte(`id: S1
time_unit: days
arms:
  - {name: KET, class: ketamine}
  - {name: PBO, class: placebo}
control: PBO
endpoints:
  - paramcd: TTRESP
    kind: response
    derive:
      source: MADRS
      event: {reduction: 0.5}
`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	okADSL = "STUDYID,USUBJID,TRT01P,AGE,SEX,RANDDY,EOSDY,DCSREAS,RESCDY\nS1,S1-1,KET,40,F,,28,,\nS1,S1-2,PBO,50,M,2,10,ADVERSE EVENT,9.5\n"
	okADQS = "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,S1-1,MADRS,BASELINE,0,30\nS1,S1-1,MADRS,DAY1,1,\nS1,S1-1,MADRS,DAY2,2,14\n"
	ceHead = "STUDYID,USUBJID,ADY,CETERM\n"
)

func TestLoad(t *testing.T) {
	dir := writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS})
	d, err := Load(dir, loadStudy(t))
	if err != nil {
		t.Fatal(err)
	}
	if d.StudyID != "S1" || len(d.Subjects) != 2 || len(d.Assessments) != 3 || len(d.Events) != 0 || d.HasADCE {
		t.Fatalf("got %+v", d)
	}
	if d.ADQSFile != filepath.Join(dir, "adqs.csv") || d.ADCEFile != filepath.Join(dir, "adce.csv") {
		t.Errorf("ADQSFile %q ADCEFile %q, want the paths in %s", d.ADQSFile, d.ADCEFile, dir)
	}
	s2 := d.Subjects[1]
	if s2.RandDay != 2 || s2.EndDay != 10 || s2.RescueDay != 9.5 || s2.DiscReason != "ADVERSE EVENT" || s2.Line != 3 || s2.Arm != "PBO" {
		t.Errorf("subject 2: %+v", s2)
	}
	if s1 := d.Subjects[0]; !math.IsNaN(s1.RandDay) || !math.IsNaN(s1.RescueDay) || s1.EndDay != 28 || s1.DiscReason != "" {
		t.Errorf("subject 1: %+v, want NaN RANDDY and RESCDY, EOSDY 28, no DCSREAS", s1)
	}
	if strings.Join(d.CovariateNames, ",") != "AGE,SEX" || strings.Join(s2.Covariates, ",") != "50,M" {
		t.Errorf("covariates %v %v, want AGE,SEX 50,M", d.CovariateNames, s2.Covariates)
	}
	// The missed assessment keeps its place in file order, with Value NaN.
	for k, want := range []struct {
		line  int
		visit string
		value float64
	}{{2, "BASELINE", 30}, {3, "DAY1", math.NaN()}, {4, "DAY2", 14}} {
		a := d.Assessments[k]
		if a.Line != want.line || a.Visit != want.visit || !(a.Value == want.value || math.IsNaN(a.Value) && math.IsNaN(want.value)) {
			t.Errorf("assessment %d: %+v, want line %d visit %s value %v", k, a, want.line, want.visit, want.value)
		}
	}
}

// TestLoadADCE checks adce.csv: absent, a header alone (no event occurred),
// and events with extra columns.
func TestLoadADCE(t *testing.T) {
	for _, test := range []struct {
		name    string
		adce    *string
		has     bool
		events  int
		firstOK func(ClinicalEvent) bool
	}{
		{"absent", nil, false, 0, nil},
		{"header alone", ptr(ceHead), true, 0, nil},
		{"header alone, CRLF", ptr("STUDYID,USUBJID,ADY,CETERM\r\n"), true, 0, nil},
		{"events", ptr("STUDYID,USUBJID,ADY,CETERM,CESEV\nS1, S1-2 ,7.5,HOSPITALIZATION,SEVERE\nS1,S1-1,3,SUICIDE_ATTEMPT,\n"), true, 2,
			func(e ClinicalEvent) bool {
				return e == ClinicalEvent{USUBJID: "S1-2", Term: "HOSPITALIZATION", Day: 7.5, Line: 2}
			}},
	} {
		t.Run(test.name, func(t *testing.T) {
			files := map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS}
			if test.adce != nil {
				files["adce.csv"] = *test.adce
			}
			d, err := Load(writeStudy(t, files), loadStudy(t))
			if err != nil {
				t.Fatal(err)
			}
			if d.HasADCE != test.has || len(d.Events) != test.events {
				t.Fatalf("HasADCE %v, %d events; want %v, %d", d.HasADCE, len(d.Events), test.has, test.events)
			}
			if test.firstOK != nil && !test.firstOK(d.Events[0]) {
				t.Errorf("first event %+v", d.Events[0])
			}
		})
	}
}

func ptr(s string) *string { return &s }

// TestLoadErrors checks that every error of Load names the full path of the
// file, the line and the column, as ingest does (package adam formats), and
// the fix.
func TestLoadErrors(t *testing.T) {
	for _, test := range []struct {
		name  string
		files map[string]string
		file  string // the file named first
		where string // position right after the path
		want  []string
	}{
		{"missing adsl", map[string]string{"adqs.csv": okADQS}, "adsl.csv", "", []string{"could not open data file"}},
		{"missing adqs", map[string]string{"adsl.csv": okADSL}, "adqs.csv", "", []string{"could not open data file"}},
		{"missing column", map[string]string{"adsl.csv": "STUDYID,USUBJID\nS1,S1-1\n", "adqs.csv": okADQS}, "adsl.csv", ": line 1, column TRT01P (absent): ", []string{"required column TRT01P is missing"}},
		{"empty adqs", map[string]string{"adsl.csv": okADSL, "adqs.csv": ""}, "adqs.csv", ": line 1: ", []string{"the file is empty"}},
		{"bad RANDDY", map[string]string{"adsl.csv": "STUDYID,USUBJID,TRT01P,RANDDY\nS1,S1-1,KET,day 2\n", "adqs.csv": okADQS}, "adsl.csv", ": line 2, column 4 (RANDDY): ", []string{`RANDDY "day 2" is not a finite number`}},
		{"infinite RESCDY", map[string]string{"adsl.csv": strings.Replace(okADSL, "ADVERSE EVENT,9.5", "ADVERSE EVENT,+Inf", 1), "adqs.csv": okADQS}, "adsl.csv", ": line 3, column 9 (RESCDY): ", []string{"not a finite number"}},
		{"unknown arm", map[string]string{"adsl.csv": strings.Replace(okADSL, "S1-2,PBO", "S1-2,KETAMIN", 1), "adqs.csv": okADQS}, "adsl.csv", ": line 3, column 3 (TRT01P): ", []string{`unknown arm "KETAMIN"`, "KET, PBO"}},
		{"duplicate subject", map[string]string{"adsl.csv": okADSL + "S1,S1-1,PBO,1,F,,,,\n", "adqs.csv": okADQS}, "adsl.csv", ": line 4, column 2 (USUBJID): ", []string{"subject S1-1 already appears at line 2"}},
		{"empty USUBJID", map[string]string{"adsl.csv": okADSL + "S1,,KET,1,F,,,,\n", "adqs.csv": okADQS}, "adsl.csv", ": line 4, column 2 (USUBJID): ", []string{"USUBJID is empty"}},
		{"bad ADY", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,DAY3,,20\n"}, "adqs.csv", ": line 5, column 5 (ADY): ", []string{`ADY "" is not a finite number`}},
		{"infinite AVAL", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,DAY3,3,Inf\n"}, "adqs.csv", ": line 5, column 6 (AVAL): ", []string{`AVAL "Inf" is not a finite number`}},
		{"other study", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S2,S1-1,MADRS,DAY3,3,20\n"}, "adqs.csv", ": line 5, column 1 (STUDYID): ", []string{`STUDYID "S2" is not this study's id "S1"`}},
		{"subject not in adsl", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-9,MADRS,DAY3,3,20\n"}, "adqs.csv", ": line 5, column 2 (USUBJID): ", []string{"subject S1-9 is not in ADSL"}},
		{"empty PARAMCD", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,,DAY3,3,20\n"}, "adqs.csv", ": line 5, column 3 (PARAMCD): ", []string{"PARAMCD is empty"}},
		{"bad quoting", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,DA\"Y3,3,20\n"}, "adqs.csv", ": line 5, column 4 (AVISIT): ", []string{"malformed CSV"}},
		{"adce missing column", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": "STUDYID,USUBJID,ADY\nS1,S1-1,3\n"}, "adce.csv", ": line 1, column CETERM (absent): ", []string{"required column CETERM is missing", "ADCE"}},
		{"adce empty file", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": ""}, "adce.csv", ": line 1: ", []string{"the file is empty"}},
		{"adce bad day", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": ceHead + "S1,S1-1,x,HOSPITALIZATION\n"}, "adce.csv", ": line 2, column 3 (ADY): ", []string{`ADY "x" is not a finite number`}},
		{"adce NaN day", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": ceHead + "S1,S1-1,3,HOSPITALIZATION\nS1,S1-1,NaN,HOSPITALIZATION\n"}, "adce.csv", ": line 3, column 3 (ADY): ", []string{"not a finite number"}},
		{"adce empty term", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": ceHead + "S1,S1-1,3, \n"}, "adce.csv", ": line 2, column 4 (CETERM): ", []string{"CETERM is empty"}},
		{"adce unknown subject", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": ceHead + "S1,S1-7,3,HOSPITALIZATION\n"}, "adce.csv", ": line 2, column 2 (USUBJID): ", []string{"subject S1-7 is not in ADSL"}},
		{"adce other study", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": ceHead + "S9,S1-1,3,HOSPITALIZATION\n"}, "adce.csv", ": line 2, column 1 (STUDYID): ", []string{"not this study's id"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := writeStudy(t, test.files)
			_, err := Load(dir, loadStudy(t))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if want := filepath.Join(dir, test.file) + test.where; !strings.Contains(msg, want) {
				t.Errorf("error %q does not name the file and position %q", msg, want)
			}
			if test.where != "" && !errors.Is(err, adam.ErrInvalid) {
				t.Errorf("error %q does not wrap adam.ErrInvalid", msg)
			}
			for _, w := range test.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// TestLoadErrorsAll checks that the error lists every fatal problem of
// every file, in file and line order, up to MaxListedProblems after the
// first, and counts the rest.
func TestLoadErrorsAll(t *testing.T) {
	t.Run("across files", func(t *testing.T) {
		dir := writeStudy(t, map[string]string{
			"adsl.csv": strings.Replace(okADSL, "S1-2,PBO", "S1-2,KETAMIN", 1),
			"adqs.csv": okADQS + "S1,S1-1,MADRS,DAY3,3,ten\nS1,S1-1,MADRS,DAY4,four,20\n",
			"adce.csv": "STUDYID,USUBJID,ADY\nS1,S1-1,3\n",
		})
		_, err := Load(dir, loadStudy(t))
		if err == nil {
			t.Fatal("no error")
		}
		path := func(f string) string { return filepath.Join(dir, f) }
		want := []string{
			"invalid data file: " + path("adsl.csv") + ": line 3, column 3 (TRT01P): unknown arm \"KETAMIN\"",
			"(and 2 more problems, listed below)",
			"\n  " + path("adqs.csv") + ": line 5, column 6 (AVAL): AVAL \"ten\"",
			"\n  " + path("adqs.csv") + ": line 6, column 5 (ADY): ADY \"four\"",
			"\ninvalid data file: " + path("adce.csv") + ": line 1, column CETERM (absent)",
		}
		msg := err.Error()
		at := 0
		for _, w := range want {
			i := strings.Index(msg[at:], w)
			if i < 0 {
				t.Fatalf("error\n%s\ndoes not contain, in order, %q", msg, w)
			}
			at += i + len(w)
		}
	})
	t.Run("one more", func(t *testing.T) {
		dir := writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,DAY3,3,ten\nS1,S1-1,MADRS,DAY4,4,x\n"})
		_, err := Load(dir, loadStudy(t))
		if err == nil || !strings.Contains(err.Error(), "(and 1 more problem, listed below)\n  "+filepath.Join(dir, "adqs.csv")+": line 6, column 6 (AVAL)") {
			t.Errorf("error %v does not list the second problem", err)
		}
	})
	t.Run("many", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(okADQS)
		n := MaxListedProblems + 5
		for i := range n {
			fmt.Fprintf(&b, "S1,S1-1,MADRS,DAY%d,%d,bad\n", i+3, i+3)
		}
		dir := writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": b.String()})
		_, err := Load(dir, loadStudy(t))
		if err == nil {
			t.Fatal("no error")
		}
		msg := err.Error()
		if !strings.Contains(msg, fmt.Sprintf("(and %d more problems; the next %d are listed below", n-1, MaxListedProblems)) {
			t.Errorf("error %q does not count the problems", msg)
		}
		if got := strings.Count(msg, "\n  "); got != MaxListedProblems {
			t.Errorf("%d problems listed after the first, want %d:\n%s", got, MaxListedProblems, msg)
		}
		last := fmt.Sprintf(": line %d, column 6 (AVAL)", 5+MaxListedProblems)
		if !strings.Contains(msg, last) || strings.Contains(msg, fmt.Sprintf(": line %d,", 6+MaxListedProblems)) {
			t.Errorf("error %q does not end with the problem at line %d", msg, 5+MaxListedProblems)
		}
	})
}

func TestLoadNilStudyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Load(t.TempDir(), nil)
}
