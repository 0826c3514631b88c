package adam

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Reader selects how a CSV file is parsed.
type Reader string

const (
	ReaderAuto   Reader = ""       // gota up to StreamThreshold bytes, streaming above
	ReaderGota   Reader = "gota"   // always gota
	ReaderStream Reader = "stream" // always the streaming parser
)

// StreamThreshold is the file size above which ReaderAuto streams.
const StreamThreshold = 8 << 20

// Problem is one rejected row: where it is, what is wrong, how to fix it.
type Problem struct {
	File   string `json:"file"`
	Line   int    `json:"line"`   // 1-based line in the file (the header is line 1)
	Column string `json:"column"` // column name, empty for whole-row problems
	Index  int    `json:"-"`      // 1-based column number, 0 for whole-row problems
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Fatal  bool   `json:"fatal"`
}

// Error formats the problem as "file: line L, column C (NAME): reason".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ": line %d", p.Line)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %d (%s)", p.Index, p.Column)
	}
	b.WriteString(": ")
	b.WriteString(p.Reason)
	return b.String()
}

// Report counts the rows of one file.
type Report struct {
	File     string `json:"file"`
	SHA256   string `json:"sha256"`
	Reader   string `json:"reader"`
	RowsRead int    `json:"rows_read"`
	Accepted int    `json:"accepted"`
	Rejected int    `json:"rejected"`
	// Problems holds one entry per rejected row, in file order.
	Problems []Problem `json:"-"`
}

// ErrInvalid is wrapped by every error caused by fatal problems in a file.
var ErrInvalid = errors.New("invalid data file")

// Err returns nil if no problem is fatal, else an error naming the first
// fatal problem and counting the others. It wraps ErrInvalid.
func (r *Report) Err() error {
	var first *Problem
	n := 0
	for i := range r.Problems {
		if r.Problems[i].Fatal {
			if first == nil {
				first = &r.Problems[i]
			}
			n++
		}
	}
	if first == nil {
		return nil
	}
	if n == 1 {
		return fmt.Errorf("%w: %s", ErrInvalid, first.Error())
	}
	return fmt.Errorf("%w: %s (and %d more problems; all are listed in the rejects file)", ErrInvalid, first.Error(), n-1)
}

// columns maps header names to indices.
type columns struct {
	names []string
	index map[string]int
	// rowsHint estimates the number of data rows from the file size and
	// the length of the first rows, so that columns can be allocated once;
	// 0 when unknown.
	rowsHint int
}

func (c columns) has(name string) bool { _, ok := c.index[name]; return ok }

// col returns the index of name, or -1.
func (c columns) col(name string) int {
	if i, ok := c.index[name]; ok {
		return i
	}
	return -1
}

// rowFunc validates one data row. It returns nil to accept the row, or the
// problem that rejects it (File and Line are filled in by the caller).
type rowFunc func(line int, rec []string) *Problem

// headerFunc checks the header and prepares the row function. A returned
// error is fatal for the file.
type headerFunc func(cols columns) (rowFunc, error)

// readTable parses the CSV file at path with the chosen reader, checks its
// header with header and each data row with the row function it returns.
func readTable(path string, reader Reader, header headerFunc) (*Report, error) {
	return readTableFinish(path, reader, header, nil)
}

// finishFunc runs once every row has been read, before the report is
// checked for fatal problems. It returns the accepted rows it rejects after
// all (checks across rows, such as duplicates), with Line, Column and Value
// filled in; they are counted and merged into the report in line order.
type finishFunc func() []Problem

// readTableFinish is readTable with a check across rows run at the end.
func readTableFinish(path string, reader Reader, header headerFunc, finish finishFunc) (*Report, error) {
	return readTableOpt(path, reader, header, finish, false)
}

