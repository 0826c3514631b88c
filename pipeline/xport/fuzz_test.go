package xport

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that Decode never panics, and that a decoded table is
// consistent: every column has Rows values, and the rows fit in the file
// (memory is bounded by the file size, whatever the headers declare).
// Seeds: the R-written files of testdata, a VAX file and several members.
//
//	go test -fuzz=FuzzDecode -fuzztime=60s -fuzzminimizetime=2s ./pipeline/xport/
//
// (minimizing a 19 kB seed for the default 60 s stalls the workers).
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xpt"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	a := &Table{Name: "A", Rows: 2, Columns: []Column{{Name: "X", Type: Numeric, Length: 3, Float: []float64{1, 2}, Missing: []Missing{Present, 'Q'}}}}
	b := &Table{Name: "B", Rows: 1, Columns: []Column{{Name: "S", Type: Char, String: []string{"b"}}}}
	var buf = encode(f, WriteOptions{}, a, b)
	f.Add(buf)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, enc := range []Encoding{UTF8, Latin1} {
			tables, err := DecodeAll(data, Options{Encoding: enc})
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error %v is a %T, not an *Error", err, err)
				}
				continue
			}
			for _, tab := range tables {
				if tab.Rows > len(data) && len(tab.Columns) > 0 {
					t.Fatalf("%d rows from %d bytes", tab.Rows, len(data))
				}
				for j := range tab.Columns {
					c := &tab.Columns[j]
					if len(c.Float)+len(c.String) != tab.Rows || (c.Type == Numeric && len(c.Missing) != tab.Rows) {
						t.Fatalf("column %s has %d+%d values for %d rows", c.Name, len(c.Float), len(c.String), tab.Rows)
					}
				}
				_ = tab.Records()
			}
		}
	})
}
