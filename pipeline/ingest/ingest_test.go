package ingest

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
	want := []Count{{Paramcd: "TTRESP", Arm: "KET", N: 1, Events: 1}, {Paramcd: "TTRESP", Arm: "MID", N: 2, Events: 1, Censored: 1}}
	if len(sum.Counts) != 2 || sum.Counts[0] != want[0] || sum.Counts[1] != want[1] {
		t.Errorf("counts %+v, want %+v", sum.Counts, want)
	}
	out := t.TempDir()
	if err := WriteOutputs(out, sum, problems, WriteOptions{}); err != nil {
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

// TestRunCountsADCE checks that adce.csv, when the folder has one, is read,
// validated against ADSL and counted in ingest.json: rows read = accepted +
// rejected, in the files list between adqs.csv and the ADTTE file; a header
// alone is valid and counts zero rows.
func TestRunCountsADCE(t *testing.T) {
	for _, test := range []struct {
		name                     string
		adce                     string
		read, accepted, rejected int
	}{
		{"events", "STUDYID,USUBJID,ADY,CETERM\nS1,1,3,HOSPITALIZATION\n,,,\nS1,2,10.5,SUICIDE_ATTEMPT\n", 3, 2, 1},
		{"header alone", "STUDYID,USUBJID,ADY,CETERM\n", 0, 0, 0},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := writeStudy(t, map[string]string{
				"study.yaml": studyYAML,
				"adsl.csv":   "STUDYID,USUBJID,TRT01P\nS1,1,KET\nS1,2,MID\n",
				"adqs.csv":   "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\nS1,1,MADRS,BASELINE,0,30\n",
				"adce.csv":   test.adce,
				"adtte.csv":  "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS1,1,KET,TTRESP,1,0\nS1,2,MID,TTRESP,7,1\n",
			})
			in, err := FindInput(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			if in.ADCE != filepath.Join(dir, "adce.csv") {
				t.Fatalf("FindInput: ADCE %q", in.ADCE)
			}
			sum, problems, err := Run(in)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range sum.Files {
				names = append(names, filepath.Base(f.File))
			}
			if !reflect.DeepEqual(names, []string{"adsl.csv", "adqs.csv", "adce.csv", "adtte.csv"}) {
				t.Fatalf("files %v", names)
			}
			ce := sum.Files[2]
			if ce.RowsRead != test.read || ce.Accepted != test.accepted || ce.Rejected != test.rejected || ce.SHA256 == "" {
				t.Errorf("adce.csv: %+v; want %d read = %d accepted + %d rejected", ce, test.read, test.accepted, test.rejected)
			}
			if sum.RowsRead != 2+1+test.read+2 || sum.RowsRead != sum.Accepted+sum.Rejected || len(problems) != sum.Rejected {
				t.Errorf("summary %d read = %d accepted + %d rejected, %d problems", sum.RowsRead, sum.Accepted, sum.Rejected, len(problems))
			}
		})
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

// TestStudyHash checks that ingest.json records study.yaml and the SHA-256
// of its bytes, so that a report can be traced to the exact analysis plan:
// two study files that differ by one byte have different hashes.
func TestStudyHash(t *testing.T) {
	const adtte = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS1,1,KET,TTRESP,1,0\nS1,2,MID,TTRESP,7,1\n"
	for _, test := range []struct {
		name, study string
	}{
		{"plain", studyYAML},
		{"one byte more", studyYAML + "\n"},
		{"CRLF", strings.ReplaceAll(studyYAML, "\n", "\r\n")},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := writeStudy(t, map[string]string{"study.yaml": test.study, "adtte.csv": adtte})
			in, err := FindInput(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			sum, _, err := Run(in)
			if err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256([]byte(test.study))
			if sum.StudyFile != filepath.Join(dir, "study.yaml") || sum.StudySHA256 != hex.EncodeToString(want[:]) {
				t.Errorf("study_file %q, study_sha256 %q; want %s and %x", sum.StudyFile, sum.StudySHA256, filepath.Join(dir, "study.yaml"), want)
			}
			out := t.TempDir()
			if err := WriteOutputs(out, sum, nil, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(out, "ingest.json"))
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if back["study_sha256"] != hex.EncodeToString(want[:]) || back["study_file"] != sum.StudyFile {
				t.Errorf("ingest.json study_file %v, study_sha256 %v", back["study_file"], back["study_sha256"])
			}
		})
	}
}

// TestRunBadFiles checks fatal problems of each file of a study folder:
// the error names the file, line and column, every data row is counted
// (a malformed row does not stop the reading) and rejects.csv lists the
// rejected rows.
func TestRunBadFiles(t *testing.T) {
	const (
		adsl  = "STUDYID,USUBJID,TRT01P\nS1,1,KET\nS1,2,MID\n"
		adtte = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS1,1,KET,TTRESP,1,0\nS1,2,MID,TTRESP,7,1\n"
	)
	for _, test := range []struct {
		name    string
		files   map[string]string
		want    []string // in the error
		read    int
		rejects [][]string // line, column, fatal of each rejects.csv row
	}{
		{
			name:  "empty adsl",
			files: map[string]string{"adsl.csv": "", "adtte.csv": adtte},
			want:  []string{"adsl.csv: line 1: the file is empty"},
			read:  2,
		},
		{
			name:  "header-only adqs",
			files: map[string]string{"adsl.csv": adsl, "adqs.csv": "STUDYID,USUBJID,PARAMCD,ADY,AVAL\n", "adtte.csv": adtte},
			want:  []string{"adqs.csv: line 1: the file has a header but no data rows"},
			read:  4,
		},
		{
			name:  "adqs without ADY",
			files: map[string]string{"adsl.csv": adsl, "adqs.csv": "STUDYID,USUBJID,PARAMCD,AVAL\nS1,1,MADRS,30\n", "adtte.csv": adtte},
			want:  []string{"adqs.csv: line 1, column ADY (absent): required column ADY is missing"},
			read:  4,
		},
		{
			name:  "unknown TRT01P",
			files: map[string]string{"adsl.csv": "STUDYID,USUBJID,TRT01P\nS1,1,KET\nS1,2,PBO\n", "adtte.csv": adtte},
			want:  []string{"adsl.csv: line 3, column 3 (TRT01P): unknown arm \"PBO\""},
			read:  4,
			// Subject 2 is in adsl.csv, its row is wrong: its ADTTE row
			// (line 3) is not rejected again as "not in ADSL".
			rejects: [][]string{{"3", "TRT01P", "true"}},
		},
		{
			name:    "bad adce rows",
			files:   map[string]string{"adsl.csv": adsl, "adce.csv": "STUDYID,USUBJID,ADY,CETERM\nS1,1,3,HOSPITALIZATION\nS1,2,x,HOSPITALIZATION\nS1,9,4,SUICIDE_ATTEMPT\nS1,1,5,\n,,,\n", "adtte.csv": adtte},
			want:    []string{"adce.csv: line 3, column 3 (ADY): ADY \"x\" is not a finite number", "and 2 more problems"},
			read:    9,
			rejects: [][]string{{"3", "ADY", "true"}, {"4", "USUBJID", "true"}, {"5", "CETERM", "true"}, {"6", "", "false"}},
		},
		{
			name:  "adce without CETERM",
			files: map[string]string{"adsl.csv": adsl, "adce.csv": "STUDYID,USUBJID,ADY\nS1,1,3\n", "adtte.csv": adtte},
			want:  []string{"adce.csv: line 1, column CETERM (absent): required column CETERM is missing"},
			read:  4,
		},
		{
			name:  "empty adce",
			files: map[string]string{"adsl.csv": adsl, "adce.csv": "", "adtte.csv": adtte},
			want:  []string{"adce.csv: line 1: the file is empty"},
			read:  4,
		},
		{
			name:    "malformed adtte rows",
			files:   map[string]string{"adtte.csv": "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS1,1,K\"ET,TTRESP,1,0\nS1,2,MID,TTRESP,7,1\nS1,3,MID,TTRESP,-2,1\n,,,,,\nS1,4,KET,TTRESP,2,0\n"},
			want:    []string{"adtte.csv: line 2, column 3 (TRTP): malformed CSV", "and 1 more problems"},
			read:    5,
			rejects: [][]string{{"2", "TRTP", "true"}, {"4", "AVAL", "true"}, {"5", "", "false"}},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			files := map[string]string{"study.yaml": studyYAML}
			for k, v := range test.files {
				files[k] = v
			}
			dir := writeStudy(t, files)
			in, err := FindInput(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			sum, problems, err := Run(in)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range test.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if sum.RowsRead != test.read || sum.RowsRead != sum.Accepted+sum.Rejected || len(problems) != sum.Rejected {
				t.Errorf("read %d accepted %d rejected %d problems %d; want %d read, reconciled", sum.RowsRead, sum.Accepted, sum.Rejected, len(problems), test.read)
			}
			var b strings.Builder
			if err := WriteRejects(&b, problems, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, r := range recs[1:] {
				got = append(got, []string{r[1], r[2], r[5]})
			}
			if !reflect.DeepEqual(got, test.rejects) {
				t.Errorf("rejects.csv (line, column, fatal) = %q, want %q", got, test.rejects)
			}
		})
	}
}
