package adam

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/column"
)

// TestDuplicatesFoundAtEnd checks the duplicate subject+endpoint check,
// which runs after all rows are read: each later copy is rejected with the
// line of the first accepted one, problems stay in line order among the
// others, counts reconcile, and both readers agree.
func TestDuplicatesFoundAtEnd(t *testing.T) {
	content := header +
		"S1,1,KET,TTRESP,1,0,30\n" + // 2
		"S1,1,KET,TTREMIT,1,0,30\n" + // 3 undeclared endpoint: non-fatal, not a key
		"S1,2,MID,TTRESP,2,1,30\n" + // 4
		"S1,1,KET,TTRESP,3,0,30\n" + // 5 duplicate of 2
		",,,,,,\n" + // 6 empty row
		"S1,2,MID,TTRESP,2,7,30\n" + // 7 CNSR 7: rejected before the duplicate check
		"S1,1,KET,TTRESP,4,1,30\n" + // 8 duplicate of 2 again
		"S1,3,MID,TTRESP,2,0,30\n" // 9
	want := []struct {
		line  int
		col   string
		fatal bool
		text  string
	}{
		{3, "PARAMCD", false, "not declared"},
		{5, "USUBJID", true, "1 TTRESP already appears at line 2"},
		{6, "", false, "all fields are empty"},
		{7, "CNSR", true, `CNSR is "7"`},
		{8, "USUBJID", true, "1 TTRESP already appears at line 2"},
	}
	var reports []*Report
	path := writeFile(t, content)
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		t.Run(string(reader), func(t *testing.T) {
			_, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
			if err == nil || !strings.Contains(err.Error(), "line 5, column 2 (USUBJID)") || !strings.Contains(err.Error(), "and 2 more problems") {
				t.Fatalf("error = %v, want the duplicate at line 5 first and 2 more problems", err)
			}
			if rep.RowsRead != 8 || rep.Accepted != 3 || rep.Rejected != 5 {
				t.Errorf("read/accepted/rejected = %d/%d/%d, want 8/3/5", rep.RowsRead, rep.Accepted, rep.Rejected)
			}
			if len(rep.Problems) != len(want) {
				t.Fatalf("%d problems, want %d: %+v", len(rep.Problems), len(want), rep.Problems)
			}
			for i, w := range want {
				p := rep.Problems[i]
				if p.Line != w.line || p.Column != w.col || p.Fatal != w.fatal || !strings.Contains(p.Reason, w.text) || p.File != path {
					t.Errorf("problem %d = %+v, want line %d column %q fatal %v reason containing %q", i, p, w.line, w.col, w.fatal, w.text)
				}
				if w.col == "USUBJID" && (p.Index != 2 || p.Value != "1") {
					t.Errorf("problem %d: index %d value %q, want 2 and \"1\"", i, p.Index, p.Value)
				}
			}
			rep.Reader = ""
			reports = append(reports, rep)
		})
	}
	if len(reports) == 2 && !reflect.DeepEqual(reports[0], reports[1]) {
		t.Errorf("readers disagree:\n%+v\n%+v", reports[0], reports[1])
	}
}

// TestFindDuplicatesCollisions forces every key to the same hash: only rows
// with equal strings may be reported, each against its first occurrence.
func TestFindDuplicatesCollisions(t *testing.T) {
	tab := &ADTTE{
		USUBJID: []string{"a", "b", "a", "b", "a", "c", "a"},
		PARAMCD: column.Of([]string{"X", "X", "X", "X", "Y", "X", "X"}),
		Line:    column.LinesOf(10, 11, 12, 13, 14, 15, 16),
		AVAL:    make([]float64, 7),
	}
	for name, hash := range map[string]func(int) uint64{
		"constant": func(int) uint64 { return 42 },
		"maphash":  keyHasher(tab),
	} {
		t.Run(name, func(t *testing.T) {
			got := findDuplicates(tab, hash, FormatCSV.Place)
			var lines []int
			for _, p := range got {
				lines = append(lines, p.Line)
				if !strings.Contains(p.Reason, "already appears at line ") {
					t.Errorf("reason %q", p.Reason)
				}
			}
			if want := []int{12, 13, 16}; !reflect.DeepEqual(lines, want) {
				t.Errorf("duplicate lines = %v, want %v", lines, want)
			}
			for _, c := range []struct {
				i    int
				prev string
			}{{0, "line 10;"}, {1, "line 11;"}, {2, "line 10;"}} {
				if c.i < len(got) && !strings.Contains(got[c.i].Reason, c.prev) {
					t.Errorf("problem %d: %q does not name %s", c.i, got[c.i].Reason, c.prev)
				}
			}
		})
	}
}

