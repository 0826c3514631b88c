package adam

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/column"
	"github.com/ketcurves/ketcurves/pipeline/datasetjson"
	"github.com/ketcurves/ketcurves/pipeline/xport"
)

// fixture is a small table to write as XPT or Dataset-JSON: columns whose
// name is in numeric are numbers ("" is missing), the others text.
type fixture struct {
	name    string // dataset / member name
	header  []string
	rows    [][]string
	numeric map[string]bool
}

func (f fixture) xptTable(t testing.TB) *xport.Table {
	t.Helper()
	tab := &xport.Table{Name: f.name, Rows: len(f.rows)}
	for j, name := range f.header {
		c := xport.Column{Name: name}
		if f.numeric[name] {
			c.Type = xport.Numeric
			for _, r := range f.rows {
				v, m := math.NaN(), xport.MissingDot
				if r[j] != "" {
					var err error
					if v, err = strconv.ParseFloat(r[j], 64); err != nil {
						t.Fatal(err)
					}
					m = xport.Present
				}
				c.Float, c.Missing = append(c.Float, v), append(c.Missing, m)
			}
		} else {
			c.Type = xport.Char
			for _, r := range f.rows {
				c.String = append(c.String, r[j])
			}
		}
		tab.Columns = append(tab.Columns, c)
	}
	return tab
}