// readTableOpt is readTableFinish; with headerOnly, a file with a header
// and no data rows is valid (it reads as no rows: ADCE, where it means that
// no event occurred).
func readTableOpt(path string, reader Reader, header headerFunc, finish finishFunc, headerOnly bool) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("could not open data file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("could not stat data file: %w", err)
	}
	if reader == ReaderAuto {
		reader = ReaderGota
		if st.Size() > StreamThreshold {
			reader = ReaderStream
		}
	}
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(f, h), 1<<16)
	rep := &Report{File: path, Reader: string(reader)}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1

	hdr, err := cr.Read()
	if err == io.EOF {
		return rep, fmt.Errorf("%w: %s: line 1: the file is empty: it needs a header line and at least one data row (see datasets/README.md)", ErrInvalid, path)
	}
	if err != nil {
		return rep, headerParseError(path, err)
	}
	// The first data line follows the header's last line (a quoted
	// column name may span lines).
	nextLine, _ := cr.FieldPos(0)
	nextLine++
	for _, name := range hdr {
		nextLine += strings.Count(name, "\n")
	}
	hdr = slices.Clone(hdr)
	cols := columns{names: hdr, index: make(map[string]int, len(hdr))}
	for i, name := range hdr {
		name = strings.TrimSpace(name)
		hdr[i] = name
		if name == "" {
			return rep, fmt.Errorf("%w: %s: line 1, column %d: the header has an empty column name: name every column", ErrInvalid, path, i+1)
		}
		if j, dup := cols.index[name]; dup {
			return rep, fmt.Errorf("%w: %s: line 1, column %d: column %s appears twice (also column %d): rename or remove one", ErrInvalid, path, i+1, name, j+1)
		}
		cols.index[name] = i
	}
	cols.rowsHint = estimateRows(br, st.Size())
	row, err := header(cols)
	if err != nil {
		var mc missingColumn
		if errors.As(err, &mc) {
			return rep, fmt.Errorf("%w: %s: line 1, column %s (absent): %v", ErrInvalid, path, mc.name, err)
		}
		return rep, fmt.Errorf("%w: %s: line 1: %v", ErrInvalid, path, err)
	}

	accept := func(line int, rec []string) {
		rep.RowsRead++
		var p *Problem
		switch {
		case len(rec) < len(hdr):
			// Named by the first column without a field.
			p = &Problem{Column: hdr[len(rec)], Reason: fmt.Sprintf("the row has %d fields but the header has %d: column %s onwards has no field; check for a missing comma", len(rec), len(hdr), hdr[len(rec)]), Fatal: true}
		case len(rec) > len(hdr):
			p = &Problem{Reason: fmt.Sprintf("the row has %d fields but the header has %d: field %d onwards has no column; check for an extra comma, or quote fields that contain commas", len(rec), len(hdr), len(hdr)+1), Fatal: true}
		case allEmpty(rec):
			p = &Problem{Reason: "all fields are empty: the row was dropped"}
		default:
			p = row(line, rec)
		}
		if p == nil {
			rep.Accepted++
			return
		}
		p.File, p.Line = path, line
		if p.Column != "" {
			p.Index = cols.index[p.Column] + 1
		}
		rep.Rejected++
		rep.Problems = append(rep.Problems, *p)
	}
	// malformed rejects a record that encoding/csv could not parse: a
	// fatal problem, and reading goes on with the next record.
	malformed := func(pe *csv.ParseError, partial []string) {
		rep.RowsRead++
		rep.Rejected++
		rep.Problems = append(rep.Problems, malformedProblem(path, hdr, pe, len(partial)))
	}

	switch reader {
	case ReaderStream:
		if err := streamRecords(br, nextLine, len(hdr), accept, malformed); err != nil {
			return rep, fmt.Errorf("could not read %s: %w", path, err)
		}
	case ReaderGota:
		// Records gota cannot hold (ragged or malformed rows) are kept
		// aside and rejected in file order among the others.
		type aside struct {
			line    int
			rec     []string
			pe      *csv.ParseError // nil for a ragged row
			partial int             // fields read before a parse error
		}
		records := [][]string{hdr}
		var lines []int
		var asides []aside
		var order []int // per record: index in lines (>= 0) or -1-index in asides
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				order = append(order, -1-len(asides))
				asides = append(asides, aside{pe: pe, partial: len(rec)})
				continue
			}
			if err != nil {
				return rep, fmt.Errorf("could not read %s: %w", path, err)
			}
			line, _ := cr.FieldPos(0)
			if len(rec) != len(hdr) {
				// gota cannot hold a ragged row; it is rejected below.
				order = append(order, -1-len(asides))
				asides = append(asides, aside{line: line, rec: rec})
				continue
			}
			order = append(order, len(lines))
			records = append(records, rec)
			lines = append(lines, line)
		}
		cols := make([][]string, len(hdr))
		if len(lines) > 0 {
			types := make(map[string]series.Type, len(hdr))
			for _, name := range hdr {
				types[name] = series.String
			}
			df := dataframe.LoadRecords(records,
				dataframe.HasHeader(true),
				dataframe.DetectTypes(false),
				dataframe.DefaultType(series.String),
				dataframe.WithTypes(types),
				dataframe.NaNValues([]string{}),
			)
			if err := df.Error(); err != nil {
				return rep, fmt.Errorf("could not load %s into a dataframe: %w", path, err)
			}
			for j, name := range hdr {
				s := df.Col(name)
				if s.Err != nil {
					return rep, fmt.Errorf("could not read column %s of %s: %w", name, path, s.Err)
				}
				cols[j] = s.Records()
			}
		}
		rec := make([]string, len(hdr))
		for _, k := range order {
			if k < 0 {
				a := asides[-1-k]
				if a.pe != nil {
					malformed(a.pe, make([]string, a.partial))
				} else {
					accept(a.line, a.rec)
				}
				continue
			}
			for j := range rec {
				rec[j] = cols[j][k]
			}
			accept(lines[k], rec)
		}
	default:
		panic(fmt.Sprintf("adam: unknown reader %q", reader))
	}
	if finish != nil {
		if late := finish(); len(late) > 0 {
			for _, p := range late {
				p.File = path
				if p.Column != "" {
					p.Index = cols.index[p.Column] + 1
				}
				rep.Problems = append(rep.Problems, p)
			}
			rep.Accepted -= len(late)
			rep.Rejected += len(late)
			slices.SortStableFunc(rep.Problems, func(a, b Problem) int { return a.Line - b.Line })
		}
	}
	// Drain to hash the whole file even if the CSV reader stopped early.
	io.Copy(io.Discard, br)
	rep.SHA256 = hex.EncodeToString(h.Sum(nil))
	if rep.RowsRead == 0 && !headerOnly {
		return rep, fmt.Errorf("%w: %s: line 1: the file has a header but no data rows: add at least one row", ErrInvalid, path)
	}
	return rep, rep.Err()
}

