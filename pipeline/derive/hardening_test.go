package derive

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// hardStudy is loadStudy's study with the origin of TTRESP at study day
// originDay ("" for the default: first dose).
func hardStudy(t *testing.T, originDay string) *study.Study {
	t.Helper()
	origin := ""
	if originDay != "" {
		origin = "\n      origin: day\n      origin_day: " + originDay
	}
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
      event: {reduction: 0.5}`+origin+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Days near 1e300 (or at the float64 limit) are errors naming the file,
// line and column, never +Inf or -Inf in adtte.csv.
func TestHugeDays(t *testing.T) {
	for i, test := range []struct {
		adqs, originDay string
		want            []string
	}{
		{"S1,S1-1,MADRS,DAY2,1e300,14\n", "", []string{"adqs.csv: line 4, column 5 (ADY)", "ADY 1e+300 is beyond ±1e+06 days"}},
		{"S1,S1-1,MADRS,DAY2,-1.7e308,14\n", "", []string{"adqs.csv: line 4, column 5 (ADY)", "-1.7e+308"}},
		{"S1,S1-1,MADRS,DAY2,2,14\n", "1e300", []string{"study.yaml: line 14", "origin_day 1e+300 is beyond"}},
		{"S1,S1-1,MADRS,DAY2,1.7e308,14\n", "-1.7e308", []string{"study.yaml: line 14", "origin_day -1.7e+308"}},
		{"S1,S1-1,MADRS,DAY2,1000000,14\n", "-1000000", nil}, // at the limit: finite, written
	} {
		adqs := "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,S1-1,MADRS,BASELINE,0,30\nS1,S1-2,MADRS,BASELINE,0,30\n" + test.adqs
		dir := writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": adqs})
		s := hardStudy(t, test.originDay)
		d, err := Load(dir, s)
		if err != nil {
			t.Fatalf("test %d: Load: %v", i, err)
		}
		r, err := Derive(s, d)
		if test.want == nil {
			if err != nil {
				t.Fatalf("test %d: %v", i, err)
			}
			var b bytes.Buffer
			if err := WriteADTTE(&b, "S1", nil, r, WriteOptions{}); err != nil {
				t.Fatalf("test %d: %v", i, err)
			}
			if strings.Contains(b.String(), "Inf") || !strings.Contains(b.String(), ",2000000,0,") {
				t.Errorf("test %d: adtte.csv\n%s\nwant AVAL 2000000, no Inf", i, b.String())
			}
			continue
		}
		if err == nil {
			t.Errorf("test %d: no error, want %q", i, test.want)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("test %d: error %q does not contain %q", i, err, w)
			}
		}
	}
}

// adsl.csv days are bounded too.
func TestHugeADSLDay(t *testing.T) {
	adsl := "STUDYID,USUBJID,TRT01P,AGE,SEX,RANDDY,EOSDY,DCSREAS,RESCDY\nS1,S1-1,KET,40,F,,1e300,,\nS1,S1-2,PBO,50,M,2,10,,\n"
	dir := writeStudy(t, map[string]string{"adsl.csv": adsl, "adqs.csv": okADQS})
	s := hardStudy(t, "")
	d, err := Load(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Derive(s, d)
	if err == nil || !strings.Contains(err.Error(), "adsl.csv: line 2, column 7 (EOSDY): EOSDY 1e+300") {
		t.Errorf("error %v, want adsl.csv line 2 column 7 EOSDY", err)
	}
}

// The writer is the last guard: a row with an infinite value (data made
// without Derive) is an error naming the subject and column.
func TestWriteADTTERejectsInf(t *testing.T) {
	r := &Result{Rows: []Row{{USUBJID: "S1-1", Arm: "KET", Paramcd: "TTRESP", Time: 1, OriginDay: math.Inf(-1),
		AnchorDay: math.NaN(), RespDay: math.NaN(), RespValue: math.NaN(), SourceDay: 1, SourceValue: 3, Base: math.NaN(), BaseDay: math.NaN(), ConfirmDay: math.NaN(), Lower: math.NaN(), Upper: 1}}}
	var b bytes.Buffer
	err := WriteADTTE(&b, "S1", nil, r, WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "subject S1-1, endpoint TTRESP: ORIGDY = -Inf is not a finite number") {
		t.Errorf("error %v, want ORIGDY -Inf named", err)
	}
	// A large finite score is written exactly, not as +Inf (1e300·1e9
	// overflowed the rounding before).
	if got := formatFloat(1e300); got != "1e+300" {
		t.Errorf("formatFloat(1e300) = %q", got)
	}
	for v, want := range map[float64]string{-1.5e6: "-1500000", 1.25e7: "12500000", 2.000000000004: "2", 14.027780000000002: "14.02778"} {
		if got := formatFloat(v); got != want {
			t.Errorf("formatFloat(%v) = %q, want %q", v, got, want)
		}
	}
}

// MADRS −5 or 999 after baseline is rejected by the ADQS reader (package
// adam's instrument ranges, MADRS 0–60) before anything is derived: Load
// fails naming the line, so the score can never count as a response.
func TestOutOfRangeScoreNeverAResponse(t *testing.T) {
	for _, score := range []string{"-5", "999", "60.5"} {
		adqs := "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,S1-1,MADRS,BASELINE,0,30\nS1,S1-1,MADRS,40MIN,0.02778," + score + "\nS1,S1-1,MADRS,DAY1,1,29\n"
		dir := writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": adqs})
		s := hardStudy(t, "")
		d, err := Load(dir, s)
		if err == nil {
			r, _ := Derive(s, d)
			t.Fatalf("MADRS %s accepted; rows %+v", score, r.Rows)
		}
		if !strings.Contains(err.Error(), "adqs.csv: line 3") || !strings.Contains(err.Error(), "outside the range of MADRS") {
			t.Errorf("MADRS %s: error %v, want line 3 and the MADRS range", score, err)
		}
	}
	// 0 and 60 are in range: 0 after baseline 30 is a response at 40 min.
	adqs := "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,S1-1,MADRS,BASELINE,0,60\nS1,S1-1,MADRS,40MIN,0.02778,0\n"
	dir := writeStudy(t, map[string]string{"adsl.csv": okADSL, "adqs.csv": adqs})
	s := hardStudy(t, "")
	d, err := Load(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Derive(s, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) == 0 || r.Rows[0].Censored || r.Rows[0].Time != 0.02778 {
		t.Errorf("rows %+v, want S1-1 responding at day 0.02778", r.Rows)
	}
}

// Text cells that a spreadsheet would run as a formula get a leading
// quote (package csvsafe), in adtte.csv's descriptive columns and every
// column of the exclusions file; numbers never do; -raw-csv keeps them.
func TestCSVInjection(t *testing.T) {
	r := &Result{
		Rows: []Row{{USUBJID: "S1-1", Arm: "KET", Paramcd: "TTRESP", Time: -0.5, Censored: true, CensorDesc: "=HYPERLINK(\"x\")",
			OriginDay: 0.5, AnchorDay: math.NaN(), RespDay: math.NaN(), RespValue: math.NaN(), SourceDomain: DomainADQS, SourceParam: "MADRS",
			SourceVisit: "@SUM(A1)", SourceDay: 0, SourceValue: -3, Base: math.NaN(), BaseDay: math.NaN(), ConfirmDay: math.NaN(), Lower: 0, Upper: math.NaN()}},
		Exclusions: []Exclusion{{USUBJID: "+S1-2", Arm: "-KET", Paramcd: "TTRESP", Reason: "\tno baseline"}},
	}
	for _, raw := range []bool{false, true} {
		var a, e bytes.Buffer
		if err := WriteADTTE(&a, "S1", nil, r, WriteOptions{RawCSV: raw}); err != nil {
			t.Fatal(err)
		}
		if err := WriteExclusions(&e, "S1", r, WriteOptions{RawCSV: raw}); err != nil {
			t.Fatal(err)
		}
		row := readAll(t, a.String())[1]
		ex := readAll(t, e.String())[1]
		q := "'"
		if raw {
			q = ""
		}
		for _, c := range []struct{ got, want string }{
			{row[4], "-0.5"}, {row[7], q + "=HYPERLINK(\"x\")"}, {row[15], q + "@SUM(A1)"}, {row[17], "-3"},
			{ex[1], q + "+S1-2"}, {ex[2], q + "-KET"}, {ex[4], q + "\tno baseline"},
		} {
			if c.got != c.want {
				t.Errorf("raw %v: cell %q, want %q", raw, c.got, c.want)
			}
		}
	}
}

func readAll(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
