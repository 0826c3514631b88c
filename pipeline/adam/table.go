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
	"unicode/utf8"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"golang.org/x/text/encoding/charmap"
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
	File string `json:"file"`
	// Line is the 1-based place of the row in the file, in the unit of its
	// Format: the line of a CSV file (the header is line 1), the
	// observation of an XPT member, the row of a Dataset-JSON dataset.
	Line   int    `json:"line"`
	Column string `json:"column"` // column name, empty for whole-row problems
	Index  int    `json:"-"`      // 1-based column number, 0 for whole-row problems
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Fatal  bool   `json:"fatal"`
	// Format is the format of the file; it says what Line counts.
	Format Format `json:"format,omitempty"`
	// Offset is, in an XPT file, the byte offset (0-based) of the cell
	// (of the observation, for a whole-row problem); 0 when unknown.
	Offset int64 `json:"offset,omitempty"`
}

// Error formats the problem as
//
//	FILE: line L, column N (NAME): reason                  CSV
//	FILE: observation L (byte B), column N (NAME): reason  XPT
//	FILE: row L, column N (NAME): reason                   Dataset-JSON
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(": ")
		b.WriteString(p.Format.Place(p.Line))
		if p.Format == FormatXPT && p.Offset > 0 {
			fmt.Fprintf(&b, " (byte %d)", p.Offset)
		}
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
	File   string `json:"file"`
	SHA256 string `json:"sha256"` // of the file's bytes
	// Reader is the parser: "gota" or "stream" for CSV, "xport" or
	// "datasetjson".
	Reader string `json:"reader"`
	// Format is the file's format, told by its extension (FormatOf).
	Format   Format `json:"format,omitempty"`
	RowsRead int    `json:"rows_read"`
	Accepted int    `json:"accepted"`
	Rejected int    `json:"rejected"`
	// Problems holds one entry per rejected row, in file order.
	Problems []Problem `json:"-"`
}

// Place names row n of the file as messages do: "line n" for CSV,
// "observation n" for XPT, "row n" for Dataset-JSON. The Line fields of
// the readers' tables count in the same unit.
func (r *Report) Place(n int) string { return r.Format.Place(n) }

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
	// place names a row in reasons that refer to another row ("line 5",
	// "observation 5", "row 5").
	place func(n int) string
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

// finishFunc runs once every row has been read, before the report is
// checked for fatal problems. It returns the accepted rows it rejects after
// all (checks across rows, such as duplicates), with Line, Column and Value
// filled in; they are counted and merged into the report in line order.
type finishFunc func() []Problem

// readConfig says how a data file is read.
type readConfig struct {
	reader   Reader
	encoding Encoding
	member   string // XPT member; "" chooses by dataset
	dataset  string // ADSL, ADQS, ADCE or ADTTE (the default XPT member)
	// headerOnly makes a file with a header and no data rows valid (it
	// reads as no rows: ADCE, where it means that no event occurred).
	headerOnly bool
	// batches, when not nil, lets the streaming CSV reader validate blocks
	// of rows on all cores (see batcher); the other readers use the row
	// function.
	batches *batcher
}

// readTable reads the data file at path in the format its extension
// names (FormatOf), checks its header with header and each data row with
// the row function it returns, then runs finish (nil for none).
func readTable(path string, cfg readConfig, header headerFunc, finish finishFunc) (*Report, error) {
	if err := cfg.encoding.check(); err != nil {
		panic(err.Error())
	}
	switch FormatOf(path) {
	case FormatXPT:
		return readXPT(path, cfg, header, finish)
	case FormatJSON, FormatNDJSON:
		return readDatasetJSON(path, cfg, header, finish)
	}
	return readCSV(path, cfg, header, finish)
}

// sink validates the header and the rows of one file, whatever its format,
// and keeps its report: every rule and message is shared by the formats.
type sink struct {
	path   string
	format Format
	rep    *Report
	hdr    []string
	cols   columns
	row    rowFunc
	// cellOffset returns the byte offset of row n's cell in column j (j < 0:
	// of the row), or 0; nil when the format has no byte offsets.
	cellOffset func(n, j int) int64
}

func newSink(path string, format Format, reader string) *sink {
	return &sink{path: path, format: format, rep: &Report{File: path, Reader: reader, Format: format}}
}

