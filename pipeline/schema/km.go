package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"
)

// KMRows is the Kaplan–Meier table of an endpoint: a row per arm and
// distinct time (km.csv, results.json's "km"). It is held by column, in
// blocks of consecutive rows of one arm (KMArm): the columns of a fitted
// curve are the table's without a copy, and results.json's columns read
// back without one. A table of a million rows is then nine slices per arm,
// not a million structs.
//
// The zero value is an empty table, written as null.
type KMRows struct {
	Arms []KMArm // in row order; an arm may have several blocks
}

// KMArm is a block of consecutive rows of one arm of the KM table, by
// column; every column has the same length. StdErr, Lower and Upper hold
// NaN or ±Inf where the value is undefined (where R gives NA): null in
// results.json, an empty cell in km.csv, nil in KMRow.
type KMArm struct {
	Arm                  string
	Time                 []float64
	NRisk                []int
	NEvent               []int
	NCensor              []int
	Surv                 []float64
	StdErr, Lower, Upper []float64
}

// Len returns the number of rows of the block.
func (b *KMArm) Len() int { return len(b.Time) }

// Row returns row j of the block. Its optional fields point into the
// columns (nil where the value is not finite).
func (b *KMArm) Row(j int) KMRow {
	return KMRow{Arm: b.Arm, Time: b.Time[j], NRisk: b.NRisk[j], NEvent: b.NEvent[j], NCensor: b.NCensor[j], Surv: b.Surv[j],
		StdErr: finiteAt(b.StdErr, j), Lower: finiteAt(b.Lower, j), Upper: finiteAt(b.Upper, j)}
}

// finiteAt returns &v[j], or nil if v[j] is NaN or infinite.
func finiteAt(v []float64, j int) *float64 {
	if math.IsNaN(v[j]) || math.IsInf(v[j], 0) {
		return nil
	}
	return &v[j]
}

// check reports a block whose columns differ in length.
func (b *KMArm) check() error {
	n := len(b.Time)
	for _, l := range []int{len(b.NRisk), len(b.NEvent), len(b.NCensor), len(b.Surv), len(b.StdErr), len(b.Lower), len(b.Upper)} {
		if l != n {
			return fmt.Errorf("km columns of arm %q have %d and %d rows", b.Arm, n, l)
		}
	}
	return nil
}

// Add appends a block of rows; a block of no rows is left out. The table
// shares the block's columns. It panics if the columns differ in length
// (a programmer error).
func (k *KMRows) Add(b KMArm) {
	if err := b.check(); err != nil {
		panic("schema: " + err.Error())
	}
	if b.Len() > 0 {
		k.Arms = append(k.Arms, b)
	}
}

// Len returns the number of rows.
func (k KMRows) Len() int {
	n := 0
	for i := range k.Arms {
		n += k.Arms[i].Len()
	}
	return n
}

// Row returns row i (0 ≤ i < Len), as KMArm.Row.
func (k KMRows) Row(i int) KMRow {
	j := i
	for a := range k.Arms {
		b := &k.Arms[a]
		if j < b.Len() {
			return b.Row(j)
		}
		j -= b.Len()
	}
	panic(fmt.Sprintf("schema: KM row %d of %d", i, k.Len()))
}

// All yields the rows in order with their index, as Row gives them.
func (k KMRows) All() iter.Seq2[int, KMRow] {
	return func(yield func(int, KMRow) bool) {
		i := 0
		for a := range k.Arms {
			b := &k.Arms[a]
			for j := range b.Len() {
				if !yield(i, b.Row(j)) {
					return
				}
				i++
			}
		}
	}
}

// Rows returns the rows in order, as Row gives them.
func (k KMRows) Rows() []KMRow {
	out := make([]KMRow, 0, k.Len())
	for _, r := range k.All() {
		out = append(out, r)
	}
	return out
}

