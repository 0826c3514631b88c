package ingest

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const studyYAML = `id: S1
time_unit: days
synthetic: true
arms:
  - {name: KET, class: ketamine}
  - {name: MID, class: active-control}
control: MID
endpoints:
  - {paramcd: TTRESP, kind: response}
`

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

func TestRunReconciles(t *testing.T) {
	dir := writeStudy(t, map[string]string{
		"study.yaml": studyYAML,
		"adsl.csv":   "STUDYID,USUBJID,TRT01P,AGE\nS1,1,KET,30\nS1,2,MID,41\nS1,3,MID,\n",
		"adqs.csv":   "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,1,MADRS,BASELINE,-1,34\nS1,1,MADRS,DAY1,1,\nS1,2,MADRS,BASELINE,0,30\n",
		"adtte.csv":  "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS1,1,KET,TTRESP,1,0\nS1,2,MID,TTRESP,7,1\nS1,3,MID,TTRESP,2,0\nS1,3,MID,TTOTHER,2,0\n",
	})
	in, err := FindInput(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, problems, err := Run(in)
	if err != nil {
		t.Fatal(err)
	}
	if sum.RowsRead != 10 || sum.Accepted != 8 || sum.Rejected != 2 || len(problems) != 2 {
		t.Errorf("read/accepted/rejected/problems = %d/%d/%d/%d, want 10/8/2/2", sum.RowsRead, sum.Accepted, sum.Rejected, len(problems))
	}
	for _, f := range sum.Files {
		if f.RowsRead != f.Accepted+f.Rejected {
			t.Errorf("%s: counts do not reconcile: %+v", f.File, f)
		}
	}
	want := []Count{{"TTRESP", "KET", 1, 1, 0}, {"TTRESP", "MID", 2, 1, 1}}
	if len(sum.Counts) != 2 || sum.Counts[0] != want[0] || sum.Counts[1] != want[1] {
		t.Errorf("counts %+v, want %+v", sum.Counts, want)
	}
	out := t.TempDir()
	if err := WriteOutputs(out, sum, problems); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1][1] != "3" || recs[1][2] != "AVAL" || recs[2][1] != "5" || recs[2][2] != "PARAMCD" {
		t.Errorf("rejects.csv = %q; want the empty ADQS AVAL at line 3 and the undeclared PARAMCD at line 5", recs)
	}
	data, err := os.ReadFile(filepath.Join(out, "ingest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(data, &back); err != nil || back.Rejected != 2 || back.Schema != SchemaVersion {
		t.Errorf("ingest.json round trip: %v %+v", err, back)
	}
}

func TestRunFatalAcrossFiles(t *testing.T) {
	dir := writeStudy(t, map[string]string{
		"study.yaml": studyYAML,
		"adsl.csv":   "STUDYID,USUBJID,TRT01P\nS1,1,KET\nS1,1,MID\n",
		"adtte.csv":  "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS1,1,KET,TTRESP,1,0\nS1,9,MID,TTRESP,7,1\n",
	})
	in, err := FindInput(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, problems, err := Run(in)
	if err == nil {
		t.Fatal("no error for a duplicate ADSL subject and an ADTTE subject missing from ADSL")
	}
	for _, want := range []string{"adsl.csv: line 3, column 2 (USUBJID)", "already appears at line 2", "adtte.csv: line 3, column 2 (USUBJID)", "subject 9 is not in ADSL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if sum.RowsRead != sum.Accepted+sum.Rejected || sum.Rejected != 2 || len(problems) != 2 {
		t.Errorf("summary %+v, %d problems", sum, len(problems))
	}
}

func TestFindInputErrors(t *testing.T) {
	if _, err := FindInput(t.TempDir(), ""); err == nil || !strings.Contains(err.Error(), "study.yaml is missing") {
		t.Errorf("no study.yaml: error %v", err)
	}
	dir := writeStudy(t, map[string]string{"study.yaml": studyYAML})
	if _, err := FindInput(dir, ""); err == nil || !strings.Contains(err.Error(), "has no adtte.csv") {
		t.Errorf("no adtte.csv: error %v", err)
	}
}
