//go:build ignore

// make_xpt writes datasets/example-xpt/adtte.xpt, the example study's
// ADTTE as a SAS XPORT version 5 file (member ADTTE), from
// datasets/example/adtte.csv with package xport's writer. Run from the
// repository root: go run datasets/example-xpt/make_xpt.go
//
// AVAL, CNSR and AGE are numeric variables; the others are character.
// Read back, the file gives the cells of the CSV (xport.Column.Cell), so
// that the study's reports equal the example study's but for the input
// file's name and SHA-256.
package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/xport"
)

var numeric = map[string]bool{"AVAL": true, "CNSR": true, "AGE": true}

func main() {
	if err := run("datasets/example/adtte.csv", "datasets/example-xpt/adtte.xpt"); err != nil {
		fmt.Fprintln(os.Stderr, "make_xpt:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("could not read %s: %w", in, err)
	}
	hdr, rows := records[0], records[1:]
	tab := &xport.Table{Name: "ADTTE", Label: "Example: time to response and relapse", Rows: len(rows)}
	for j, name := range hdr {
		c := xport.Column{Name: name}
		if numeric[name] {
			c.Type = xport.Numeric
			for i, r := range rows {
				v, m := math.NaN(), xport.MissingDot
				if r[j] != "" {
					if v, err = strconv.ParseFloat(r[j], 64); err != nil {
						return fmt.Errorf("%s: line %d, column %s: %w", in, i+2, name, err)
					}
					m = xport.Present
				}
				c.Float, c.Missing = append(c.Float, v), append(c.Missing, m)
			}
		} else {
			c.Type = xport.Char
			for _, r := range rows {
				c.String = append(c.String, r[j])
			}
		}
		tab.Columns = append(tab.Columns, c)
	}
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := xport.Write(w, []*xport.Table{tab}, xport.WriteOptions{}); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