// TestEstimateRows checks the capacity hint on a file whose rows all have
// the same length: within a few percent, never below the true count.
func TestEstimateRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	const n = 20000
	for i := range n {
		b.WriteString("S1," + itoa(100000+i) + ",KET,TTRESP,1.5,0,30\n")
	}
	path := writeFile(t, b.String())
	var hint int
	_, err := readTable(path, readConfig{reader: ReaderStream}, func(cols columns) (rowFunc, error) {
		hint = cols.rowsHint
		return func(int, []string) *Problem { return nil }, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hint < n || hint > n*105/100 {
		t.Errorf("rowsHint = %d for %d rows, want within [n, 1.05 n]", hint, n)
	}
}

// csvItem is one record read by encoding/csv: its line and fields, or the
// parse error and the fields read before it.
type csvItem struct {
	line int
	rec  []string
	err  string
}

// csvRecords reads content with encoding/csv as the gota path does, going
// on after parse errors; a read error other than a parse error stops it.
func csvRecords(t *testing.T, content string) []csvItem {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(content))
	cr.FieldsPerRecord = -1
	var items []csvItem
	for {
		rec, e := cr.Read()
		if e == io.EOF {
			return items
		}
		var pe *csv.ParseError
		if errors.As(e, &pe) {
			items = append(items, csvItem{rec: rec, err: pe.Error()})
			continue
		}
		if e != nil {
			t.Fatal(e)
		}
		l, _ := cr.FieldPos(0)
		items = append(items, csvItem{line: l, rec: rec})
	}
}

