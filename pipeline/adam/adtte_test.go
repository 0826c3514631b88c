package adam

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

const header = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE\n"

func testStudy(t *testing.T) *study.Study {
	t.Helper()
	s, err := study.Parse("study.yaml", []byte(`
id: S1
time_unit: days
arms:
  - {name: KET, class: ketamine}
  - {name: MID, class: active-control}
control: MID
endpoints:
  - {paramcd: TTRESP, kind: response}
`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "adtte.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadADTTEFatal checks that every kind of fatal problem stops the read
// with a message naming the file, the line and the column, and that the
// counts reconcile.
func TestReadADTTEFatal(t *testing.T) {
	for _, test := range []struct {
		name    string
		content string
		want    []string // substrings of the error, after the file name
	}{
		{"empty file", "", []string{"the file is empty"}},
		{"header only", header, []string{"header but no data rows"}},
		{"missing column", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL\nS1,1,KET,TTRESP,1\n", []string{"line 1", "required column CNSR is missing"}},
		{"duplicate column", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AVAL\nS1,1,KET,TTRESP,1,0,2\n", []string{"line 1, column 7", "AVAL appears twice"}},
		{"unknown arm", header + "S1,1,KET,TTRESP,1,0,30\nS1,2,PLACEBO,TTRESP,1,0,30\n", []string{"line 3, column 3 (TRTP)", `unknown arm "PLACEBO"`}},
		{"duplicate subject+endpoint", header + "S1,1,KET,TTRESP,1,0,30\nS1,1,KET,TTRESP,2,1,30\n", []string{"line 3, column 2 (USUBJID)", "already appears at line 2"}},
		{"CNSR 2", header + "S1,1,KET,TTRESP,1,2,30\n", []string{"line 2, column 6 (CNSR)", `CNSR is "2"`}},
		{"CNSR empty", header + "S1,1,KET,TTRESP,1,,30\n", []string{"line 2, column 6 (CNSR)", `CNSR is ""`}},
		{"negative AVAL", header + "S1,1,KET,TTRESP,-0.5,0,30\n", []string{"line 2, column 5 (AVAL)", "negative"}},
		{"infinite AVAL", header + "S1,1,KET,TTRESP,Inf,0,30\n", []string{"line 2, column 5 (AVAL)", "not finite"}},
		{"NaN AVAL", header + "S1,1,KET,TTRESP,NaN,0,30\n", []string{"line 2, column 5 (AVAL)", "not finite"}},
		{"NA AVAL", header + "S1,1,KET,TTRESP,NA,0,30\n", []string{"line 2, column 5 (AVAL)", `"NA" is not a number`}},
		{"empty AVAL", header + "S1,1,KET,TTRESP,,0,30\n", []string{"line 2, column 5 (AVAL)", "AVAL is empty"}},
		{"other study", header + "S2,1,KET,TTRESP,1,0,30\n", []string{"line 2, column 1 (STUDYID)", "another study"}},
		{"ragged row", header + "S1,1,KET,TTRESP,1,0\n", []string{"line 2", "6 fields but the header has 7"}},
		{"bare quote", header + "S1,1,K\"ET,TTRESP,1,0,30\n", []string{"line 2, column", "malformed CSV"}},
		{"entry after aval", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY\nS1,1,KET,TTRESP,1,0,2\n", []string{"line 2, column 7 (ENTRY)", "not before AVAL"}},
	} {
		for _, reader := range []Reader{ReaderGota, ReaderStream} {
			t.Run(test.name+"/"+string(reader), func(t *testing.T) {
				path := writeFile(t, test.content)
				_, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
				if err == nil {
					t.Fatalf("no error for %s", test.name)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("error %v does not wrap ErrInvalid", err)
				}
				msg := err.Error()
				if !strings.Contains(msg, path) {
					t.Errorf("error %q does not name the file %s", msg, path)
				}
				for _, w := range test.want {
					if !strings.Contains(msg, w) {
						t.Errorf("error %q does not contain %q", msg, w)
					}
				}
				if rep != nil && rep.RowsRead != rep.Accepted+rep.Rejected {
					t.Errorf("counts do not reconcile: read %d != accepted %d + rejected %d", rep.RowsRead, rep.Accepted, rep.Rejected)
				}
			})
		}
	}
}

// TestReadADTTEAccepts checks the formats the contract accepts: BOM, CRLF,
// quoted fields, trailing blank lines, fractional days, and the non-fatal
// rejection of undeclared endpoints and all-empty rows.
func TestReadADTTEAccepts(t *testing.T) {
	content := "\xEF\xBB\xBF" + strings.ReplaceAll(header+
		"S1,1,KET,TTRESP,0.02778,0,\"30\"\n"+
		"S1,\"2\",\"MID\",TTRESP,7,1,41\n"+
		"S1,3,MID,TTREMIT,7,1,41\n"+
		",,,,,,\n"+
		"S1,4,KET,TTRESP,1,0,\n"+
		"\n\n", "\n", "\r\n")
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		t.Run(string(reader), func(t *testing.T) {
			path := writeFile(t, content)
			tte, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
			if err != nil {
				t.Fatal(err)
			}
			if rep.RowsRead != 5 || rep.Accepted != 3 || rep.Rejected != 2 {
				t.Errorf("read/accepted/rejected = %d/%d/%d, want 5/3/2", rep.RowsRead, rep.Accepted, rep.Rejected)
			}
			if want := []float64{0.02778, 7, 1}; !reflect.DeepEqual(tte.AVAL, want) {
				t.Errorf("AVAL = %v, want %v", tte.AVAL, want)
			}
			if want := []bool{true, false, true}; !reflect.DeepEqual(tte.Event, want) {
				t.Errorf("Event = %v, want %v", tte.Event, want)
			}
			if want := []int{2, 3, 6}; !reflect.DeepEqual(tte.Line, want) {
				t.Errorf("Line = %v, want %v", tte.Line, want)
			}
			if want := []string{"30", "41", ""}; !reflect.DeepEqual(tte.Extra["AGE"], want) {
				t.Errorf("AGE = %q, want %q", tte.Extra["AGE"], want)
			}
			if len(rep.Problems) != 2 || rep.Problems[0].Line != 4 || rep.Problems[0].Column != "PARAMCD" || rep.Problems[0].Fatal ||
				rep.Problems[1].Line != 5 || rep.Problems[1].Fatal {
				t.Errorf("problems = %+v, want a non-fatal PARAMCD reject at line 4 and an empty row at line 5", rep.Problems)
			}
			if rep.SHA256 != "" && len(rep.SHA256) != 64 {
				t.Errorf("SHA256 = %q", rep.SHA256)
			}
		})
	}
}

// TestReadersAgree checks that the gota and streaming readers give identical
// tables and reports on the same file.
func TestReadersAgree(t *testing.T) {
	var b strings.Builder
	b.WriteString("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY,EVNTDESC,SEX\n")
	for i := 0; i < 500; i++ {
		arm := []string{"KET", "MID"}[i%2]
		param := []string{"TTRESP", "TTOTHER"}[i%7/6]
		b.WriteString(strings.Join([]string{"S1", "U" + itoa(i), arm, param, itoa(i%13 + 1), itoa(i % 2), "0." + itoa(i%9), "\"DESC, " + itoa(i%3) + "\"", []string{"F", "M"}[i%3/2]}, ","))
		b.WriteString("\n")
	}
	path := writeFile(t, b.String())
	g, gr, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: ReaderGota})
	if err != nil {
		t.Fatal(err)
	}
	s, sr, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: ReaderStream})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, s) {
		t.Error("gota and streaming readers give different tables")
	}
	gr.Reader, sr.Reader = "", ""
	if !reflect.DeepEqual(gr, sr) {
		t.Errorf("gota and streaming reports differ:\n%+v\n%+v", gr, sr)
	}
	if gr.Rejected == 0 || gr.Accepted == 0 {
		t.Errorf("fixture should have accepted and rejected rows: %+v", gr)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestReadMissingFile(t *testing.T) {
	_, _, err := ReadADTTE(filepath.Join(t.TempDir(), "nope.csv"), Options{})
	if err == nil || !strings.Contains(err.Error(), "nope.csv") {
		t.Errorf("error %v, want one naming the missing file", err)
	}
}