// Each calls f with the rows lo … hi-1 (0 ≤ lo ≤ hi ≤ Len), block by
// block: rows jlo … jhi-1 of block b.
func (k KMRows) Each(lo, hi int, f func(b *KMArm, jlo, jhi int)) {
	start := 0
	for a := range k.Arms {
		b := &k.Arms[a]
		end := start + b.Len()
		if end > lo && start < hi {
			f(b, max(lo, start)-start, min(hi, end)-start)
		}
		if end >= hi {
			return
		}
		start = end
	}
}

// KMTable returns the table of rows, a block per run of rows of one arm;
// the optional fields' nil is NaN in the columns.
func KMTable(rows []KMRow) KMRows {
	var k KMRows
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].Arm == rows[i].Arm {
			j++
		}
		run := rows[i:j]
		n := len(run)
		b := KMArm{Arm: rows[i].Arm, Time: make([]float64, n), NRisk: make([]int, n), NEvent: make([]int, n), NCensor: make([]int, n), Surv: make([]float64, n),
			StdErr: optFloats(n, func(i int) *float64 { return run[i].StdErr }), Lower: optFloats(n, func(i int) *float64 { return run[i].Lower }),
			Upper: optFloats(n, func(i int) *float64 { return run[i].Upper })}
		for r, row := range run {
			b.Time[r], b.NRisk[r], b.NEvent[r], b.NCensor[r], b.Surv[r] = row.Time, row.NRisk, row.NEvent, row.NCensor, row.Surv
		}
		k.Add(b)
		i = j
	}
	return k
}

type kmColumns struct {
	Arms    []armRun `json:"arms"`
	Time    Floats   `json:"time"`
	NRisk   Ints     `json:"n_risk"`
	NEvent  Ints     `json:"n_event"`
	NCensor Ints     `json:"n_censor"`
	Surv    Floats   `json:"surv"`
	StdErr  Floats   `json:"std_err"`
	Lower   Floats   `json:"lower"`
	Upper   Floats   `json:"upper"`
}

// MarshalJSON writes the rows by column, in the field order of kmColumns,
// appending each number directly (as Floats and Ints write them), without
// copying the columns or scanning the result again.
func (k KMRows) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := k.writeJSON(&b)
	return b.Bytes(), err
}

// kmColumn is a number column of the KM table in JSON: its name and its
// cells in a block, floats or ints.
type kmColumn struct {
	name   string
	floats func(b *KMArm) []float64
	ints   func(b *KMArm) []int
}

// kmJSONColumns are the number columns, in the field order of kmColumns.
var kmJSONColumns = []kmColumn{
	{name: "time", floats: func(b *KMArm) []float64 { return b.Time }},
	{name: "n_risk", ints: func(b *KMArm) []int { return b.NRisk }},
	{name: "n_event", ints: func(b *KMArm) []int { return b.NEvent }},
	{name: "n_censor", ints: func(b *KMArm) []int { return b.NCensor }},
	{name: "surv", floats: func(b *KMArm) []float64 { return b.Surv }},
	{name: "std_err", floats: func(b *KMArm) []float64 { return b.StdErr }},
	{name: "lower", floats: func(b *KMArm) []float64 { return b.Lower }},
	{name: "upper", floats: func(b *KMArm) []float64 { return b.Upper }},
}

// armRuns returns the runs of rows of one arm: consecutive blocks of an
// arm make one run.
func (k KMRows) armRuns() []armRun {
	var out []armRun
	for a := range k.Arms {
		b := &k.Arms[a]
		if len(out) > 0 && out[len(out)-1].Arm == b.Arm {
			out[len(out)-1].Rows += b.Len()
			continue
		}
		out = append(out, armRun{Arm: b.Arm, Rows: b.Len()})
	}
	return out
}

