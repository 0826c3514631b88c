package adam

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The readers' fuzz tests. Each fuzzes one reader over the three formats
// (the byte picks the extension: CSV, .xpt, .json/.ndjson) and checks that
// it never panics, that every error is a data error (ErrInvalid), that the
// counts reconcile (RowsRead = Accepted + Rejected, one Problem per
// rejected row, the table has the accepted rows), that every problem
// names a row and is valid UTF-8 (it goes into rejects.csv), and that
// the gota and streaming CSV readers agree. Seeds: testdata and the
// package's test inputs; crashers found are kept in testdata/fuzz.
//
//	go test -run '^$' -fuzz '^FuzzReadADTTE$' -fuzztime 30s ./pipeline/adam/
//
// (make fuzz runs every fuzz test of the project in turn.)

var fuzzExt = []string{".csv", ".xpt", ".json", ".ndjson"}

// fuzzSeeds adds the files of testdata with their format, and the CSV
// contents given.
func fuzzSeeds(f *testing.F, csv ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		ext := filepath.Ext(name)
		for k, e := range fuzzExt {
			if e == ext {
				data, err := os.ReadFile(name)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data, uint8(k))
			}
		}
	}
	for _, c := range csv {
		f.Add([]byte(c), uint8(0))
	}
}

// fuzzRead writes data to a file of the format k picks, reads it with read
// under each CSV reader, and checks the properties above. read returns the
// table's length (-1 without a table).
// The file is written in dir (one per fuzz process: the inputs of a
// worker run one at a time), which is faster than a t.TempDir each.
func fuzzRead(t *testing.T, dir, dataset string, data []byte, k uint8, read func(path string, opt Options) (int, *Report, error)) {
	ext := fuzzExt[int(k)%len(fuzzExt)]
	path := filepath.Join(dir, strings.ToLower(dataset)+ext)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	readers := []Reader{ReaderGota, ReaderStream}
	if ext != ".csv" {
		readers = readers[:1]
	}
	var msgs []string
	for _, reader := range readers {
		for _, enc := range []Encoding{UTF8, Latin1} {
			if enc == Latin1 && reader == ReaderGota && ext == ".csv" {
				continue // the readers agree on UTF-8; latin1 once is enough
			}
			n, rep, err := read(path, Options{Reader: reader, Encoding: enc})
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("%s %s: error %v does not wrap ErrInvalid", reader, enc, err)
			}
			if err != nil && !utf8.ValidString(err.Error()) {
				t.Fatalf("%s %s: error %q is not valid UTF-8", reader, enc, err)
			}
			if rep == nil {
				t.Fatalf("%s %s: no report (error %v)", reader, enc, err)
			}
			if rep.RowsRead != rep.Accepted+rep.Rejected || len(rep.Problems) != rep.Rejected || rep.Accepted < 0 {
				t.Fatalf("%s %s: read %d, accepted %d, rejected %d, %d problems", reader, enc, rep.RowsRead, rep.Accepted, rep.Rejected, len(rep.Problems))
			}
			if n >= 0 && n != rep.Accepted {
				t.Fatalf("%s %s: table has %d rows, %d accepted", reader, enc, n, rep.Accepted)
			}
			for _, p := range rep.Problems {
				if p.Line <= 0 || p.Reason == "" || !utf8.ValidString(p.Error()) || !utf8.ValidString(p.Value) {
					t.Fatalf("%s %s: problem %+v", reader, enc, p)
				}
			}
			if enc == UTF8 {
				msg := ""
				if err != nil {
					msg = err.Error()
				}
				msgs = append(msgs, msg)
			}
		}
	}
	if len(msgs) == 2 && msgs[0] != msgs[1] {
		t.Fatalf("the CSV readers disagree:\ngota:   %s\nstream: %s", msgs[0], msgs[1])
	}
}

func FuzzReadADTTE(f *testing.F) {
	fuzzSeeds(f, header+"S1,1,KET,TTRESP,1,0,30\nS1,2,MID,TTRESP,2.5,1,\n",
		"STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY\nS1,1,KET,TTRESP,1,0,0.5\nS1,1,KET,TTRESP,1,0,0.5\n",
		header+"S1,1,\"K,ET\",TTRESP,1,0,30\nS1,2,\"MID\nX\",TTRESP,1,0\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		fuzzRead(t, dir, "ADTTE", data, k, func(p string, o Options) (int, *Report, error) {
			tab, rep, err := ReadADTTE(p, o)
			if tab == nil {
				return -1, rep, err
			}
			return tab.Len(), rep, err
		})
	})
}

func FuzzReadADSL(f *testing.F) {
	fuzzSeeds(f, "STUDYID,USUBJID,TRT01P,AGE,RANDDY,DCSREAS\nS1,1,KET,41,0,\nS1,2,MID,,1,LOST TO FOLLOW-UP\nS1,1,KET,3,,\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		fuzzRead(t, dir, "ADSL", data, k, func(p string, o Options) (int, *Report, error) {
			a, rep, err := ReadADSLWith(p, o)
			if a == nil {
				return -1, rep, err
			}
			return a.Len(), rep, err
		})
	})
}

func FuzzReadADQS(f *testing.F) {
	fuzzSeeds(f, adqsHeader+"S1,1,MADRS,BASELINE,0,34\nS1,1,MADRS,DAY1,1,\nS1,1,MADRS10,DAY1,1,7\nS1,2,BSL23,DAY1,-0.5,3.5\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		fuzzRead(t, dir, "ADQS", data, k, func(p string, o Options) (int, *Report, error) {
			q, rep, err := ReadADQSWith(p, o)
			if q == nil {
				return -1, rep, err
			}
			return q.Len(), rep, err
		})
	})
}

func FuzzReadADCE(f *testing.F) {
	fuzzSeeds(f, "STUDYID,USUBJID,ADY,CETERM\nS1,1,3,HOSPITALIZATION\nS1,2,4.5,SUICIDE_ATTEMPT\n", "STUDYID,USUBJID,ADY,CETERM\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		fuzzRead(t, dir, "ADCE", data, k, func(p string, o Options) (int, *Report, error) {
			e, rep, err := ReadADCEWith(p, o)
			if e == nil {
				return -1, rep, err
			}
			return e.Len(), rep, err
		})
	})
}
