package fit

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/csvsafe"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Output files besides the methods' tables.
const (
	SubgroupsFile = "subgroups.csv"
	ResultsFile   = "results.json"
)

// SubgroupsHeader heads subgroups.csv (reports/README.md).
var SubgroupsHeader = []string{"paramcd", "subgroup", "level", "term", "n", "events", "hr", "hr_lower", "hr_upper", "p_value", "logrank_chisq", "logrank_df", "logrank_p", "status"}

// Tables returns the tables of the methods run for r, in registry order.
func Tables(r *schema.Results) []Table {
	var out []Table
	for _, m := range Methods {
		if Has(r, m.Name) {
			out = append(out, m.Tables...)
		}
	}
	return out
}

// WriteOption configures WriteOutputs.
type WriteOption func(*writeConfig)

type writeConfig struct{ raw bool }

// RawCSV writes text cells as they are: without it, a text cell that a
// spreadsheet would run as a formula (starting with =, +, -, @, TAB or CR)
// is written with a single quote in front (package csvsafe's policy).
func RawCSV() WriteOption { return func(c *writeConfig) { c.raw = true } }

// WriteOutputs writes the tables of the methods run, subgroups.csv and
// results.json into dir, each atomically (a temporary file renamed).
func WriteOutputs(dir string, r *schema.Results, opts ...WriteOption) error {
	var cfg writeConfig
	for _, o := range opts {
		o(&cfg)
	}
	// Every file is written by its own goroutine (a trial with continuous
	// times has a km.csv and a results.json of a million rows each); each
	// is complete or absent, and the first error in this order is returned.
	writers := []func() error{}
	for _, t := range append(Tables(r), SubgroupsTable) {
		writers = append(writers, func() error {
			return atomicfile.Write(filepath.Join(dir, t.File), func(w io.Writer) error { return writeTable(w, r, t, cfg.raw) })
		})
	}
	writers = append(writers, func() error {
		return atomicfile.Write(filepath.Join(dir, ResultsFile), func(w io.Writer) error { return WriteJSON(w, r) })
	})
	errs := make([]error, len(writers))
	var wg sync.WaitGroup
	for i, write := range writers {
		wg.Go(func() { errs[i] = write() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes table t of every endpoint of r as CSV, text cells
// escaped as csvsafe.Cell does. Every number written must be finite; a
// table whose rows emit a non-finite number is an error (a programmer
// error upstream, never written).
func WriteTable(w io.Writer, r *schema.Results, t Table) error { return writeTable(w, r, t, false) }

func writeTable(w io.Writer, r *schema.Results, t Table, raw bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	rows := newRowWriter(cw, t, raw)
	for i := range r.Endpoints {
		ep := &r.Endpoints[i]
		if t.Len != nil && t.Append != nil && t.Len(ep) >= 2*rowChunk {
			cw.Flush()
			if err := writeChunked(bw, ep, t, raw); err != nil {
				return err
			}
			continue
		}
		if err := t.Rows(ep, rows.emit); err != nil {
			return err
		}
	}
	if rows.bad != nil {
		return rows.bad
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// rowWriter writes the rows of table t to a csv.Writer, text cells escaped
// unless raw, and keeps the first row that breaks the rules: a wrong
// number of cells, or a non-finite number.
type rowWriter struct {
	cw  *csv.Writer
	t   Table
	raw bool
	bad error
}

func newRowWriter(cw *csv.Writer, t Table, raw bool) *rowWriter {
	return &rowWriter{cw: cw, t: t, raw: raw}
}

func (rw *rowWriter) emit(cells ...string) {
	if len(cells) != len(rw.t.Header) && rw.bad == nil {
		rw.bad = fmt.Errorf("%s: a row has %d cells for %d columns", rw.t.File, len(cells), len(rw.t.Header))
	}
	for i, c := range cells {
		if (c == "NaN" || c == "+Inf" || c == "-Inf") && rw.bad == nil {
			rw.bad = fmt.Errorf("%s: a row has the non-finite number %s: %v", rw.t.File, c, cells)
		}
		if !rw.raw {
			cells[i] = csvsafe.Cell(c, false) // numbers are plain decimals: never prefixed
		}
	}
	rw.cw.Write(cells)
}

// rowChunk is the number of rows a goroutine of writeChunked formats at
// once.
const rowChunk = 1 << 13

// writeChunked writes the rows of ep by index (t.Len, t.Append) with
// schema.WriteChunks: chunks of rowChunk rows formatted concurrently and
// written in order, so the bytes are those of t.Rows. The first bad row,
// in row order, is the error.
func writeChunked(w io.Writer, ep *schema.Endpoint, t Table, raw bool) error {
	return schema.WriteChunks(w, t.Len(ep), rowChunk, func(b []byte, lo, hi int) ([]byte, error) {
		row := &CSVRow{b: b, t: t, raw: raw}
		t.Append(ep, lo, hi, row)
		return row.b, row.bad
	})
}

// CSVRow formats the cells of CSV rows into bytes, as rowWriter writes
// them through a csv.Writer: text cells escaped unless raw (csvsafe.Cell)
// and quoted as csv.Writer quotes, numbers in num's format. It keeps the
// first row that breaks the rules: a wrong number of cells, or a
// non-finite number.
type CSVRow struct {
	b     []byte
	t     Table
	raw   bool
	cells int               // in the current row
	text  map[string][]byte // text cells as written
	// prev is, per cell position, the bits of the number the row before
	// had there and where its text is in b: a number repeated from the
	// row above (the survival and its limits on a row of censorings only)
	// is copied, not formatted again.
	prev []prevCell
	bad  error
}

// prevCell is a number cell of the previous row: its bits and its text,
// b[start:end].
type prevCell struct {
	bits       uint64
	start, end int
}

func (r *CSVRow) sep() {
	if r.cells > 0 {
		r.b = append(r.b, ',')
	}
	r.cells++
}

// Text appends a text cell.
func (r *CSVRow) Text(s string) {
	r.sep()
	enc, ok := r.text[s]
	if !ok {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		cell := s
		if !r.raw {
			cell = csvsafe.Cell(s, false)
		}
		cw.Write([]string{cell})
		cw.Flush()
		enc = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if r.text == nil {
			r.text = map[string][]byte{}
		}
		r.text[s] = enc
	}
	r.b = append(r.b, enc...)
}

// Float appends a number, which must be finite.
func (r *CSVRow) Float(v float64) {
	r.sep()
	if (math.IsNaN(v) || math.IsInf(v, 0)) && r.bad == nil {
		r.bad = fmt.Errorf("%s: a row has the non-finite number %s", r.t.File, num(v))
	}
	if r.prev == nil {
		r.prev = make([]prevCell, len(r.t.Header)+1)
	}
	c := r.cells - 1
	if c >= len(r.prev) {
		r.b = strconv.AppendFloat(r.b, v, 'g', -1, 64)
		return
	}
	p := &r.prev[c]
	bits, start := math.Float64bits(v), len(r.b)
	if p.end > p.start && p.bits == bits {
		r.b = append(r.b, r.b[p.start:p.end]...)
	} else {
		r.b = strconv.AppendFloat(r.b, v, 'g', -1, 64)
	}
	*p = prevCell{bits: bits, start: start, end: len(r.b)}
}

// FiniteOrEmpty appends a number, or an empty cell if it is NaN or
// infinite (an undefined optional number, R's NA).
func (r *CSVRow) FiniteOrEmpty(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		r.sep()
		r.forget()
		return
	}
	r.Float(v)
}

// forget drops the previous number at the current cell position (an
// empty cell was written there).
func (r *CSVRow) forget() {
	if c := r.cells - 1; c < len(r.prev) {
		r.prev[c] = prevCell{}
	}
}

// OptFloat appends an optional number; nil is an empty cell.
func (r *CSVRow) OptFloat(v *float64) {
	if v == nil {
		r.sep()
		r.forget()
		return
	}
	r.Float(*v)
}

// Int appends an integer.
func (r *CSVRow) Int(v int) {
	r.sep()
	r.b = strconv.AppendInt(r.b, int64(v), 10)
}

// End ends the row.
func (r *CSVRow) End() {
	if r.cells != len(r.t.Header) && r.bad == nil {
		r.bad = fmt.Errorf("%s: a row has %d cells for %d columns", r.t.File, r.cells, len(r.t.Header))
	}
	r.b = append(r.b, '\n')
	r.cells = 0
}

// num formats a float with the shortest representation that round-trips.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// optNum formats an optional float; nil (R's NA) is an empty cell.
func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

// finite returns &v, or nil for NaN and infinities (written as null and
// as empty cells).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func allFinite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// SubgroupsTable is subgroups.csv: per endpoint, subgroup column and
// level, one row per treatment term (TRTP:<arm>) with the subgroup's size,
// events, hazard ratio, its CI and p-value, the subgroup's log-rank test and
// status. A subgroup without a Cox model has one row with an empty term;
// cells that are not estimable are empty. It is written for every run.
var SubgroupsTable = Table{File: SubgroupsFile, Header: SubgroupsHeader, Rows: subgroupRows}

// WriteSubgroups writes subgroups.csv.
func WriteSubgroups(w io.Writer, r *schema.Results) error { return WriteTable(w, r, SubgroupsTable) }

func subgroupRows(ep *schema.Endpoint, emit func(...string)) error {
	for _, sg := range ep.Subgroups {
		n, events := 0, 0
		for _, a := range sg.Arms {
			n += a.N
			events += a.Events
		}
		chisq, df, p := "", "", ""
		for _, t := range sg.Tests {
			if t.Test == "logrank" {
				chisq, df, p = num(t.Statistic), strconv.Itoa(t.DF), num(t.PValue)
			}
		}
		row := []string{ep.Paramcd, sg.Subgroup, sg.Level}
		tail := []string{chisq, df, p, string(sg.Status)}
		var terms int
		if sg.Cox != nil {
			for _, t := range sg.Cox.Terms {
				if !strings.HasPrefix(t.Term, "TRTP:") {
					continue
				}
				terms++
				hr := []string{"", "", "", ""}
				if t.Estimable {
					hr = []string{num(t.HR), num(t.HRLower), num(t.HRUpper), num(t.PValue)}
				}
				emit(slices.Concat(row, []string{t.Term, strconv.Itoa(n), strconv.Itoa(events)}, hr, tail)...)
			}
		}
		if terms == 0 {
			emit(slices.Concat(row, []string{"", strconv.Itoa(n), strconv.Itoa(events), "", "", "", ""}, tail)...)
		}
	}
	return nil
}

// WriteJSON writes results.json, indented, with a final newline.
//
// Results of up to IndentLimit bytes are indented for reading; larger
// ones (the per-time curves of a large trial) are written compact, which
// is several times smaller and faster.
func WriteJSON(w io.Writer, r *schema.Results) error {
	if kmRowsOf(r) >= streamKMRows {
		// Above IndentLimit whatever its numbers: written compact, in
		// pieces, never held whole.
		if err := r.WriteCompact(w); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	}
	data, err := r.Marshal()
	if err != nil {
		return err
	}
	if len(data) <= IndentLimit {
		var b bytes.Buffer
		if err := json.Indent(&b, data, "", "  "); err != nil {
			return err
		}
		data = b.Bytes()
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// IndentLimit is the largest results.json, in bytes, written indented.
const IndentLimit = 4 << 20

// streamKMRows is the number of KM rows from which results.json is
// written in pieces. Each KM row adds at least 16 bytes (eight numbers of
// at least one digit, each with a comma), so such a file is beyond
// IndentLimit: it would be written compact anyway, with the same bytes.
const streamKMRows = IndentLimit/16 + 1

// kmRowsOf returns the number of KM rows of r's endpoints and subgroups.
func kmRowsOf(r *schema.Results) int {
	n := 0
	for _, ep := range r.Endpoints {
		n += ep.KM.Len()
		for _, sub := range ep.Subgroups {
			n += sub.KM.Len()
		}
	}
	return n
}

// WriteTableNamed writes the table called file (e.g. "cox.csv") of the
// methods run for r. It returns an error for a table no method of r has.
func WriteTableNamed(w io.Writer, r *schema.Results, file string) error {
	for _, t := range Tables(r) {
		if t.File == file {
			return WriteTable(w, r, t)
		}
	}
	return fmt.Errorf("no method run writes %s", file)
}
