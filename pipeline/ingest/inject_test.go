package ingest

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
)

// Text cells of rejects.csv that a spreadsheet would run as a formula get
// a leading quote; numbers (a rejected score of -5) and the line and
// fatal columns never do; RawCSV keeps every cell as it is.
func TestRejectsInjection(t *testing.T) {
	problems := []adam.Problem{
		{File: "adsl.csv", Line: 2, Column: "TRT01P", Value: "=HYPERLINK(\"http://x\",\"click\")", Reason: "arm not in study.yaml", Fatal: true},
		{File: "adqs.csv", Line: 3, Column: "AVAL", Value: "-5", Reason: "AVAL -5 is outside the range of MADRS", Fatal: true},
		{File: "adqs.csv", Line: 4, Column: "AVISIT", Value: "@SUM(A1)", Reason: "+cmd|' /C calc'!A0", Fatal: false},
		{File: "adqs.csv", Line: 5, Column: "USUBJID", Value: "\t-1+1", Reason: "-0.5", Fatal: false},
	}
	for _, raw := range []bool{false, true} {
		var b strings.Builder
		if err := WriteRejects(&b, problems, WriteOptions{RawCSV: raw}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		q := "'"
		if raw {
			q = ""
		}
		want := [][]string{
			{"adsl.csv", "2", "TRT01P", q + "=HYPERLINK(\"http://x\",\"click\")", "arm not in study.yaml", "true"},
			{"adqs.csv", "3", "AVAL", "-5", "AVAL -5 is outside the range of MADRS", "true"},
			{"adqs.csv", "4", "AVISIT", q + "@SUM(A1)", q + "+cmd|' /C calc'!A0", "false"},
			{"adqs.csv", "5", "USUBJID", q + "\t-1+1", "-0.5", "false"},
		}
		for i, w := range want {
			if strings.Join(recs[i+1], "|") != strings.Join(w, "|") {
				t.Errorf("raw %v: row %d = %q, want %q", raw, i+1, recs[i+1], w)
			}
		}
	}
}
