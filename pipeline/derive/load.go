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

// CovariateColumns are the ADSL columns copied to every ADTTE row when
// adsl.csv has them.
var CovariateColumns = []string{"AGE", "SEX", "STRATUM"}

// Load reads adsl.csv, adqs.csv and, when present, adce.csv from the study
// folder dir (Data.HasADCE says whether it was). Errors name the file, line and column and say how to fix the
// cell. An empty AVAL in adqs.csv is a missed assessment (Value NaN), kept
// so that the plan's `missing:` rule can see it.
//
// Load is a small local reader; it will give way to pipeline/adam's readers.
func Load(dir string) (*Data, error) {
	d := &Data{ADQSFile: "adqs.csv", ADCEFile: "adce.csv"}
	if err := readCSV(filepath.Join(dir, "adsl.csv"), []string{"STUDYID", "USUBJID", "TRT01P"}, func(t *table) error {
		for _, name := range CovariateColumns {
			if t.has(name) {
				d.CovariateNames = append(d.CovariateNames, name)
			}
		}
		return t.each(func() error {
			if err := t.study(d); err != nil {
				return err
			}
			sub := Subject{USUBJID: t.str("USUBJID"), Arm: t.str("TRT01P"), DiscReason: t.str("DCSREAS"), Line: t.line}
			if sub.USUBJID == "" {
				return t.errorf("USUBJID", "USUBJID is empty: every subject needs an identifier")
			}
			var err error
			for _, f := range []struct {
				col string
				dst *float64
			}{{"RANDDY", &sub.RandDay}, {"EOSDY", &sub.EndDay}, {"RESCDY", &sub.RescueDay}} {
				if *f.dst, err = t.optNumber(f.col); err != nil {
					return err
				}
			}
			for _, name := range d.CovariateNames {
				sub.Covariates = append(sub.Covariates, t.str(name))
			}
			d.Subjects = append(d.Subjects, sub)
			return nil
		})
	}); err != nil {
		return nil, err
	}
	if err := readCSV(filepath.Join(dir, "adqs.csv"), []string{"STUDYID", "USUBJID", "PARAMCD", "ADY", "AVAL"}, func(t *table) error {
		return t.each(func() error {
			if err := t.study(d); err != nil {
				return err
			}
			a := Assessment{USUBJID: t.str("USUBJID"), Param: t.str("PARAMCD"), Visit: t.str("AVISIT"), Line: t.line}
			var err error
			if a.Day, err = t.number("ADY", "the study day of the assessment (fractions allowed: 40 min = 0.02778)"); err != nil {
				return err
			}
			if a.Value, err = t.optNumber("AVAL"); err != nil {
				return err
			}
			d.Assessments = append(d.Assessments, a)
			return nil
		})
	}); err != nil {
		return nil, err
	}
	err := readCSV(filepath.Join(dir, "adce.csv"), []string{"STUDYID", "USUBJID", "ADY", "CETERM"}, func(t *table) error {
		return t.each(func() error {
			if err := t.study(d); err != nil {
				return err
			}
			e := ClinicalEvent{USUBJID: t.str("USUBJID"), Term: t.str("CETERM"), Line: t.line}
			var err error
			if e.Day, err = t.number("ADY", "the study day of the event"); err != nil {
				return err
			}
			d.Events = append(d.Events, e)
			return nil
		})
	})
	switch {
	case err == nil:
		d.HasADCE = true
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	return d, nil
}

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

func (t *table) study(d *Data) error {
	id := t.str("STUDYID")
	if d.StudyID == "" {
		d.StudyID = id
	}
	if id != d.StudyID {
		return t.errorf("STUDYID", "STUDYID %q differs from %q: a study folder holds one study", id, d.StudyID)
	}
	return nil
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
