package datasetjson

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics and returns either an *Error (or
// nothing) and a consistent table: every column holds Rows values. Memory is
// bounded by the input: "records" only sizes the first allocation (at most
// 65536 rows) and a huge declared count costs nothing more. Seeds: the
// R-written lung files, cut to their first lines, and small documents.
//
//	go test -fuzz=FuzzRead -fuzztime=60s -fuzzminimizetime=2s ./pipeline/datasetjson/
func FuzzRead(f *testing.F) {
	for _, name := range []string{"lung.json", "lung.ndjson"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		lines := bytes.SplitN(data, []byte("\n"), 6)
		f.Add(bytes.Join(lines[:5], []byte("\n")))
	}
	f.Add([]byte(doc(col("A", "integer")+","+col("D", "decimal"), `[1, "2.5"], [null, null]`, -1)))
	f.Add([]byte(strings.Replace(doc(col("A", "integer"), `[1]`, -1), `"records": 1`, `"records": 1000000000000`, 1)))
	f.Add([]byte(doc(col("T", "datetime", `"targetDataType": "integer"`)+","+col("B", "boolean"), `["2020-01-01T00:00:00", true]`, -1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Read(bytes.NewReader(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, not an *Error", err, err)
			}
			return
		}
		for j := range tab.Columns {
			c := &tab.Columns[j]
			if len(c.Missing) != tab.Rows || (c.Float != nil && len(c.Float) != tab.Rows) ||
				(c.String != nil && len(c.String) != tab.Rows) || (c.Bool != nil && len(c.Bool) != tab.Rows) {
				t.Fatalf("column %s: %d/%d/%d/%d values for %d rows", c.Name, len(c.Missing), len(c.Float), len(c.String), len(c.Bool), tab.Rows)
			}
		}
		_ = tab.Records()
	})
}
