package derive

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// This file is a small CSV reader for test fixtures that are not ADaM
// files (adtte_latent.csv, the R reference ref_adtte.csv): the study data
// themselves are read by Load through package adam.

// table is a CSV file being read row by row.
type table struct {
	name  string
	r     *csv.Reader
	index map[string]int
	rec   []string
	line  int
}

func readCSV(path string, required []string, fill func(t *table) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("could not open data file: %w", err)
	}
	defer f.Close()
	t := &table{name: filepath.Base(path), r: csv.NewReader(f), index: map[string]int{}}
	t.r.ReuseRecord = true
	header, err := t.r.Read()
	if err != nil {
		return fmt.Errorf("%s: could not read the header: %w", t.name, err)
	}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		t.index[h] = i
	}
	for _, c := range required {
		if !t.has(c) {
			return fmt.Errorf("%s: line 1: column %s is missing: the header must have %s", t.name, c, strings.Join(required, ", "))
		}
	}
	return fill(t)
}

func (t *table) has(col string) bool { _, ok := t.index[col]; return ok }

// each calls row for every data row.
func (t *table) each(row func() error) error {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s: line %d, column %d: %v", t.name, pe.Line, pe.Column, pe.Err)
			}
			return fmt.Errorf("could not read %s: %w", t.name, err)
		}
		t.rec = rec
		t.line, _ = t.r.FieldPos(0)
		if err := row(); err != nil {
			return err
		}
	}
}

// str returns the trimmed cell of col, or "" when the column is absent.
func (t *table) str(col string) string {
	i, ok := t.index[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

func (t *table) errorf(col, format string, args ...any) error {
	return fmt.Errorf("%s: line %d, column %d (%s): %s", t.name, t.line, t.index[col]+1, col, fmt.Sprintf(format, args...))
}

// number parses a required finite number.
func (t *table) number(col, what string) (float64, error) {
	s := t.str(col)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, t.errorf(col, "%q is not a finite number: give %s", s, what)
	}
	return v, nil
}

// optNumber parses an optional finite number; empty or absent is NaN.
func (t *table) optNumber(col string) (float64, error) {
	s := t.str(col)
	if s == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, t.errorf(col, "%q is not a finite number: give a number or leave the cell empty", s)
	}
	return v, nil
}