// writeXPT writes the fixtures as members of one XPT file.
func writeXPT(t testing.TB, file string, fs ...fixture) string {
	t.Helper()
	var tabs []*xport.Table
	for _, f := range fs {
		tabs = append(tabs, f.xptTable(t))
	}
	var b bytes.Buffer
	if err := xport.Write(&b, tabs, xport.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), file)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeDatasetJSON writes the fixture as Dataset-JSON v1.1 (ndjson: as
// NDJSON) to a file named file.
func writeDatasetJSON(t testing.TB, file string, f fixture, ndjson bool) string {
	t.Helper()
	var cols []map[string]any
	for _, name := range f.header {
		typ := "string"
		if f.numeric[name] {
			typ = "double"
		}
		cols = append(cols, map[string]any{"itemOID": "IT." + name, "name": name, "label": name, "dataType": typ})
	}
	var rows []string
	for _, r := range f.rows {
		var cells []string
		for j, v := range r {
			switch {
			case f.numeric[f.header[j]] && v == "":
				cells = append(cells, "null")
			case f.numeric[f.header[j]]:
				cells = append(cells, v)
			default:
				q, _ := json.Marshal(v)
				cells = append(cells, string(q))
			}
		}
		rows = append(rows, "["+strings.Join(cells, ",")+"]")
	}
	meta := map[string]any{"datasetJSONCreationDateTime": "2026-01-01T00:00:00", "datasetJSONVersion": "1.1.0", "itemGroupOID": "IG." + f.name, "records": len(f.rows), "name": f.name, "label": f.name, "columns": cols}
	mj, err := json.Marshal(meta)
	if err != nil {
		t.Fatal(err)
	}
	var content string
	if ndjson {
		content = string(mj) + "\n" + strings.Join(rows, "\n") + "\n"
	} else {
		content = strings.TrimSuffix(string(mj), "}") + `,"rows":[` + "\n" + strings.Join(rows, ",\n") + "\n]}\n"
	}
	path := filepath.Join(t.TempDir(), file)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var (
	adslFixture = fixture{"ADSL", []string{"STUDYID", "USUBJID", "TRT01P", "AGE", "RANDDY"},
		[][]string{{"S1", "1", "KET", "41", "0"}, {"S1", "2", "MID", "", "1"}}, map[string]bool{"AGE": true, "RANDDY": true}}
	adqsFixture = fixture{"ADQS", []string{"STUDYID", "USUBJID", "PARAMCD", "AVISIT", "ADY", "AVAL"},
		[][]string{{"S1", "1", "MADRS", "BASELINE", "0", "34"}, {"S1", "1", "MADRS", "DAY1", "1", ""}, {"S1", "2", "MADRS", "BASELINE", "-0.5", "30"}}, map[string]bool{"ADY": true, "AVAL": true}}
	adceFixture = fixture{"ADCE", []string{"STUDYID", "USUBJID", "ADY", "CETERM"},
		[][]string{{"S1", "2", "12.5", "HOSPITALIZATION"}}, map[string]bool{"ADY": true}}
	adtteFixture = fixture{"ADTTE", []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR", "AGE"},
		[][]string{{"S1", "1", "KET", "TTRESP", "0.02778", "0", "41"}, {"S1", "2", "MID", "TTRESP", "7", "1", ""}}, map[string]bool{"AVAL": true, "CNSR": true, "AGE": true}}
)

// csvOf renders a fixture as the CSV file its XPT and JSON versions stand for.
func csvOf(f fixture) string {
	var b strings.Builder
	b.WriteString(strings.Join(f.header, ",") + "\n")
	for _, r := range f.rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

// TestEveryReaderReadsEveryFormat reads ADSL, ADQS, ADCE and ADTTE from
// XPT, Dataset-JSON and NDJSON and compares each with its CSV version.
func TestEveryReaderReadsEveryFormat(t *testing.T) {
	s := testStudy(t)
	subjects := map[string]bool{"1": true, "2": true}
	opt := Options{Study: s, Subjects: subjects}
	for _, test := range []struct {
		f    fixture
		read func(path string) (any, *Report, error)
	}{
		{adslFixture, func(p string) (any, *Report, error) { a, r, err := ReadADSLWith(p, opt); return a, r, err }},
		{adqsFixture, func(p string) (any, *Report, error) { a, r, err := ReadADQSWith(p, opt); return a, r, err }},
		{adceFixture, func(p string) (any, *Report, error) { a, r, err := ReadADCEWith(p, opt); return a, r, err }},
		{adtteFixture, func(p string) (any, *Report, error) { a, r, err := ReadADTTE(p, opt); return a, r, err }},
	} {
		lower := strings.ToLower(test.f.name)
		want, wantRep, err := test.read(writeFile(t, csvOf(test.f)))
		if err != nil {
			t.Fatalf("%s CSV: %v", test.f.name, err)
		}
		for _, path := range []string{
			writeXPT(t, lower+".xpt", test.f),
			writeXPT(t, lower+".XPT", fixture{name: "OTHER", header: []string{"X"}, rows: [][]string{{"a"}}}, test.f), // chosen by name
			writeDatasetJSON(t, lower+".json", test.f, false),
			writeDatasetJSON(t, lower+".ndjson", test.f, true),
		} {
			got, rep, err := test.read(path)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			if rep.RowsRead != wantRep.RowsRead || rep.Accepted != wantRep.Accepted || rep.Rejected != wantRep.Rejected {
				t.Errorf("%s: read %d accepted %d rejected %d, CSV %d %d %d", path, rep.RowsRead, rep.Accepted, rep.Rejected, wantRep.RowsRead, wantRep.Accepted, wantRep.Rejected)
			}
			if g, w := withoutLines(got), withoutLines(want); g != w {
				t.Errorf("%s:\n got %s\nwant %s", path, g, w)
			}
			data, _ := os.ReadFile(path)
			if rep.SHA256 != fmt.Sprintf("%x", sha256Sum(data)) {
				t.Errorf("%s: SHA-256 is not of the file bytes", path)
			}
		}
	}
}

// withoutLines prints a table without its Line columns (CSV lines are
// one more than XPT observations and JSON rows).
func withoutLines(v any) string {
	switch x := v.(type) {
	case *ADSL:
		c := *x
		c.Line = nil
		return fmt.Sprintf("%+v", c)
	case *ADQS:
		c := *x
		c.Line, c.Missed.Line = nil, nil
		return fmt.Sprintf("%+v", c)
	case *ADCE:
		c := *x
		c.Line = nil
		return fmt.Sprintf("%+v", c)
	case *ADTTE:
		c := *x
		c.Line = column.Lines{}
		return fmt.Sprintf("%+v", c)
	}
	panic("unknown table")
}

// TestDecodedProblemMessages checks the places of problems in XPT and
// Dataset-JSON files: "observation N (byte B), column J (NAME)" — B being
// the offset of the cell's bytes — and "row N, column J (NAME)"; and that
// reasons referring to another row use the same unit.
func TestDecodedProblemMessages(t *testing.T) {
	f := adtteFixture
	f.rows = [][]string{{"S1", "1", "KET", "TTRESP", "1", "0", "41"}, {"S1", "2", "PLACEBO", "TTRESP", "2", "0", "50"}, {"S1", "1", "KET", "TTRESP", "3", "1", "41"}}
	s := testStudy(t)

	path := writeXPT(t, "adtte.xpt", f)
	_, rep, err := ReadADTTE(path, Options{Study: s})
	data, _ := os.ReadFile(path)
	var where string
	if len(rep.Problems) > 0 {
		where = fmt.Sprintf(": observation 2 (byte %d), column 3 (TRTP): ", rep.Problems[0].Offset)
	}
	checkFatal(t, path, rep, err, where, []string{`unknown arm "PLACEBO"`, "and 1 more problems"})
	if len(rep.Problems) != 2 {
		t.Fatalf("%d problems, want 2: %v", len(rep.Problems), rep.Problems)
	}
	if off := rep.Problems[0].Offset; off <= 0 || !bytes.HasPrefix(data[off:], []byte("PLACEBO")) {
		t.Errorf("offset %d of TRTP in observation 2 does not hold PLACEBO", off)
	}
	dup := rep.Problems[1]
	if got := dup.Error(); !strings.Contains(got, ": observation 3 (byte ") || !strings.Contains(got, "column 2 (USUBJID): duplicate subject+endpoint: 1 TTRESP already appears at observation 1;") {
		t.Errorf("duplicate: %s", got)
	}
	if off := dup.Offset; off <= 0 || data[off] != '1' {
		t.Errorf("offset %d of USUBJID in observation 3 does not hold 1", off)
	}

	for _, nd := range []bool{false, true} {
		path := writeDatasetJSON(t, "adtte.json", f, nd)
		_, rep, err := ReadADTTE(path, Options{Study: s})
		checkFatal(t, path, rep, err, ": row 2, column 3 (TRTP): ", []string{`unknown arm "PLACEBO"`})
		if len(rep.Problems) == 2 && !strings.Contains(rep.Problems[1].Error(), ": row 3, column 2 (USUBJID): duplicate subject+endpoint: 1 TTRESP already appears at row 1;") {
			t.Errorf("duplicate: %s", rep.Problems[1].Error())
		}
		if want := map[bool]Format{false: FormatJSON, true: FormatNDJSON}[nd]; rep.Format != want {
			t.Errorf("format %q, want %q", rep.Format, want)
		}
	}

	// ADSL's duplicate subject, and a missing column.
	a := adslFixture
	a.rows = append(a.rows, []string{"S1", "1", "KET", "30", "0"})
	path = writeXPT(t, "adsl.xpt", a)
	_, rep, err = ReadADSLWith(path, Options{Study: s})
	checkFatal(t, path, rep, err, ": observation 3 (byte ", []string{"column 2 (USUBJID): subject 1 already appears at observation 1"})
	q := adqsFixture
	q.header = []string{"STUDYID", "USUBJID", "PARAMCD", "AVISIT", "DAY", "AVAL"}
	path = writeXPT(t, "adqs.xpt", q)
	_, rep, err = ReadADQSWith(path, Options{})
	checkFatal(t, path, rep, err, ": member ADQS, column ADY (absent): ", []string{"required column ADY is missing"})
	path = writeDatasetJSON(t, "adqs.json", q, false)
	_, rep, err = ReadADQSWith(path, Options{})
	checkFatal(t, path, rep, err, ": dataset ADQS, column ADY (absent): ", []string{"required column ADY is missing"})
}

// TestDecodedFileErrors: files the decoders reject give an ErrInvalid
// error that also wraps the decoder's sentinel, with the byte offset.
func TestDecodedFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	two := writeXPT(t, "two.xpt", fixture{name: "A", header: []string{"X"}, rows: [][]string{{"a"}}}, fixture{name: "B", header: []string{"X"}, rows: [][]string{{"b"}}})
	for _, test := range []struct {
		path     string
		opt      Options
		sentinel error
		want     string
	}{
		{write("csv.xpt", "STUDYID,USUBJID\n"), Options{}, xport.ErrNotXPORT, ": byte 0"},
		{write("cport.xpt", "**COMPRESSED** **COMPRESSED** **COMPRESSED** **COMPRESSED** **COMPRESSED********"+strings.Repeat(" ", 400)), Options{}, xport.ErrCPORT, "CPORT"},
		{two, Options{}, xport.ErrMember, "the file has 2 members (A, B): choose one by name (or name the ADTTE member ADTTE)"},
		{two, Options{Member: "C"}, xport.ErrMember, `no member "C": the file has A, B`},
		{write("bad.json", `{"datasetJSONVersion": "1.1", `), Options{}, datasetjson.ErrSyntax, ": line 1, column"},
		{write("old.json", `{"datasetJSONVersion": "1.0.0", "clinicalData": {}}`), Options{}, datasetjson.ErrVersion, "line 1"},
	} {
		_, rep, err := ReadADTTE(test.path, test.opt)
		if !errors.Is(err, ErrInvalid) || !errors.Is(err, test.sentinel) {
			t.Errorf("%s: error %v does not wrap ErrInvalid and %v", test.path, err, test.sentinel)
			continue
		}
		if !strings.HasPrefix(err.Error(), "invalid data file: "+test.path+": ") || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %q, want the file then %q", test.path, err, test.want)
		}
		if rep == nil || rep.RowsRead != 0 || len(rep.SHA256) != 64 {
			t.Errorf("%s: report %+v", test.path, rep)
		}
	}
	// A member named explicitly, without regard to case.
	tab, _, err := ReadADSLWith(writeXPT(t, "adsl.xpt", adqsFixture, adslFixture), Options{Member: "adsl"})
	if err != nil || tab.Len() != 2 {
		t.Errorf("member adsl: %v", err)
	}
	// Non-UTF-8 bytes in Dataset-JSON are an error at their line and column,
	// not replaced by U+FFFD as encoding/json would.
	path := writeDatasetJSON(t, "adsl.json", adslFixture, true)
	data, _ := os.ReadFile(path)
	data = bytes.Replace(data, []byte(`"KET"`), []byte("\"K\xc9T\""), 1)
	os.WriteFile(path, data, 0o644)
	_, _, err = ReadADSLWith(path, Options{})
	if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), ": line 2, column 13 (byte ") || !strings.Contains(err.Error(), "0xC9 is not UTF-8") {
		t.Errorf("non-UTF-8 JSON: %v", err)
	}
}