// setHeader checks the column names and prepares the row function; where
// names the header in messages ("line 1", "member ADTTE").
func (s *sink) setHeader(hdr []string, where string, rowsHint int, header headerFunc) error {
	if len(hdr) > MaxColumns {
		return fmt.Errorf("%w: %s: %s: the header has %d columns, more than the %d allowed: keep the columns of the data contract (see datasets/README.md) and the covariates", ErrInvalid, s.path, where, len(hdr), MaxColumns)
	}
	hdr = slices.Clone(hdr)
	cols := columns{names: hdr, index: make(map[string]int, len(hdr)), rowsHint: rowsHint, place: s.format.Place}
	for i, name := range hdr {
		name = strings.TrimSpace(name)
		hdr[i] = name
		if name == "" {
			return fmt.Errorf("%w: %s: %s, column %d: the header has an empty column name: name every column", ErrInvalid, s.path, where, i+1)
		}
		if !utf8.ValidString(name) {
			return fmt.Errorf("%w: %s: %s, column %d: the column name %q is not valid UTF-8: save the file as UTF-8 (or read it with encoding latin1)", ErrInvalid, s.path, where, i+1, strings.ToValidUTF8(name, "\uFFFD"))
		}
		if j, dup := cols.index[name]; dup {
			return fmt.Errorf("%w: %s: %s, column %d: column %s appears twice (also column %d): rename or remove one", ErrInvalid, s.path, where, i+1, name, j+1)
		}
		cols.index[name] = i
	}
	row, err := header(cols)
	if err != nil {
		var mc missingColumn
		if errors.As(err, &mc) {
			return fmt.Errorf("%w: %s: %s, column %s (absent): %v", ErrInvalid, s.path, where, mc.name, err)
		}
		return fmt.Errorf("%w: %s: %s: %v", ErrInvalid, s.path, where, err)
	}
	s.hdr, s.cols, s.row = hdr, cols, row
	return nil
}

// accept validates one data record found at line (observation, row) and
// counts it.
func (s *sink) accept(line int, rec []string) {
	s.rep.RowsRead++
	p := s.check(line, rec, s.row)
	if p == nil {
		s.rep.Accepted++
		return
	}
	p.Line = line
	s.locate(p)
	s.rep.Rejected++
	s.rep.Problems = append(s.rep.Problems, *p)
}

// check validates one record: its number of fields and their encoding,
// then the row function row. It returns nil to accept the row. It only
// reads the sink, so blocks of a file may be checked concurrently.
func (s *sink) check(line int, rec []string, row rowFunc) *Problem {
	return s.checkFields(line, rec, row, true)
}

// checkASCII is check for a record known to be ASCII (see isASCII): its
// fields are not checked for UTF-8 one by one.
func (s *sink) checkASCII(line int, rec []string, row rowFunc) *Problem {
	return s.checkFields(line, rec, row, false)
}

func (s *sink) checkFields(line int, rec []string, row rowFunc, utf8Check bool) *Problem {
	hdr := s.hdr
	var p *Problem
	switch {
	case len(rec) < len(hdr):
		// Named by the first column without a field.
		p = &Problem{Column: hdr[len(rec)], Reason: fmt.Sprintf("the row has %d fields but the header has %d: column %s onwards has no field; check for a missing comma", len(rec), len(hdr), hdr[len(rec)]), Fatal: true}
	case len(rec) > len(hdr):
		p = &Problem{Reason: fmt.Sprintf("the row has %d fields but the header has %d: field %d onwards has no column; check for an extra comma, or quote fields that contain commas", len(rec), len(hdr), len(hdr)+1), Fatal: true}
	default:
		if utf8Check {
			p = invalidUTF8(hdr, rec)
		}
		if p == nil {
			if allEmpty(rec) {
				p = &Problem{Reason: "all fields are empty: the row was dropped"}
			} else {
				p = row(line, rec)
			}
		}
	}
	return p
}

// locate fills in the file, format, column number and byte offset of a
// problem whose Line and Column are set.
func (s *sink) locate(p *Problem) {
	p.File, p.Format = s.path, s.format
	j := -1
	if p.Column != "" {
		j = s.cols.index[p.Column]
		p.Index = j + 1
	}
	if s.cellOffset != nil {
		p.Offset = s.cellOffset(p.Line, j)
	}
}

