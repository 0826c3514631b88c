package xport

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// encode writes tables with Write and fails the test on error.
func encode(t testing.TB, opt WriteOptions, tables ...*Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, tables, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sameTable reports the first difference between two tables' metadata and
// values (numbers compared bit for bit).
func sameTable(t *testing.T, what string, got, want *Table) {
	t.Helper()
	if !strings.EqualFold(got.Name, want.Name) || got.Label != want.Label || got.Rows != want.Rows || len(got.Columns) != len(want.Columns) {
		t.Fatalf("%s: table %q %q %d rows %d columns, want %q %q %d %d", what, got.Name, got.Label, got.Rows, len(got.Columns), want.Name, want.Label, want.Rows, len(want.Columns))
	}
	for j := range want.Columns {
		g, w := &got.Columns[j], &want.Columns[j]
		if !strings.EqualFold(g.Name, w.Name) || g.Label != w.Label || g.Type != w.Type || g.Format != w.Format || g.Informat != w.Informat {
			t.Errorf("%s: column %d is %q %q %v %v %v, want %q %q %v %v %v", what, j, g.Name, g.Label, g.Type, g.Format, g.Informat, w.Name, w.Label, w.Type, w.Format, w.Informat)
			continue
		}
		for i := 0; i < want.Rows; i++ {
			if w.Type == Char {
				if g.String[i] != strings.TrimRight(w.String[i], " ") {
					t.Errorf("%s: %s row %d: %q, want %q", what, w.Name, i, g.String[i], w.String[i])
				}
				continue
			}
			wm := Present
			if w.Missing != nil {
				wm = w.Missing[i]
			}
			if g.Missing[i] != wm || (wm == Present && math.Float64bits(g.Float[i]) != math.Float64bits(w.Float[i])) {
				t.Errorf("%s: %s row %d: %v %q, want %v %q", what, w.Name, i, g.Float[i], g.Missing[i], w.Float[i], wm)
			}
		}
	}
}

// TestWriteRoundTrip writes the haven-written tables back with Write and
// reads them again.
func TestWriteRoundTrip(t *testing.T) {
	for _, file := range []string{"lung_v5.xpt", "special_v5.xpt"} {
		want := readXPT(t, file, Options{})
		got, err := Decode(encode(t, WriteOptions{}, want), Options{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		sameTable(t, file, got, want)
	}
	l1 := readXPT(t, "latin1_v5.xpt", Options{Encoding: Latin1})
	data := encode(t, WriteOptions{Encoding: Latin1}, l1)
	got, err := Decode(data, Options{Encoding: Latin1})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "latin1", got, l1)
	if !bytes.Contains(data, []byte("caf\xe9")) {
		t.Error("the latin1 file does not hold the latin1 bytes of café")
	}
}

// TestWriteMatchesHaven checks that Write stores the observations of
// survival::lung byte for byte as haven (ReadStat) does: same IBM floats,
// same blank-padded character fields, same padding of the last record.
func TestWriteMatchesHaven(t *testing.T) {
	for _, file := range []string{"lung_v5.xpt", "special_v5.xpt"} {
		haven, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		ours := encode(t, WriteOptions{}, readXPT(t, file, Options{}))
		obs := func(b []byte) []byte {
			i := bytes.Index(b, []byte(headerPrefix+"OBS     "+headerSuffix))
			if i < 0 {
				t.Fatalf("%s: no OBS header", file)
			}
			return b[i:]
		}
		if !bytes.Equal(obs(ours), obs(haven)) {
			t.Errorf("%s: the observation section differs from haven's", file)
		}
	}
}

// TestWriteTruncatedAndMissing writes numbers with LENGTH 3–8 and every
// kind of missing value and reads them back: a truncated number is its
// leading IBM bytes, which for these values (few significant bits) lose
// nothing.
func TestWriteTruncatedAndMissing(t *testing.T) {
	vals := []float64{1, -118.625, 100.5, 0, 1 << 20, math.NaN(), math.NaN(), math.NaN()}
	miss := []Missing{Present, Present, Present, Present, Present, MissingDot, 'K', MissingUnderscore}
	tab := &Table{Name: "TRUNC", Rows: len(vals)}
	for n := 3; n <= 8; n++ {
		tab.Columns = append(tab.Columns, Column{Name: "L" + string(rune('0'+n)), Type: Numeric, Length: n, Float: vals, Missing: miss})
	}
	got, err := Decode(encode(t, WriteOptions{}, tab), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "truncated", got, tab)
	for j := range got.Columns {
		if got.Columns[j].Length != j+3 {
			t.Errorf("column %d has length %d", j, got.Columns[j].Length)
		}
	}
	if got.Columns[0].Cell(6) != "" || got.Columns[0].Missing[6].String() != ".K" {
		t.Errorf(".K: cell %q, missing %q", got.Columns[0].Cell(6), got.Columns[0].Missing[6])
	}
}

// TestWriteErrors checks that invalid tables are rejected with the member
// and variable named, and that nothing is written.
func TestWriteErrors(t *testing.T) {
	num := func(name string, v ...float64) Column { return Column{Name: name, Type: Numeric, Float: v} }
	for _, test := range []struct {
		name string
		tab  *Table
		want string
	}{
		{"long member name", &Table{Name: "TOOLONGNAME"}, "member name"},
		{"bad variable name", &Table{Name: "T", Rows: 1, Columns: []Column{num("1X", 1)}}, "variable 1X"},
		{"duplicate", &Table{Name: "T", Rows: 1, Columns: []Column{num("A", 1), num("a", 2)}}, "unique"},
		{"NaN not missing", &Table{Name: "T", Rows: 1, Columns: []Column{num("A", math.NaN())}}, "observation 1"},
		{"Inf", &Table{Name: "T", Rows: 2, Columns: []Column{num("A", 1, math.Inf(1))}}, "observation 2"},
		{"out of range", &Table{Name: "T", Rows: 1, Columns: []Column{num("A", 1e300)}}, "IBM"},
		{"rows", &Table{Name: "T", Rows: 2, Columns: []Column{num("A", 1)}}, "1 values"},
		{"long label", &Table{Name: "T", Rows: 1, Columns: []Column{{Name: "A", Type: Numeric, Float: []float64{1}, Label: strings.Repeat("x", 41)}}}, "40 bytes"},
		{"char too long", &Table{Name: "T", Rows: 1, Columns: []Column{{Name: "S", Type: Char, Length: 2, String: []string{"abc"}}}}, "more than the length"},
		{"char over 200", &Table{Name: "T", Rows: 1, Columns: []Column{{Name: "S", Type: Char, String: []string{strings.Repeat("x", 201)}}}}, "200"},
		{"length 2", &Table{Name: "T", Rows: 1, Columns: []Column{{Name: "A", Type: Numeric, Length: 2, Float: []float64{1}}}}, "3 to 8"},
	} {
		var buf bytes.Buffer
		err := Write(&buf, []*Table{{Name: "OK"}, test.tab}, WriteOptions{})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want one mentioning %q", test.name, err, test.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written", test.name, buf.Len())
		}
	}
}

// TestWriteDeterministic checks that the same tables give the same bytes.
func TestWriteDeterministic(t *testing.T) {
	tab := readXPT(t, "special_v5.xpt", Options{})
	if !bytes.Equal(encode(t, WriteOptions{}, tab), encode(t, WriteOptions{}, tab)) {
		t.Error("two writes differ")
	}
}