// estimateRows estimates the number of data rows of a file of size bytes
// from the rows buffered in br after the header, or returns 0. It slightly
// overestimates (by 2%), so that columns rarely grow.
func estimateRows(br *bufio.Reader, size int64) int {
	buf, _ := br.Peek(br.Buffered())
	nl := bytes.Count(buf, []byte{'\n'})
	if nl == 0 || size <= 0 {
		return 0
	}
	est := float64(size) * float64(nl) / float64(len(buf)) * 1.02
	if est > float64(size) {
		est = float64(size)
	}
	return int(est) + 16
}

// headerParseError describes a header line that encoding/csv cannot parse:
// no column can be named, so the position is a character of the line.
func headerParseError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: %s: line %d, character %d: malformed CSV header: %v (quote column names that contain commas or quotes; double a quote inside a quoted field)", ErrInvalid, path, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("could not read %s: %w", path, err)
}

// malformedProblem is the fatal problem of a record that encoding/csv
// cannot parse, read up to field number partial+1: that field is named
// when the header has it, and the reason gives the character of the line.
func malformedProblem(path string, hdr []string, pe *csv.ParseError, partial int) Problem {
	p := Problem{File: path, Line: pe.Line, Fatal: true}
	field := partial + 1
	where := fmt.Sprintf("character %d of line %d", pe.Column, pe.Line)
	if field <= len(hdr) {
		p.Column, p.Index = hdr[field-1], field
	} else {
		where = fmt.Sprintf("field %d (the header has %d columns), %s", field, len(hdr), where)
	}
	if pe.StartLine != pe.Line {
		where += fmt.Sprintf(", in the row that starts at line %d", pe.StartLine)
	}
	p.Reason = fmt.Sprintf("malformed CSV: %v at %s: quote fields that contain commas or quotes, double a quote inside a quoted field, and close every quoted field; the rest of the file was still read", pe.Err, where)
	return p
}

func allEmpty(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// missingColumn is the error of a required column absent from the header.
type missingColumn struct {
	name, msg string
}

func (e missingColumn) Error() string { return e.msg }

// requireColumns returns a missingColumn error naming the first missing
// column.
func requireColumns(cols columns, file string, names ...string) error {
	for _, n := range names {
		if !cols.has(n) {
			return missingColumn{name: n, msg: fmt.Sprintf("required column %s is missing (the header has %s): add it, see datasets/README.md for the %s columns", n, strings.Join(cols.names, ", "), file)}
		}
	}
	return nil
}

// parseNumber parses a decimal number; it accepts surrounding spaces.
func parseNumber(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimSpace(s), 64)
}

// lastValue interns the values of one column, remembering the last one:
// a column with long runs of one value (STUDYID, PARAMCD, a sorted arm)
// then costs a string comparison a row instead of a map lookup.
type lastValue struct {
	in   interner
	last string
	ok   bool
}

// column returns an interner for one column sharing in's strings.
func (in interner) column() *lastValue { return &lastValue{in: in} }

func (c *lastValue) get(s string) string {
	if c.ok && s == c.last {
		return c.last
	}
	c.last, c.ok = c.in.get(s), true
	return c.last
}

// idArena stores many short strings (subject identifiers) without one
// allocation each: the bytes collect in a reused chunk, and each full chunk
// becomes one string that the stored strings share.
type idArena struct {
	out     []string
	chunk   []byte
	ends    []int // end offset in chunk of each pending string
	pending int   // index in out of the first pending string
}

const arenaChunk = 64 << 10

func (a *idArena) grow(n int) { a.out = slices.Grow(a.out, n) }

func (a *idArena) add(s string) {
	if len(a.chunk)+len(s) > arenaChunk && len(a.ends) > 0 {
		a.flush()
	}
	a.chunk = append(a.chunk, s...)
	a.ends = append(a.ends, len(a.chunk))
	a.out = append(a.out, "")
}

// flush makes the pending strings.
func (a *idArena) flush() {
	all := string(a.chunk)
	start := 0
	for k, e := range a.ends {
		a.out[a.pending+k] = all[start:e]
		start = e
	}
	a.pending += len(a.ends)
	a.chunk, a.ends = a.chunk[:0], a.ends[:0]
}

// strings returns the stored strings and empties the arena.
func (a *idArena) strings() []string {
	a.flush()
	out := a.out
	*a = idArena{}
	return out
}

// interner returns one shared copy of repeated strings (arm names, PARAMCD),
// so that a million rows do not hold a million copies.
type interner map[string]string

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}