// TestXPTEncoding reads a latin1 XPT file with Encoding Latin1; as UTF-8
// it is an error naming the byte offset and the variable.
func TestXPTEncoding(t *testing.T) {
	f := fixture{name: "ADSL", header: []string{"STUDYID", "USUBJID", "TRT01P", "SITE"}, rows: [][]string{{"S1", "1", "KET", "Z\u00fcrich"}}}
	var b bytes.Buffer
	if err := xport.Write(&b, []*xport.Table{f.xptTable(t)}, xport.WriteOptions{Encoding: xport.Latin1}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "adsl.xpt")
	os.WriteFile(path, b.Bytes(), 0o644)
	a, _, err := ReadADSLWith(path, Options{Encoding: Latin1})
	if err != nil || a.Extra["SITE"][0] != "Z\u00fcrich" {
		t.Fatalf("latin1: %v %v", err, a)
	}
	_, _, err = ReadADSLWith(path, Options{})
	if !errors.Is(err, xport.ErrEncoding) || !strings.Contains(err.Error(), "variable SITE") || !strings.Contains(err.Error(), ": byte ") {
		t.Errorf("as UTF-8: %v", err)
	}
}

// TestDecodedNoRows: an XPT member or Dataset-JSON without rows is an
// error, but for ADCE, where it means that no event occurred.
func TestDecodedNoRows(t *testing.T) {
	empty := adsl0()
	path := writeXPT(t, "adsl.xpt", empty)
	_, rep, err := ReadADSLWith(path, Options{})
	checkFatal(t, path, rep, err, ": header: ", []string{"the member has no observations"})
	path = writeDatasetJSON(t, "adsl.json", empty, false)
	_, rep, err = ReadADSLWith(path, Options{})
	checkFatal(t, path, rep, err, ": header: ", []string{"the dataset has no rows"})
	ce := adceFixture
	ce.rows = nil
	if e, _, err := ReadADCEWith(writeXPT(t, "adce.xpt", ce), Options{}); err != nil || e.Len() != 0 {
		t.Errorf("ADCE without events: %v", err)
	}
}

func adsl0() fixture {
	f := adslFixture
	f.rows = nil
	return f
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
