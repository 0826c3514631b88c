package adam

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
// counts reconcile. Message formats (see doc.go): "FILE: line L, column N
// (NAME): reason" for a cell; "FILE: line 1, column NAME (absent): reason"
// for a required column missing from the header; "FILE: line L: reason" for
// problems of the whole file or row (empty file, header without rows, a row
// with too many fields), and "character C" when no column can be named.
func TestReadADTTEFatal(t *testing.T) {
	for _, test := range []struct {
		name    string
		content string
		where   string   // file position, right after the file name
		want    []string // substrings of the error
	}{
		{"empty file", "", ": line 1: ", []string{"the file is empty"}},
		{"BOM only", "\xEF\xBB\xBF", ": line 1: ", []string{"the file is empty"}},
		{"header only", header, ": line 1: ", []string{"header but no data rows"}},
		{"header and blank lines", header + "\n\r\n", ": line 1: ", []string{"header but no data rows"}},
		{"missing column", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL\nS1,1,KET,TTRESP,1\n", ": line 1, column CNSR (absent): ", []string{"required column CNSR is missing"}},
		{"missing first column", "USUBJID,TRTP,PARAMCD,AVAL,CNSR\n1,KET,TTRESP,1,0\n", ": line 1, column STUDYID (absent): ", []string{"required column STUDYID is missing"}},
		{"duplicate column", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AVAL\nS1,1,KET,TTRESP,1,0,2\n", ": line 1, column 7: ", []string{"AVAL appears twice"}},
		{"empty column name", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR, \nS1,1,KET,TTRESP,1,0,2\n", ": line 1, column 7: ", []string{"empty column name"}},
		{"malformed header", "STUDYID,USUBJID,TR\"TP,PARAMCD,AVAL,CNSR\nS1,1,KET,TTRESP,1,0\n", ": line 1, character 19: ", []string{"malformed CSV header"}},
		{"unknown arm", header + "S1,1,KET,TTRESP,1,0,30\nS1,2,PLACEBO,TTRESP,1,0,30\n", ": line 3, column 3 (TRTP): ", []string{`unknown arm "PLACEBO"`}},
		{"empty arm", header + "S1,1,,TTRESP,1,0,30\n", ": line 2, column 3 (TRTP): ", []string{"TRTP is empty"}},
		{"empty subject", header + "S1,,KET,TTRESP,1,0,30\n", ": line 2, column 2 (USUBJID): ", []string{"USUBJID is empty"}},
		{"empty PARAMCD", header + "S1,1,KET,,1,0,30\n", ": line 2, column 4 (PARAMCD): ", []string{"PARAMCD is empty"}},
		{"duplicate subject+endpoint", header + "S1,1,KET,TTRESP,1,0,30\nS1,1,KET,TTRESP,2,1,30\n", ": line 3, column 2 (USUBJID): ", []string{"already appears at line 2"}},
		{"CNSR 2", header + "S1,1,KET,TTRESP,1,2,30\n", ": line 2, column 6 (CNSR): ", []string{`CNSR is "2"`}},
		{"CNSR empty", header + "S1,1,KET,TTRESP,1,,30\n", ": line 2, column 6 (CNSR): ", []string{`CNSR is ""`}},
		{"negative AVAL", header + "S1,1,KET,TTRESP,-0.5,0,30\n", ": line 2, column 5 (AVAL): ", []string{"negative"}},
		{"infinite AVAL", header + "S1,1,KET,TTRESP,Inf,0,30\n", ": line 2, column 5 (AVAL): ", []string{"not finite"}},
		{"NaN AVAL", header + "S1,1,KET,TTRESP,NaN,0,30\n", ": line 2, column 5 (AVAL): ", []string{"not finite"}},
		{"NA AVAL", header + "S1,1,KET,TTRESP,NA,0,30\n", ": line 2, column 5 (AVAL): ", []string{`"NA" is not a number`}},
		{"empty AVAL", header + "S1,1,KET,TTRESP,,0,30\n", ": line 2, column 5 (AVAL): ", []string{"AVAL is empty"}},
		{"other study", header + "S2,1,KET,TTRESP,1,0,30\n", ": line 2, column 1 (STUDYID): ", []string{"another study"}},
		{"too few fields", header + "S1,1,KET,TTRESP,1,0\n", ": line 2, column 7 (AGE): ", []string{"6 fields but the header has 7"}},
		{"too many fields", header + "S1,1,KET,TTRESP,1,0,30,x\n", ": line 2: ", []string{"8 fields but the header has 7", "field 8 onwards"}},
		{"bare quote", header + "S1,1,K\"ET,TTRESP,1,0,30\n", ": line 2, column 3 (TRTP): ", []string{"malformed CSV", "bare \"", "character 7 of line 2"}},
		{"bare quote beyond header", header + "S1,1,KET,TTRESP,1,0,30,x\"y\n", ": line 2: ", []string{"malformed CSV", "field 8 (the header has 7 columns), character 25 of line 2"}},
		{"quote in quoted field", header + "S1,\"1\"x,KET,TTRESP,1,0,30\n", ": line 2, column 2 (USUBJID): ", []string{"malformed CSV", "extraneous or missing \""}},
		{"unclosed quote", header + "S1,1,KET,TTRESP,1,0,30\nS1,2,\"KET,TTRESP,1,0,30\nS1,3,KET,TTRESP,1,0,30\n", ": line 4, column 3 (TRTP): ", []string{"malformed CSV", "in the row that starts at line 3"}},
		{"entry after aval", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY\nS1,1,KET,TTRESP,1,0,2\n", ": line 2, column 7 (ENTRY): ", []string{"not before AVAL"}},
		{"non-numeric entry", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY\nS1,1,KET,TTRESP,1,0,x\n", ": line 2, column 7 (ENTRY): ", []string{`ENTRY "x" is not a number`}},
	} {
		for _, reader := range []Reader{ReaderGota, ReaderStream} {
			t.Run(test.name+"/"+string(reader), func(t *testing.T) {
				path := writeFile(t, test.content)
				_, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
				checkFatal(t, path, rep, err, test.where, test.want)
			})
		}
	}
}

// checkFatal checks that err is a fatal ErrInvalid error whose message
// names the file followed by where, contains every want, and that the
// report's counts reconcile.
func checkFatal(t *testing.T, path string, rep *Report, err error, where string, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("error %v does not wrap ErrInvalid", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, path+where) {
		t.Errorf("error %q does not name the file and position %q", msg, path+where)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
	if rep != nil && rep.RowsRead != rep.Accepted+rep.Rejected {
		t.Errorf("counts do not reconcile: read %d != accepted %d + rejected %d", rep.RowsRead, rep.Accepted, rep.Rejected)
	}
}

// TestMalformedRowsAreRejected checks that a row encoding/csv cannot parse
// is a fatal problem in the report, at its line and column, and that the
// rows after it are still read, validated and counted, identically with
// both readers and whatever the streaming block size.
func TestMalformedRowsAreRejected(t *testing.T) {
	defer func(n int) { streamBlockSize = n }(streamBlockSize)
	type prob struct {
		line  int
		col   string
		index int
		fatal bool
		text  string
	}
	for _, test := range []struct {
		name           string
		content        string
		read, acc, rej int
		problems       []prob
		first          string // start of the error, after the file name
	}{
		{
			name: "bare quote",
			content: header +
				"S1,1,KET,TTRESP,1,0,30\n" + // 2
				"S1,2,M\"ID,TTRESP,1,0,30\n" + // 3 bare quote in TRTP
				"S1,3,MID,TTRESP,2,1,30\n" + // 4
				"S1,4,MID,TTRESP,-1,1,30\n" + // 5 negative AVAL: still found
				"S1,5,KET,TTRESP,3,0,30\n", // 6
			read: 5, acc: 3, rej: 2,
			problems: []prob{{3, "TRTP", 3, true, "bare \" in non-quoted-field at character 7 of line 3"}, {5, "AVAL", 5, true, "negative"}},
			first:    ": line 3, column 3 (TRTP): malformed CSV",
		},
		{
			// The stray quote makes the block cutter see the quoted AGE
			// of line 4 as closing a field; encoding/csv does not.
			name: "bare quote then quoted fields",
			content: header +
				"S1,1,KET,TTR\"ESP,1,0,30\n" + // 2 bare quote in PARAMCD
				"S1,2,MID,TTRESP,1,0,\"30\"\n" + // 3
				"S1,3,MID,\"TTRESP\",2,1,\"4\n0\"\n" + // 4-5 quoted line break
				"S1,4,KET,TTRESP,1,0,\"30\"x\n" + // 6 extraneous quote in AGE
				"S1,5,KET,TTRESP,1,0,30,\"x\"\n" + // 7 too many fields
				"S1,6,KET,TTRESP,1,0,30\n", // 8
			read: 6, acc: 3, rej: 3,
			problems: []prob{{2, "PARAMCD", 4, true, "bare \""}, {6, "AGE", 7, true, "extraneous or missing \""}, {7, "", 0, true, "8 fields"}},
			first:    ": line 2, column 4 (PARAMCD): malformed CSV",
		},
		{
			name:    "unclosed quote swallows the rest",
			content: header + "S1,1,KET,TTRESP,1,0,30\nS1,2,KET,TTRESP,1,0,\"30\nS1,3,KET,TTRESP,1,0,30\n",
			read:    2, acc: 1, rej: 1,
			problems: []prob{{4, "AGE", 7, true, "in the row that starts at line 3"}},
			first:    ": line 4, column 7 (AGE): malformed CSV",
		},
	} {
		var reports []*Report
		path := writeFile(t, test.content)
		for _, size := range []int{16, 64, 1 << 16} {
			for _, reader := range []Reader{ReaderGota, ReaderStream} {
				if reader == ReaderGota && size != 1<<16 {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/%d", test.name, reader, size), func(t *testing.T) {
					streamBlockSize = size
					_, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
					if err == nil || !strings.Contains(err.Error(), path+test.first) {
						t.Fatalf("error %v, want %q after the file name", err, test.first)
					}
					if n := len(test.problems); n > 1 && !strings.Contains(err.Error(), fmt.Sprintf("and %d more problems", n-1)) {
						t.Errorf("error %v does not count the %d other problems", err, n-1)
					}
					if rep.RowsRead != test.read || rep.Accepted != test.acc || rep.Rejected != test.rej {
						t.Errorf("read/accepted/rejected = %d/%d/%d, want %d/%d/%d", rep.RowsRead, rep.Accepted, rep.Rejected, test.read, test.acc, test.rej)
					}
					if len(rep.Problems) != len(test.problems) {
						t.Fatalf("problems %+v, want %d", rep.Problems, len(test.problems))
					}
					for i, w := range test.problems {
						p := rep.Problems[i]
						if p.File != path || p.Line != w.line || p.Column != w.col || p.Index != w.index || p.Fatal != w.fatal || !strings.Contains(p.Reason, w.text) {
							t.Errorf("problem %d = %+v, want line %d column %q (%d) fatal %v reason containing %q", i, p, w.line, w.col, w.index, w.fatal, w.text)
						}
					}
					rep.Reader = ""
					reports = append(reports, rep)
				})
			}
		}
		for i := 1; i < len(reports); i++ {
			if !reflect.DeepEqual(reports[0], reports[i]) {
				t.Errorf("%s: reports differ between readers or block sizes:\n%+v\n%+v", test.name, reports[0], reports[i])
			}
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
			if want := []int{2, 3, 6}; !reflect.DeepEqual(tte.Line.Places(), want) {
				t.Errorf("Line = %v, want %v", tte.Line.Places(), want)
			}
			if want := []string{"30", "41", ""}; !reflect.DeepEqual(tte.Extra["AGE"].Strings(), want) {
				t.Errorf("AGE = %q, want %q", tte.Extra["AGE"].Strings(), want)
			}
			if len(rep.Problems) != 2 || rep.Problems[0].Line != 4 || rep.Problems[0].Column != "PARAMCD" || rep.Problems[0].Fatal ||
				rep.Problems[1].Line != 5 || rep.Problems[1].Fatal {
				t.Errorf("problems = %+v, want a non-fatal PARAMCD reject at line 4 and an empty row at line 5", rep.Problems)
			}
			if sum := sha256.Sum256([]byte(content)); rep.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA256 = %q, want the 64 hex digits of the file's SHA-256 %x", rep.SHA256, sum)
			}
		})
	}
}

// TestReadersAgree checks that the gota and streaming readers give identical
// tables, reports and errors on the same file, clean or with malformed rows
// (bad quoting, wrong field counts) among 500, at several block sizes.
func TestReadersAgree(t *testing.T) {
	defer func(n int) { streamBlockSize = n }(streamBlockSize)
	fixture := func(bad bool) string {
		var b strings.Builder
		b.WriteString("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY,EVNTDESC,SEX\n")
		for i := 0; i < 500; i++ {
			arm := []string{"KET", "MID"}[i%2]
			param := []string{"TTRESP", "TTOTHER"}[i%7/6]
			desc := "\"DESC, " + itoa(i%3) + "\""
			if bad {
				switch i % 37 {
				case 5:
					arm = "K\"ET" // bare quote
				case 11:
					desc = "\"DESC\"x" // extraneous quote
				case 17:
					desc = "DESC,extra" // too many fields
				}
			}
			b.WriteString(strings.Join([]string{"S1", "U" + itoa(i), arm, param, itoa(i%13 + 1), itoa(i % 2), "0." + itoa(i%9), desc, []string{"F", "M"}[i%3/2]}, ","))
			b.WriteString("\n")
		}
		return b.String()
	}
	for _, test := range []struct {
		name    string
		content string
		bad     int // fatal problems expected
	}{
		{"clean", fixture(false), 0},
		{"malformed rows", fixture(true), 3 * 14},
		{"unclosed quote at the end", fixture(false) + "S1,U900,KET,TTRESP,1,0,0.1,\"DESC\n", 1},
	} {
		path := writeFile(t, test.content)
		g, gr, gerr := ReadADTTE(path, Options{Study: testStudy(t), Reader: ReaderGota})
		if gr == nil || gr.RowsRead != gr.Accepted+gr.Rejected || gr.Accepted == 0 || gr.Rejected == 0 {
			t.Fatalf("%s: fixture should have accepted and rejected rows that reconcile: %+v", test.name, gr)
		}
		fatal := 0
		for _, p := range gr.Problems {
			if p.Fatal {
				fatal++
			}
		}
		if fatal != test.bad || (gerr == nil) != (test.bad == 0) {
			t.Errorf("%s: %d fatal problems (error %v), want %d", test.name, fatal, gerr, test.bad)
		}
		gr.Reader = ""
		for _, size := range []int{64, 1000, 256 << 10} {
			streamBlockSize = size
			s, sr, serr := ReadADTTE(path, Options{Study: testStudy(t), Reader: ReaderStream})
			if !reflect.DeepEqual(g, s) {
				t.Errorf("%s/%d: gota and streaming readers give different tables", test.name, size)
			}
			sr.Reader = ""
			if !reflect.DeepEqual(gr, sr) {
				t.Errorf("%s/%d: gota and streaming reports differ:\n%+v\n%+v", test.name, size, gr, sr)
			}
			if fmt.Sprint(gerr) != fmt.Sprint(serr) {
				t.Errorf("%s/%d: errors differ:\n%v\n%v", test.name, size, gerr, serr)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestReadMissingFile(t *testing.T) {
	_, _, err := ReadADTTE(filepath.Join(t.TempDir(), "nope.csv"), Options{})
	if err == nil || !strings.Contains(err.Error(), "nope.csv") {
		t.Errorf("error %v, want one naming the missing file", err)
	}
}