// invalidUTF8 returns the fatal problem of the first field that is not
// valid UTF-8, or nil.
func invalidUTF8(hdr, rec []string) *Problem {
	for j, f := range rec {
		if utf8.ValidString(f) {
			continue
		}
		bad := 0
		for bad < len(f) {
			r, size := utf8.DecodeRuneInString(f[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		return &Problem{Column: hdr[j], Value: strings.ToValidUTF8(f, "\uFFFD"), Reason: fmt.Sprintf("%s has a byte that is not UTF-8 (0x%02X, byte %d of the field): the data contract is UTF-8; save the file as UTF-8, or read it with encoding latin1 if it is latin1", hdr[j], f[bad], bad+1), Fatal: true}
	}
	return nil
}

// end runs finish, merges its problems, hashes nothing more and checks the
// counts: a file without data rows is an error (noRows says so) unless
// headerOnly.
func (s *sink) end(finish finishFunc, headerOnly bool, noRows string) (*Report, error) {
	rep := s.rep
	if finish != nil {
		if late := finish(); len(late) > 0 {
			for _, p := range late {
				s.locate(&p)
				rep.Problems = append(rep.Problems, p)
			}
			rep.Accepted -= len(late)
			rep.Rejected += len(late)
			slices.SortStableFunc(rep.Problems, func(a, b Problem) int { return a.Line - b.Line })
		}
	}
	if rep.RowsRead == 0 && !headerOnly {
		where := s.format.Place(1)
		if s.format != FormatCSV {
			where = "header"
		}
		return rep, fmt.Errorf("%w: %s: %s: %s", ErrInvalid, s.path, where, noRows)
	}
	return rep, rep.Err()
}

// readCSV parses the CSV file at path with the chosen reader.
func readCSV(path string, cfg readConfig, header headerFunc, finish finishFunc) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("could not open data file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("could not stat data file: %w", err)
	}
	reader := cfg.reader
	if reader == ReaderAuto {
		reader = ReaderGota
		if st.Size() > StreamThreshold {
			reader = ReaderStream
		}
	}
	h := sha256.New()
	var src io.Reader = io.TeeReader(f, h)
	if cfg.encoding == Latin1 {
		src = charmap.ISO8859_1.NewDecoder().Reader(src)
	}
	br := bufio.NewReaderSize(src, 1<<16)
	s := newSink(path, FormatCSV, string(reader))
	rep := s.rep
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	if crOnly(br) {
		return rep, fmt.Errorf("%w: %s: line 1: the file uses CR line ends (classic Mac OS): save it with LF or CRLF line ends", ErrInvalid, path)
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
	if err := s.setHeader(hdr, "line 1", estimateRows(br, st.Size()), header); err != nil {
		return rep, err
	}
	hdr = s.hdr
	// malformed rejects a record that encoding/csv could not parse: a
	// fatal problem, and reading goes on with the next record.
	malformed := func(pe *csv.ParseError, partial []string) {
		rep.RowsRead++
		rep.Rejected++
		rep.Problems = append(rep.Problems, malformedProblem(path, hdr, pe, len(partial)))
	}

	switch reader {
	case ReaderStream:
		read := func() error { return streamRecords(br, nextLine, len(hdr), s.accept, malformed) }
		if cfg.batches != nil {
			read = func() error { return streamParallel(br, nextLine, s, *cfg.batches, malformed) }
		}
		if err := read(); err != nil {
			return rep, fmt.Errorf("could not read %s: %w", path, err)
		}
	case ReaderGota:
		if err := gotaRecords(path, cr, hdr, s.accept, malformed); err != nil {
			return rep, err
		}
	default:
		panic(fmt.Sprintf("adam: unknown reader %q", reader))
	}
	// Drain to hash the whole file even if the CSV reader stopped early.
	io.Copy(io.Discard, br)
	rep.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s.end(finish, cfg.headerOnly, "the file has a header but no data rows: add at least one row")
}

// crOnly reports whether the first line buffered in br ends with a lone CR
// (classic Mac OS line ends): encoding/csv would read the whole file as
// one header line.
func crOnly(br *bufio.Reader) bool {
	buf, _ := br.Peek(br.Size())
	if nl := bytes.IndexByte(buf, '\n'); nl >= 0 {
		buf = buf[:nl]
	}
	for i := bytes.IndexByte(buf, '\r'); i >= 0; i = bytes.IndexByte(buf, '\r') {
		if i+1 < len(buf) {
			return true
		}
		buf = buf[i+1:]
	}
	return false
}

// gotaRecords reads the records of cr through gota and passes each to
// accept, or to malformed, in file order. Records gota cannot hold
// (ragged or malformed rows) are kept aside and passed in their place.
func gotaRecords(path string, cr *csv.Reader, hdr []string, accept func(line int, rec []string), malformed func(pe *csv.ParseError, partial []string)) error {
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
			return fmt.Errorf("could not read %s: %w", path, err)
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
			return fmt.Errorf("could not load %s into a dataframe: %w", path, err)
		}
		for j, name := range hdr {
			s := df.Col(name)
			if s.Err != nil {
				return fmt.Errorf("could not read column %s of %s: %w", name, path, s.Err)
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
	return nil
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
	p := Problem{File: path, Line: pe.Line, Fatal: true, Format: FormatCSV}
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

// errNotDecimal is the error of a number in Go's hexadecimal or
// underscore syntax, which strconv accepts and the data contract does not.
var errNotDecimal = errors.New("not a decimal number")

// parseNumber parses a decimal number; it accepts surrounding spaces. The
// result may be ±Inf or NaN ("Inf", "NaN"): callers reject them.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "xX_") {
		return 0, errNotDecimal
	}
	return strconv.ParseFloat(s, 64)
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

// idArena stores many short strings (subject identifiers) as one buffer of
// their bytes and their end offsets: while a large file is read it holds
// nothing the garbage collector scans (a million strings would be a
// million pointers to mark at every collection). strings makes them
// strings once, at the end, sharing one allocation.
type idArena struct {
	bytes []byte
	ends  []int // end offset in bytes of each string
}

// grow makes room for n more strings.
func (a *idArena) grow(n int) { a.ends = slices.Grow(a.ends, n) }

// addBytes stores the string with the given bytes.
func (a *idArena) addBytes(s []byte) {
	a.bytes = append(a.bytes, s...)
	a.ends = append(a.ends, len(a.bytes))
}

// strings returns the stored strings and empties the arena.
func (a *idArena) strings() []string {
	all := string(a.bytes)
	out := make([]string, len(a.ends))
	start := 0
	for k, e := range a.ends {
		out[k] = all[start:e]
		start = e
	}
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
