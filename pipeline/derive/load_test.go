package derive

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

const (
	okADSL = "STUDYID,USUBJID,TRT01P,AGE,SEX,RANDDY,EOSDY,DCSREAS,RESCDY\nS1,S1-1,KET,40,F,,28,,\nS1,S1-2,PBO,50,M,2,10,ADVERSE EVENT,9.5\n"
	okADQS = "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,S1-1,MADRS,BASELINE,0,30\nS1,S1-1,MADRS,DAY1,1,\n"
)

func TestLoad(t *testing.T) {
	d, err := Load(writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS}))
	if err != nil {
		t.Fatal(err)
	}
	if d.StudyID != "S1" || len(d.Subjects) != 2 || len(d.Assessments) != 2 || len(d.Events) != 0 {
		t.Fatalf("got %+v", d)
	}
	s2 := d.Subjects[1]
	if s2.RandDay != 2 || s2.EndDay != 10 || s2.RescueDay != 9.5 || s2.DiscReason != "ADVERSE EVENT" || s2.Line != 3 {
		t.Errorf("subject 2: %+v", s2)
	}
	if !math.IsNaN(d.Subjects[0].RandDay) {
		t.Errorf("empty RANDDY read as %v, want NaN", d.Subjects[0].RandDay)
	}
	if strings.Join(d.CovariateNames, ",") != "AGE,SEX" || strings.Join(s2.Covariates, ",") != "50,M" {
		t.Errorf("covariates %v %v, want AGE,SEX 50,M", d.CovariateNames, s2.Covariates)
	}
	if a := d.Assessments[1]; !math.IsNaN(a.Value) || a.Line != 3 || a.Visit != "DAY1" {
		t.Errorf("missed assessment read as %+v, want NaN value on line 3", a)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, test := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"missing adsl", map[string]string{"adqs.csv": okADQS}, []string{"could not open", "adsl.csv"}},
		{"missing column", map[string]string{"adsl.csv": "STUDYID,USUBJID\nS1,S1-1\n", "adqs.csv": okADQS}, []string{"adsl.csv: line 1: column TRT01P is missing"}},
		{"bad RANDDY", map[string]string{"adsl.csv": "STUDYID,USUBJID,TRT01P,RANDDY\nS1,S1-1,KET,day 2\n", "adqs.csv": okADQS}, []string{"adsl.csv: line 2, column 4 (RANDDY)", `"day 2"`}},
		{"bad ADY", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,DAY2,,20\n"}, []string{"adqs.csv: line 4, column 5 (ADY)"}},
		{"infinite AVAL", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,DAY2,2,Inf\n"}, []string{"adqs.csv: line 4, column 6 (AVAL)"}},
		{"other study", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S2,S1-1,MADRS,DAY2,2,20\n"}, []string{"adqs.csv: line 4, column 1 (STUDYID)", `"S2"`}},
		{"empty USUBJID", map[string]string{"adsl.csv": okADSL + "S1,,KET,1,F,,,,\n", "adqs.csv": okADQS}, []string{"adsl.csv: line 4, column 2 (USUBJID)"}},
		{"bad quoting", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS + "S1,S1-1,MADRS,\"DAY2,2,20\n"}, []string{"adqs.csv: line 4"}},
		{"bad adce day", map[string]string{"adsl.csv": okADSL, "adqs.csv": okADQS, "adce.csv": "STUDYID,USUBJID,ADY,CETERM\nS1,S1-1,x,HOSPITALIZATION\n"}, []string{"adce.csv: line 2, column 3 (ADY)"}},
	} {
		_, err := Load(writeStudy(t, test.files))
		if err == nil {
			t.Errorf("%s: no error", test.name)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", test.name, err, w)
			}
		}
	}
}
