package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// studies is the validated input: one estimate per study on the analysis
// scale, and the published ratio with its CI when the input gave one.
type studies struct {
	File             string
	Ratio            bool // input columns hr,lower,upper
	Names            []string
	Yi, Sei          []float64
	HR, Lower, Upper []float64 // nil unless Ratio
}

func (s *studies) K() int { return len(s.Names) }

// readStudies reads and validates the input CSV. Errors name the file,
// line and column.
func readStudies(path string) (*studies, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("could not read studies: %w", err)
	}
	defer f.Close()
	s, err := parseStudies(f, path)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func parseStudies(r io.Reader, file string) (*studies, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: need a header with study and either hr,lower,upper or yi,sei", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	cols := map[string]int{}
	for j, h := range header {
		cols[strings.ToLower(strings.TrimSpace(h))] = j
	}
	s := &studies{File: file}
	var need []string
	switch {
	case has(cols, "hr", "lower", "upper") && has(cols, "yi", "sei"):
		return nil, fmt.Errorf("%s:1: both hr,lower,upper and yi,sei columns: keep one set", file)
	case has(cols, "hr", "lower", "upper"):
		s.Ratio, need = true, []string{"hr", "lower", "upper"}
	case has(cols, "yi", "sei"):
		need = []string{"yi", "sei"}
	default:
		return nil, fmt.Errorf("%s:1: missing columns: need study and either hr,lower,upper (ratio with 95%% CI) or yi,sei (estimate and standard error); found %s", file, strings.Join(header, ","))
	}
	if _, ok := cols["study"]; !ok {
		return nil, fmt.Errorf("%s:1: missing column study: need study and %s", file, strings.Join(need, ","))
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d:%d: %v", file, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if err := s.addRow(cr, rec, cols, seen); err != nil {
			return nil, err
		}
	}
	if s.K() < 2 {
		return nil, fmt.Errorf("%s: %d stud%s: a meta-analysis needs at least 2", file, s.K(), plural(s.K(), "y", "ies"))
	}
	return s, nil
}

func has(cols map[string]int, names ...string) bool {
	for _, n := range names {
		if _, ok := cols[n]; !ok {
			return false
		}
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// addRow validates one record and appends it.
func (s *studies) addRow(cr *csv.Reader, rec []string, cols map[string]int, seen map[string]int) error {
	pos := func(name string) string {
		line, col := cr.FieldPos(cols[name])
		return fmt.Sprintf("%s:%d:%d", s.File, line, col)
	}
	line, _ := cr.FieldPos(0)
	name := strings.TrimSpace(rec[cols["study"]])
	if name == "" {
		return fmt.Errorf("%s: empty study name", pos("study"))
	}
	if prev, ok := seen[name]; ok {
		return fmt.Errorf("%s: duplicate study %q (also on line %d): study names must be unique", pos("study"), name, prev)
	}
	seen[name] = line
	number := func(col string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[cols[col]]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%s: %s %q is not a finite number", pos(col), col, rec[cols[col]])
		}
		return v, nil
	}
	if !s.Ratio {
		yi, err := number("yi")
		if err != nil {
			return err
		}
		sei, err := number("sei")
		if err != nil {
			return err
		}
		if sei <= 0 {
			return fmt.Errorf("%s: sei %v must be > 0 (a standard error, not a variance or a CI limit)", pos("sei"), sei)
		}
		s.Names, s.Yi, s.Sei = append(s.Names, name), append(s.Yi, yi), append(s.Sei, sei)
		return nil
	}
	var v [3]float64
	for j, col := range []string{"hr", "lower", "upper"} {
		x, err := number(col)
		if err != nil {
			return err
		}
		if x <= 0 {
			return fmt.Errorf("%s: %s %v must be > 0: give ratios, not log ratios (use yi,sei for log-scale estimates)", pos(col), col, x)
		}
		v[j] = x
	}
	if !(v[1] < v[2]) {
		return fmt.Errorf("%s: lower %v must be below upper %v", pos("lower"), v[1], v[2])
	}
	if v[0] < v[1] || v[0] > v[2] {
		return fmt.Errorf("%s: confidence interval [%v, %v] does not contain the estimate %v: check the order of hr,lower,upper", pos("hr"), v[1], v[2], v[0])
	}
	yi, sei, err := meta.FromRatio(v[0], v[1], v[2])
	if err != nil {
		return fmt.Errorf("%s: %w", pos("hr"), err)
	}
	s.Names, s.Yi, s.Sei = append(s.Names, name), append(s.Yi, yi), append(s.Sei, sei)
	s.HR, s.Lower, s.Upper = append(s.HR, v[0]), append(s.Lower, v[1]), append(s.Upper, v[2])
	return nil
}
