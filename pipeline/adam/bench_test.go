package adam

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// writeBenchFile writes an n-row ADTTE file like cmd/benchcmp's (two arms,
// AGE, SEX, BASEMADRS; about 48 bytes a row) from a seeded PCG.
func writeBenchFile(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "adtte.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE,SEX,BASEMADRS\n")
	rng := rand.New(rand.NewPCG(1, 2))
	arms := []string{"ESCITALOPRAM", "KETAMINE"}
	sexes := []string{"F", "M"}
	for i := range n {
		fmt.Fprintf(w, "BENCH,B%d,%s,TTRESP,%s,%d,%d,%s,%d\n", i+1, arms[rng.IntN(2)],
			strconv.FormatFloat(float64(rng.IntN(1200000))/1e4, 'f', -1, 64), rng.IntN(2), 18+rng.IntN(58), sexes[rng.IntN(2)], 20+rng.IntN(31))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReadADTTE reads and validates ADTTE files of 1e3 … 1e6 rows with
// each reader (gota only up to 1e5: it needs about 800 MB at 1e6).
func BenchmarkReadADTTE(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		path := writeBenchFile(b, n)
		for _, reader := range []Reader{ReaderStream, ReaderGota} {
			if reader == ReaderGota && n > 1e5 {
				continue
			}
			b.Run(fmt.Sprintf("reader=%s/n=%d", reader, n), func(b *testing.B) {
				st, _ := os.Stat(path)
				b.SetBytes(st.Size())
				b.ReportAllocs()
				for b.Loop() {
					t, _, err := ReadADTTE(path, Options{Reader: reader})
					if err != nil || t.Len() != n {
						b.Fatalf("ReadADTTE: %v", err)
					}
				}
			})
		}
	}
}

// benchFixture is an n-row ADTTE like writeBenchFile's, as a fixture.
func benchFixture(n int) fixture {
	f := fixture{name: "ADTTE", header: []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR", "AGE", "SEX", "BASE"},
		numeric: map[string]bool{"AVAL": true, "CNSR": true, "AGE": true, "BASE": true}}
	rng := rand.New(rand.NewPCG(1, 2))
	arms := []string{"ESCITALOPRAM", "KETAMINE"}
	sexes := []string{"F", "M"}
	for i := range n {
		f.rows = append(f.rows, []string{"BENCH", "B" + strconv.Itoa(i+1), arms[rng.IntN(2)], "TTRESP",
			strconv.FormatFloat(float64(rng.IntN(1200000))/1e4, 'f', -1, 64), strconv.Itoa(rng.IntN(2)),
			strconv.Itoa(18 + rng.IntN(58)), sexes[rng.IntN(2)], strconv.Itoa(20 + rng.IntN(31))})
	}
	return f
}

// BenchmarkReadADTTEDecoded reads and validates ADTTE files of 1e3 … 1e6
// rows as SAS XPORT v5 and as NDJSON (1e6 skipped under -short).
func BenchmarkReadADTTEDecoded(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		if n > 1e5 && testing.Short() {
			continue
		}
		f := benchFixture(n)
		for _, format := range []Format{FormatXPT, FormatNDJSON} {
			var path string
			if format == FormatXPT {
				path = writeXPT(b, "adtte.xpt", f)
			} else {
				path = writeDatasetJSON(b, "adtte.ndjson", f, true)
			}
			b.Run(fmt.Sprintf("format=%s/n=%d", format, n), func(b *testing.B) {
				st, _ := os.Stat(path)
				b.SetBytes(st.Size())
				b.ReportAllocs()
				for b.Loop() {
					tab, _, err := ReadADTTE(path, Options{})
					if err != nil || tab.Len() != n {
						b.Fatalf("ReadADTTE: %v", err)
					}
				}
			})
		}
	}
}
