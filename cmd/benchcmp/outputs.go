package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// csvColumn selects the numbers of one column of one of fit's tables, in
// file order, from the rows whose columns equal Where.
type csvColumn struct {
	File, Column, Key string
	Where             map[string]string
}

// readEstimates reads the selected columns of fit's output folder and the
// number of rows read (results.json input.rows) as "rows".
func readEstimates(dir string, cols ...csvColumn) (map[string][]float64, error) {
	out := map[string][]float64{}
	for _, c := range cols {
		err := eachCSVRow(filepath.Join(dir, c.File), func(get func(string) (string, error)) error {
			for k, want := range c.Where {
				v, err := get(k)
				if err != nil || v != want {
					return err
				}
			}
			s, err := get(c.Column)
			if err != nil {
				return err
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("column %s: %q is not a number", c.Column, s)
			}
			out[c.Key] = append(out[c.Key], v)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(out[c.Key]) == 0 {
			return nil, fmt.Errorf("%s: no row with %v", filepath.Join(dir, c.File), c.Where)
		}
	}
	n, err := rowsRead(dir)
	if err != nil {
		return nil, err
	}
	out["rows"] = []float64{float64(n)}
	return out, nil
}

// eachCSVRow calls f on every data row of a CSV file with a header; get
// returns a cell by column name.
func eachCSVRow(path string, f func(get func(string) (string, error)) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("fit's output: %w", err)
	}
	defer fh.Close()
	r := csv.NewReader(bufio.NewReaderSize(fh, 1<<16))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: no header: %w", path, err)
	}
	header = slices.Clone(header)
	var rec []string
	get := func(name string) (string, error) {
		i := slices.Index(header, name)
		if i < 0 {
			return "", fmt.Errorf("%s: no column %s (columns %v)", path, name, header)
		}
		return rec[i], nil
	}
	for line := 2; ; line++ {
		rec, err = r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := f(get); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, line, err)
		}
	}
}

// rowsRead returns input.rows of results.json. The input object comes
// before the (possibly very long) endpoints, so only the file's start is
// decoded.
func rowsRead(dir string) (int, error) {
	path := filepath.Join(dir, "results.json")
	fh, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("fit's output: %w", err)
	}
	defer fh.Close()
	dec := json.NewDecoder(bufio.NewReader(fh))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0, fmt.Errorf("%s: not a JSON object", path)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		if tok != "input" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return 0, fmt.Errorf("%s: %w", path, err)
			}
			continue
		}
		var in struct {
			Rows *int `json:"rows"`
		}
		if err := dec.Decode(&in); err != nil || in.Rows == nil {
			return 0, fmt.Errorf("%s: input.rows is missing (%v)", path, err)
		}
		return *in.Rows, nil
	}
	return 0, fmt.Errorf("%s: no input object", path)
}

// kmMedians reads each arm's median from km.csv, in the order of the arms
// in the file, by R's rule (survival's quantile.survfit): the first event
// time where S(t) < 1/2; where S(t) equals 1/2 (to 1e-8) over an interval,
// the midpoint between that event time and the next one.
func kmMedians(dir string) ([]float64, error) {
	type armState struct {
		median, flatFrom float64
		done, flat       bool
	}
	var arms []string
	state := map[string]*armState{}
	err := eachCSVRow(filepath.Join(dir, "km.csv"), func(get func(string) (string, error)) error {
		arm, err := get("arm")
		if err != nil {
			return err
		}
		st := state[arm]
		if st == nil {
			st = &armState{median: math.NaN()}
			state[arm] = st
			arms = append(arms, arm)
		}
		if st.done {
			return nil
		}
		var num [3]float64
		for i, col := range []string{"time", "n_event", "surv"} {
			s, err := get(col)
			if err != nil {
				return err
			}
			if num[i], err = strconv.ParseFloat(s, 64); err != nil {
				return fmt.Errorf("%s %q is not a number", col, s)
			}
		}
		t, events, surv := num[0], num[1], num[2]
		switch {
		case events == 0:
		case st.flat:
			st.median, st.done = (st.flatFrom+t)/2, true
		case math.Abs(surv-0.5) <= 1e-8:
			st.flat, st.flatFrom = true, t
		case surv < 0.5:
			st.median, st.done = t, true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(arms))
	for i, a := range arms {
		st := state[a]
		if st.flat && !st.done {
			st.median = st.flatFrom
		}
		if math.IsNaN(st.median) {
			return nil, fmt.Errorf("km.csv: arm %s does not reach S(t) = 1/2: no median to compare", a)
		}
		out[i] = st.median
	}
	return out, nil
}

// resultsTest returns the statistic of test name of every endpoint of
// results.json.
func resultsTest(dir, name string) ([]float64, error) {
	path := filepath.Join(dir, "results.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fit's output: %w", err)
	}
	var res struct {
		Endpoints []struct {
			Tests []struct {
				Test      string  `json:"test"`
				Statistic float64 `json:"statistic"`
			} `json:"tests"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []float64
	for _, ep := range res.Endpoints {
		for _, t := range ep.Tests {
			if t.Test == name {
				out = append(out, t.Statistic)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no test %s", path, name)
	}
	return out, nil
}
