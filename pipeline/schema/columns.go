package schema

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
)

// Tables with a row per distinct time (the Kaplan–Meier curve, the
// Nelson–Aalen curve) have as many rows as subjects when times are
// continuous. results.json holds them by column: each number column as one
// array (Floats), the arm as runs of rows. That is several times smaller
// and faster to write than one object per row, and reads back to the same
// rows.

// armRun is a run of consecutive rows of one arm.
type armRun struct {
	Arm  string `json:"arm"`
	Rows int    `json:"rows"`
}

// runs returns the runs of arm(i) over n rows.
func runs(n int, arm func(i int) string) []armRun {
	var out []armRun
	for i := range n {
		a := arm(i)
		if len(out) > 0 && out[len(out)-1].Arm == a {
			out[len(out)-1].Rows++
			continue
		}
		out = append(out, armRun{Arm: a, Rows: 1})
	}
	return out
}

// expand returns the arm of each of n rows from its runs.
func expand(rs []armRun, n int) ([]string, error) {
	out := make([]string, 0, n)
	for _, r := range rs {
		for range r.Rows {
			out = append(out, r.Arm)
		}
	}
	if len(out) != n {
		return nil, fmt.Errorf("the arm runs cover %d rows, the columns have %d", len(out), n)
	}
	return out, nil
}

// Ints is a column of integers.
type Ints []int

// optFloats returns the column of optional numbers, NaN for nil.
func optFloats(n int, v func(i int) *float64) Floats {
	out := make(Floats, n)
	for i := range out {
		out[i] = math.NaN()
		if p := v(i); p != nil {
			out[i] = *p
		}
	}
	return out
}

// opt returns &v, or nil for NaN.
func opt(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// WriteChunks writes rows 0 … n-1 in order, formatted by appendChunk,
// which appends rows lo … hi-1 to b. Rounds of one chunk of chunk rows per
// core are formatted concurrently into reused buffers and written in
// order: the bytes do not depend on the number of cores, at most one round
// is held, and the error returned is the first in row order. It is how
// the tables of a row per distinct time (km.csv, results.json's KM
// columns) are written. It panics if chunk < 1.
func WriteChunks(w io.Writer, n, chunk int, appendChunk func(b []byte, lo, hi int) ([]byte, error)) error {
	if chunk < 1 {
		panic("schema: WriteChunks chunk < 1")
	}
	if n <= chunk {
		b, err := appendChunk(nil, 0, n)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	workers := runtime.GOMAXPROCS(0)
	bufs := make([][]byte, workers)
	errs := make([]error, workers)
	for start := 0; start < n; start += workers * chunk {
		var wg sync.WaitGroup
		for k := range workers {
			lo, hi := start+k*chunk, min(start+(k+1)*chunk, n)
			bufs[k] = bufs[k][:0]
			if lo >= hi {
				continue
			}
			wg.Go(func() { bufs[k], errs[k] = appendChunk(bufs[k], lo, hi) })
		}
		wg.Wait()
		for k, b := range bufs {
			if errs[k] != nil {
				return errs[k]
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// CumHazRows is the Nelson–Aalen table of an endpoint (section
// nelson_aalen), written by column.
type CumHazRows []CumHazRow

type cumHazColumns struct {
	Arms   []armRun `json:"arms"`
	Time   Floats   `json:"time"`
	NRisk  Ints     `json:"n_risk"`
	NEvent Ints     `json:"n_event"`
	CumHaz Floats   `json:"cumhaz"`
	StdErr Floats   `json:"std_err"`
	Lower  Floats   `json:"lower"`
	Upper  Floats   `json:"upper"`
}

// MarshalJSON writes the rows by column.
func (h CumHazRows) MarshalJSON() ([]byte, error) {
	if h == nil {
		return []byte("null"), nil
	}
	n := len(h)
	c := cumHazColumns{Arms: runs(n, func(i int) string { return h[i].Arm }), Time: make(Floats, n), NRisk: make(Ints, n), NEvent: make(Ints, n), CumHaz: make(Floats, n), StdErr: make(Floats, n),
		Lower: optFloats(n, func(i int) *float64 { return h[i].Lower }), Upper: optFloats(n, func(i int) *float64 { return h[i].Upper })}
	for i, r := range h {
		c.Time[i], c.NRisk[i], c.NEvent[i], c.CumHaz[i], c.StdErr[i] = r.Time, r.NRisk, r.NEvent, r.CumHaz, r.StdErr
	}
	return json.Marshal(c)
}

// UnmarshalJSON reads the columns back into rows, or an array of rows.
func (h *CumHazRows) UnmarshalJSON(data []byte) error {
	if isArray(data) {
		var rows []CumHazRow
		err := json.Unmarshal(data, &rows)
		*h = rows
		return err
	}
	var c cumHazColumns
	if err := json.Unmarshal(data, &c); err != nil {
		return err
	}
	n := len(c.Time)
	for _, l := range []int{len(c.NRisk), len(c.NEvent), len(c.CumHaz), len(c.StdErr), len(c.Lower), len(c.Upper)} {
		if l != n {
			return fmt.Errorf("nelson_aalen columns of %d and %d rows", n, l)
		}
	}
	arms, err := expand(c.Arms, n)
	if err != nil {
		return fmt.Errorf("nelson_aalen: %w", err)
	}
	out := make(CumHazRows, n)
	for i := range out {
		out[i] = CumHazRow{Arm: arms[i], Time: c.Time[i], NRisk: c.NRisk[i], NEvent: c.NEvent[i], CumHaz: c.CumHaz[i], StdErr: c.StdErr[i], Lower: opt(c.Lower[i]), Upper: opt(c.Upper[i])}
	}
	*h = out
	return nil
}

// MarshalJSON writes the integers in one pass.
func (v Ints) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(v)*6)
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(b, x)
	}
	return append(b, ']'), nil
}

// isArray reports whether the JSON value data is an array.
func isArray(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '['
	}
	return false
}