// writeJSON writes the JSON of MarshalJSON to w. Each column is formatted
// in chunks of rows, a round of chunks concurrently (WriteChunks): a
// curve of a million times is neither held whole nor formatted on one
// core.
func (k KMRows) writeJSON(w io.Writer) error {
	n := k.Len()
	if n == 0 {
		_, err := io.WriteString(w, "null")
		return err
	}
	arms, err := json.Marshal(k.armRuns())
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, `{"arms":%s`, arms); err != nil {
		return err
	}
	for _, c := range kmJSONColumns {
		if _, err := fmt.Fprintf(w, `,"%s":[`, c.name); err != nil {
			return err
		}
		err := WriteChunks(w, n, chunkRows, func(buf []byte, lo, hi int) ([]byte, error) {
			first := lo == 0
			k.Each(lo, hi, func(b *KMArm, jlo, jhi int) {
				if c.ints != nil {
					buf = appendJSONInts(buf, c.ints(b)[jlo:jhi], first)
				} else {
					buf = appendJSONFloats(buf, c.floats(b)[jlo:jhi], first)
				}
				first = false
			})
			return buf, nil
		})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, "]"); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "}")
	return err
}

// chunkRows is the number of rows of one chunk of a KM column.
const chunkRows = 1 << 14

// appendJSONInts appends the numbers of v, each preceded by a comma
// unless first and the first of v.
func appendJSONInts(b []byte, v []int, first bool) []byte {
	for i, x := range v {
		if i > 0 || !first {
			b = append(b, ',')
		}
		b = appendInt(b, x)
	}
	return b
}

// appendJSONFloats appends the numbers of v as appendJSONFloat writes
// them, each preceded by a comma unless first and the first of v. A
// number equal to the one before it (the survival, its standard error and
// limits on a row with censorings only) repeats its text without
// formatting it again.
func appendJSONFloats(b []byte, v []float64, first bool) []byte {
	prevStart, prevEnd := -1, -1
	var prev uint64
	for i, x := range v {
		if i > 0 || !first {
			b = append(b, ',')
		}
		if bits := math.Float64bits(x); prevStart >= 0 && bits == prev {
			start := len(b)
			b = append(b, b[prevStart:prevEnd]...)
			prevStart, prevEnd = start, len(b)
			continue
		} else {
			prev = bits
		}
		prevStart = len(b)
		b = appendJSONFloat(b, x)
		prevEnd = len(b)
	}
	return b
}

// UnmarshalJSON reads the columns back, a block per run of rows of one
// arm sharing the columns read; an array of row objects (results.json
// written before the columns) is read too.
func (k *KMRows) UnmarshalJSON(data []byte) error {
	if isArray(data) {
		var rows []KMRow
		if err := json.Unmarshal(data, &rows); err != nil {
			return err
		}
		*k = KMTable(rows)
		return nil
	}
	if string(data) == "null" {
		*k = KMRows{}
		return nil
	}
	var c kmColumns
	if err := json.Unmarshal(data, &c); err != nil {
		return err
	}
	n := len(c.Time)
	for _, l := range []int{len(c.NRisk), len(c.NEvent), len(c.NCensor), len(c.Surv), len(c.StdErr), len(c.Lower), len(c.Upper)} {
		if l != n {
			return fmt.Errorf("km columns of %d and %d rows", n, l)
		}
	}
	var out KMRows
	start := 0
	for _, r := range c.Arms {
		if r.Rows < 0 || r.Rows > n-start {
			return fmt.Errorf("km: the arm runs cover more than the %d rows of the columns, or a run has %d rows", n, r.Rows)
		}
		end := start + r.Rows
		out.Add(KMArm{Arm: r.Arm, Time: c.Time[start:end:end], NRisk: c.NRisk[start:end:end], NEvent: c.NEvent[start:end:end], NCensor: c.NCensor[start:end:end],
			Surv: c.Surv[start:end:end], StdErr: c.StdErr[start:end:end], Lower: c.Lower[start:end:end], Upper: c.Upper[start:end:end]})
		start = end
	}
	if start != n {
		return fmt.Errorf("km: the arm runs cover %d rows, the columns have %d", start, n)
	}
	*k = out
	return nil
}
