package xport

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// readCSV returns the records of a CSV file in testdata.
func readCSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

func readXPT(t testing.TB, name string, opt Options) *Table {
	t.Helper()
	tab, err := ReadFile(filepath.Join("testdata", name), opt)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestLungAgainstCSV checks every cell of survival::lung as ADTTE, written
// by R 4.2.2 / haven 2.5.1 (testdata/make_testdata.R):
//
//	haven::write_xpt(lung_adtte, "lung_v5.xpt", version = 5, name = "ADTTE",
//	                 label = "Time to death (survival::lung)")
//	haven::write_xpt(lung_adtte, "lung_v8.xpt", version = 8, ...)
//
// against lung.csv, written by the same script with sprintf("%.17g") for
// numbers and "" for NA. Numbers must be equal as doubles (the IBM
// conversion is exact for numbers that came from doubles); character cells
// equal as strings.
func TestLungAgainstCSV(t *testing.T) {
	want := readCSV(t, "lung.csv")
	for _, file := range []string{"lung_v5.xpt", "lung_v8.xpt"} {
		tab := readXPT(t, file, Options{})
		if tab.Name != "ADTTE" || tab.Label != "Time to death (survival::lung)" || tab.Rows != 228 {
			t.Errorf("%s: member %q label %q rows %d, want ADTTE, the label, 228", file, tab.Name, tab.Label, tab.Rows)
		}
		checkCells(t, file, tab, want)
		aval, _ := tab.Column("aval")
		if aval.Label != "Analysis Value" || aval.Format.String() != "8." || aval.Length != 8 {
			t.Errorf("%s: AVAL label %q format %q length %d", file, aval.Label, aval.Format, aval.Length)
		}
		for _, test := range []struct {
			name    string
			missing int
		}{{"PHECOG", 1}, {"WTLOSS", 14}, {"AGE", 0}} {
			c, _ := tab.Column(test.name)
			n := 0
			for _, m := range c.Missing {
				if m == MissingDot {
					n++
				}
			}
			if n != test.missing {
				t.Errorf("%s: %s has %d missing values, want %d (R: sum(is.na(lung$...)))", file, test.name, n, test.missing)
			}
		}
	}
}

// checkCells compares a table with CSV records: the header, character cells
// as strings, numeric cells as doubles ("" = missing), other cells as the
// strings Column.Cell renders.
func checkCells(t *testing.T, file string, tab *Table, want [][]string) {
	t.Helper()
	recs := tab.Records()
	if len(recs) != len(want) {
		t.Fatalf("%s: %d records, want %d", file, len(recs), len(want))
	}
	for j, name := range want[0] {
		if j >= len(recs[0]) || recs[0][j] != name {
			t.Fatalf("%s: header %v, want %v", file, recs[0], want[0])
		}
	}
	for i := 1; i < len(want); i++ {
		for j, w := range want[i] {
			c := &tab.Columns[j]
			got := recs[i][j]
			if c.Type == Numeric && c.Temporal() == NotTemporal {
				if (w == "") != c.Missing[i-1].IsMissing() {
					t.Errorf("%s: row %d %s: missing %v, want cell %q", file, i, c.Name, c.Missing[i-1], w)
					continue
				}
				if w == "" {
					continue
				}
				wv, err := strconv.ParseFloat(w, 64)
				gv, err2 := strconv.ParseFloat(got, 64)
				if err != nil || err2 != nil || wv != c.Float[i-1] || gv != wv {
					t.Errorf("%s: row %d %s: %v (cell %q), want %s", file, i, c.Name, c.Float[i-1], got, w)
				}
				continue
			}
			if got != w {
				t.Errorf("%s: row %d %s: cell %q, want %q", file, i, c.Name, got, w)
			}
		}
	}
}

// TestSpecialAgainstCSV checks dates (DATE9., YYMMDD10., DATE., E8601DA.),
// datetimes (DATETIME20.), times (TIME8.) and the special missing values
// .A, .Z, ._ (haven::tagged_na("A"), ...) of special_v5.xpt and
// special_v8.xpt against special.csv, whose date cells R wrote with
// format(as.Date(floor(d), origin = "1960-01-01"), "%Y-%m-%d") and whose
// datetime cells with format(as.POSIXct(s, origin = "1960-01-01", tz =
// "UTC"), "%Y-%m-%dT%H:%M:%S") (see make_testdata.R). XTAG is na_tag(X).
func TestSpecialAgainstCSV(t *testing.T) {
	want := readCSV(t, "special.csv")
	xtag := 8 // column XTAG of special.csv, not in the xpt file
	var cells [][]string
	for _, r := range want {
		cells = append(cells, append(append([]string{}, r[:xtag]...), r[xtag+1:]...))
	}
	for _, test := range []struct {
		file, member, xname, xlabel string
	}{
		{"special_v5.xpt", "SPECIAL", "X", "A number with special missing values"},
		{"special_v8.xpt", "SPECIAL_LONG_NAME", "A_LONG_VARIABLE_NAME", "A label that is longer than the forty bytes of a version 5 namestr"},
	} {
		tab := readXPT(t, test.file, Options{})
		if tab.Name != test.member {
			t.Errorf("%s: member %q, want %q", test.file, tab.Name, test.member)
		}
		v8cells := append([][]string{}, cells...)
		v8cells[0] = append([]string{}, cells[0]...)
		v8cells[0][7] = test.xname
		checkCells(t, test.file, tab, v8cells)
		x := &tab.Columns[7]
		if x.Name != test.xname || x.Label != test.xlabel || x.Format.String() != "8.2" {
			t.Errorf("%s: X is %q %q %q", test.file, x.Name, x.Label, x.Format)
		}
		for i := 1; i < len(want); i++ {
			tag := want[i][xtag]
			m := x.Missing[i-1]
			switch {
			case tag != "" && m.String() != "."+tag:
				t.Errorf("%s: row %d: missing %q, want .%s", test.file, i, m, tag)
			case tag == "" && m.IsMissing() && m != MissingDot:
				t.Errorf("%s: row %d: missing %q, want . or a value", test.file, i, m)
			}
		}
	}
}

// TestLatin1 reads latin1_v5.xpt (haven::write_xpt with the latin1 bytes
// patched in by make_testdata.R) as latin1, and checks that reading it as
// UTF-8 is an error naming the byte offset of the first latin1 byte and
// the variable.
func TestLatin1(t *testing.T) {
	tab := readXPT(t, "latin1_v5.xpt", Options{Encoding: Latin1})
	checkCells(t, "latin1_v5.xpt", tab, readCSV(t, "latin1.csv"))
	data, err := os.ReadFile(filepath.Join("testdata", "latin1_v5.xpt"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Decode(data, Options{})
	var xe *Error
	if !errors.As(err, &xe) || !errors.Is(err, ErrEncoding) {
		t.Fatalf("UTF-8 read of latin1: err = %v, want an *Error wrapping ErrEncoding", err)
	}
	if xe.Variable != "TXT" || xe.Member != "LATIN1" || data[xe.Offset] != 0xe9 {
		t.Errorf("error %v: variable %q, member %q, byte at offset 0x%02x; want TXT, LATIN1, 0xe9 (é)", err, xe.Variable, xe.Member, data[xe.Offset])
	}
}