// TestStreamRecordsMatchesEncodingCSV cuts files into tiny blocks (so that
// quoted fields, CRLF pairs and blank lines fall on block boundaries) and
// checks that the streaming parser yields exactly encoding/csv's records,
// line numbers and parse errors, including the records after a malformed
// one: reading goes on after a parse error.
func TestStreamRecordsMatchesEncodingCSV(t *testing.T) {
	defer func(n int) { streamBlockSize = n }(streamBlockSize)
	for name, content := range streamCases() {
		for _, size := range []int{7, 16, 64, 1 << 16} {
			t.Run(name+"/"+itoa(size), func(t *testing.T) {
				streamBlockSize = size
				want := csvRecords(t, content)
				var got []csvItem
				br := bufio.NewReaderSize(strings.NewReader(content), 16)
				err := streamRecords(br, 1, 2, func(line int, rec []string) {
					got = append(got, csvItem{line: line, rec: slices.Clone(rec)})
				}, func(pe *csv.ParseError, partial []string) {
					got = append(got, csvItem{rec: slices.Clone(partial), err: pe.Error()})
				})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("records differ:\n got %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

// streamCases are CSV contents that put quoted fields, CRLF pairs, blank
// lines, ragged rows and malformed records on block boundaries.
func streamCases() map[string]string {
	var big strings.Builder
	for i := range 300 {
		switch i % 10 {
		case 3:
			big.WriteString("S1,\"U" + itoa(i) + "\",KET,\"a, \"\"quoted\"\"\nfield\",1\r\n")
		case 5:
			big.WriteString("\n\r\n")
		case 7:
			big.WriteString("S1,U" + itoa(i) + ",MID,\r,2\r\n")
		default:
			big.WriteString("S1,U" + itoa(i) + ",MID,plain," + itoa(i%4) + "\n")
		}
	}
	cases := map[string]string{
		"mixed":          big.String(),
		"no final EOL":   "a,b\nc,d",
		"final CR":       "a,b\nc,d\r",
		"only blank":     "\n\n\r\n",
		"ragged":         "a,b,c\nd\n,,\n",
		"bare quote":     "a,b\nc,d\"e\nf,g\n" + strings.Repeat("h,i\n", 50),
		"extra quote":    strings.Repeat("h,i\n", 30) + "\"a\"b,c\nd,e\n",
		"unclosed quote": strings.Repeat("h,i\n", 30) + "\"abc,d\ne,f\n",
		// A stray quote flips the quote count that cuts blocks: the
		// quoted field after it spans two lines.
		"bare quote then quoted field": "a,b\nc\"d,e\n\"x\ny\",z\n" + strings.Repeat("h,i\n", 40) + "j,\"k\"\n",
		"two bare quotes":              strings.Repeat("h,i\n", 20) + "a\"b,c\n" + strings.Repeat("h,i\n", 20) + "d,e\"f\n" + strings.Repeat("h,\"i\"\n", 20),
		"error in third field":         "a,b,c\n1,2,3\"\n4,5,6\n",
		"error at end of long field":   strings.Repeat("h,i\n", 10) + "\"" + strings.Repeat("x", 100) + "\"y,z\n" + strings.Repeat("h,i\n", 10),
		"every line bad":               strings.Repeat("a\"b,c\n", 40),
	}
	return cases
}

// recordingBatch keeps the records it accepts; it rejects those whose
// first field is "c" or "h" with an odd second field.
type recordingBatch struct{ items []csvItem }

func (b *recordingBatch) row(line int, rec []string) *Problem {
	if rec[0] == "c" || (rec[0] == "h" && line%2 == 1) {
		return &Problem{Column: "B", Value: rec[1], Reason: "rejected by the test"}
	}
	b.items = append(b.items, csvItem{line: line, rec: slices.Clone(rec)})
	return nil
}

func (b *recordingBatch) reset() { b.items = nil }

// TestStreamParallelMatchesSequential: validating blocks on several
// goroutines gives the records, the problems and the counts of the
// sequential streaming reader, in the same order, for every block size
// and number of workers, including after a malformed record (from which
// the file is read on one goroutine).
func TestStreamParallelMatchesSequential(t *testing.T) {
	defer func(n int) { streamBlockSize = n }(streamBlockSize)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	read := func(content string, parallel bool) ([]csvItem, *Report) {
		var got recordingBatch
		s := newSink("f.csv", FormatCSV, "stream")
		if err := s.setHeader([]string{"A", "B"}, "line 1", 0, func(columns) (rowFunc, error) { return got.row, nil }); err != nil {
			t.Fatal(err)
		}
		malformed := func(pe *csv.ParseError, partial []string) {
			got.items = append(got.items, csvItem{rec: slices.Clone(partial), err: pe.Error()})
		}
		br := bufio.NewReaderSize(strings.NewReader(content), 16)
		var err error
		if parallel {
			b := batcher{
				newBatch: func() rowBatch { return &recordingBatch{} },
				store:    func(b rowBatch) { got.items = append(got.items, b.(*recordingBatch).items...) },
			}
			err = streamParallel(br, 1, s, b, malformed)
		} else {
			err = streamRecords(br, 1, 2, s.accept, malformed)
		}
		if err != nil {
			t.Fatal(err)
		}
		return got.items, s.rep
	}
	for name, content := range streamCases() {
		for _, size := range []int{7, 16, 64, 1 << 16} {
			for _, workers := range []int{1, 2, 5} {
				t.Run(name+"/"+itoa(size)+"/"+itoa(workers), func(t *testing.T) {
					streamBlockSize = size
					runtime.GOMAXPROCS(workers)
					wantItems, wantRep := read(content, false)
					gotItems, gotRep := read(content, true)
					if !reflect.DeepEqual(gotItems, wantItems) {
						t.Errorf("records differ:\n got %+v\nwant %+v", gotItems, wantItems)
					}
					if !reflect.DeepEqual(gotRep, wantRep) {
						t.Errorf("reports differ:\n got %+v\nwant %+v", gotRep, wantRep)
					}
				})
			}
		}
	}
}

// TestStreamHeaderSpanningLines checks line numbers after a header with a
// quoted line break and a blank line before it.
func TestStreamHeaderSpanningLines(t *testing.T) {
	content := "\nSTUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,\"AGE\nYEARS\"\nS1,1,KET,TTRESP,1,0,30\nS1,2,KET,TTRESP,-1,0,30\n"
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		path := writeFile(t, content)
		_, _, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
		if err == nil || !strings.Contains(err.Error(), "line 5, column 5 (AVAL)") {
			t.Errorf("%s: %v, want the negative AVAL at line 5", reader, err)
		}
	}
}

// TestIsASCII puts one byte above 0x7F at every position of strings of
// several lengths, so that both the eight-byte loop and the tail see it.
func TestIsASCII(t *testing.T) {
	for n := range 20 {
		plain := strings.Repeat("a", n)
		if !isASCII(plain) {
			t.Errorf("isASCII(%q) = false", plain)
		}
		for i := range n {
			for _, c := range []byte{0x80, 0xC3, 0xFF} {
				b := []byte(plain)
				b[i] = c
				if isASCII(string(b)) {
					t.Errorf("isASCII(%q) = true", b)
				}
			}
		}
	}
}

// TestParallelADTTEMatchesGota: an ADTTE of a few thousand rows, cut into
// small blocks and validated on 1 to 5 goroutines, gives the table and the
// report of the gota reader, with delayed entry, event descriptions,
// extra columns (all kept, or some), quoted fields, non-ASCII text and
// rejected rows (an undeclared endpoint); with fatal rows (bad CNSR,
// negative AVAL, a duplicate) it gives the same report and error.
func TestParallelADTTEMatchesGota(t *testing.T) {
	defer func(n int) { streamBlockSize = n }(streamBlockSize)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	file := func(fatal bool) string {
		var b strings.Builder
		b.WriteString("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY,EVNTDESC,CNSDTDSC,AGE,SITE\n")
		arms, params := []string{"KET", "MID"}, []string{"TTRESP", "TTRESP", "TTRELAPSE"}
		for i := range 3000 {
			subj := "U" + itoa(i)
			aval, cnsr, entry := itoa(i%97+1)+".5", itoa(i%3%2), ""
			if i%5 == 0 {
				entry = "0.25"
			}
			site := "Zürich"
			if i%7 == 0 {
				site = `"Bern, Mitte"`
			}
			if fatal {
				switch i {
				case 100:
					cnsr = "2"
				case 2200:
					aval = "-1"
				case 2500:
					subj = "U2497"
				}
			}
			b.WriteString(strings.Join([]string{"S1", subj, arms[i%2], params[i%3], aval, cnsr, entry, "RESPONSE", "", itoa(20 + i%50), site}, ","))
			b.WriteString("\n")
		}
		return writeFile(t, b.String())
	}
	for _, fatal := range []bool{false, true} {
		path := file(fatal)
		for _, keep := range []func(string) bool{nil, func(name string) bool { return name == "SITE" }} {
			want, wantRep, wantErr := ReadADTTE(path, Options{Study: testStudy(t), Reader: ReaderGota, KeepColumn: keep})
			if (wantErr != nil) != fatal || wantRep.Rejected < 1000 || (!fatal && len(want.Extra) != map[bool]int{true: 2, false: 1}[keep == nil]) {
				t.Fatalf("fatal %v: the gota reader: %v, %d rejected", fatal, wantErr, wantRep.Rejected)
			}
			for _, size := range []int{300, 4096} {
				for _, workers := range []int{1, 2, 5} {
					streamBlockSize = size
					runtime.GOMAXPROCS(workers)
					got, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: ReaderStream, KeepColumn: keep})
					rep.Reader, wantRep.Reader = "", ""
					if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(rep, wantRep) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
						t.Errorf("fatal %v, block %d, %d workers, keep %v: the streaming reader differs from gota (error %v, want %v)", fatal, size, workers, keep != nil, err, wantErr)
					}
				}
			}
		}
	}
}

// TestDropSubjects: with DropSubjects the table has no USUBJID, every other
// column as without it, and a duplicate subject+endpoint is still fatal.
func TestDropSubjects(t *testing.T) {
	for _, dup := range []bool{false, true} {
		var b strings.Builder
		b.WriteString("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\n")
		for i := range 50 {
			subj := "U" + itoa(i)
			if dup && i == 40 {
				subj = "U38"
			}
			b.WriteString(strings.Join([]string{"S1", subj, "KET", "TTRESP", itoa(i + 1), "0"}, ",") + "\n")
		}
		path := writeFile(t, b.String())
		want, wantRep, wantErr := ReadADTTE(path, Options{})
		got, rep, err := ReadADTTE(path, Options{DropSubjects: true})
		if dup {
			if err == nil || fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(rep, wantRep) {
				t.Errorf("duplicate: error %v, want %v", err, wantErr)
			}
			continue
		}
		if got.USUBJID != nil || want.USUBJID == nil {
			t.Errorf("duplicate %v: USUBJID %d rows dropped, %d kept", dup, len(got.USUBJID), len(want.USUBJID))
		}
		want.USUBJID = nil
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(rep, wantRep) || err != nil || wantErr != nil {
			t.Errorf("duplicate %v: with DropSubjects the read differs (error %v, want %v)", dup, err, wantErr)
		}
	}
}
