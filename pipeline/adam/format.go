package adam

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/ketcurves/ketcurves/pipeline/datasetjson"
	"github.com/ketcurves/ketcurves/pipeline/xport"
)

// Format is the format of a data file.
type Format string

// Formats, told by the file extension (FormatOf).
const (
	FormatCSV    Format = "csv"    // comma-separated values (.csv, and any other extension)
	FormatXPT    Format = "xpt"    // SAS transport, XPORT version 5 or 8 (.xpt), read by package xport
	FormatJSON   Format = "json"   // CDISC Dataset-JSON v1.1 (.json), read by package datasetjson
	FormatNDJSON Format = "ndjson" // its NDJSON representation (.ndjson)
)

// FormatOf returns the format of the file at path by its extension,
// compared without regard to case: .xpt, .json and .ndjson; any other
// extension (.csv, .txt, none) is CSV.
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xpt":
		return FormatXPT
	case ".json":
		return FormatJSON
	case ".ndjson":
		return FormatNDJSON
	}
	return FormatCSV
}

// Place names row n of a file of this format as messages do: "line n"
// (CSV), "observation n" (XPT) or "row n" (Dataset-JSON).
func (f Format) Place(n int) string {
	switch f {
	case FormatXPT:
		return fmt.Sprintf("observation %d", n)
	case FormatJSON, FormatNDJSON:
		return fmt.Sprintf("row %d", n)
	}
	return fmt.Sprintf("line %d", n)
}

// Encoding is the character encoding of a CSV or XPT file's text.
type Encoding string

// Encodings. The zero value is UTF8.
const (
	UTF8   Encoding = "utf-8"  // the data contract's encoding: other bytes are a fatal problem naming the cell
	Latin1 Encoding = "latin1" // ISO 8859-1 (SAS's latin1): every byte is one character, converted to UTF-8
)

// ParseEncoding returns the encoding named s: "utf-8" (or "utf8", "" for
// the default) or "latin1" (or "iso-8859-1"), without regard to case; the
// error names the valid values (for a command-line flag).
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "utf-8", "utf8":
		return UTF8, nil
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		return Latin1, nil
	}
	return "", fmt.Errorf("unknown encoding %q: use utf-8 or latin1", s)
}

// check panics-worthy misuse: an Encoding not made by ParseEncoding or a
// constant.
func (e Encoding) check() error {
	if e != "" && e != UTF8 && e != Latin1 {
		return fmt.Errorf("adam: unknown Encoding %q (use UTF8 or Latin1, or ParseEncoding)", string(e))
	}
	return nil
}

func (e Encoding) xport() xport.Encoding {
	if e == Latin1 {
		return xport.Latin1
	}
	return xport.UTF8
}

// Limits on input, whatever the format. A file beyond them is rejected
// with an error saying so before anything large is allocated.
const (
	// MaxColumns is the largest number of columns of a header (SAS's
	// limit on the variables of a dataset).
	MaxColumns = 32767
	// MaxWholeFileSize is the largest XPT or Dataset-JSON file: they are
	// read into memory whole (CSV files are streamed and have no limit).
	MaxWholeFileSize = 2 << 30
)

// decodeError is the error of a file its decoder rejects: it wraps
// ErrInvalid and the decoder's error (xport.ErrCPORT, datasetjson.ErrType,
// …) for errors.Is.
type decodeError struct {
	msg  string
	errs []error
}

func (e *decodeError) Error() string   { return e.msg }
func (e *decodeError) Unwrap() []error { return e.errs }

// readWhole reads the file at path and returns its bytes and their SHA-256.
func readWhole(path string, what string) ([]byte, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("could not open data file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, "", fmt.Errorf("could not stat data file: %w", err)
	}
	if st.Size() > MaxWholeFileSize {
		return nil, "", fmt.Errorf("%w: %s: the file has %d bytes, more than the %d (2 GiB) a %s file may have (it is read into memory whole): export the data as CSV, which is streamed", ErrInvalid, path, st.Size(), MaxWholeFileSize, what)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, "", fmt.Errorf("could not read %s: %w", path, err)
	}
	sum := sha256.Sum256(data)
	return data, hex.EncodeToString(sum[:]), nil
}

// readXPT reads one member of the SAS XPORT file at path (cfg.member, or
// the only member, or the one named like cfg.dataset) and validates its
// observations as CSV rows.
func readXPT(path string, cfg readConfig, header headerFunc, finish finishFunc) (*Report, error) {
	s := newSink(path, FormatXPT, "xport")
	data, sum, err := readWhole(path, "SAS XPORT")
	if err != nil {
		return nil, err
	}
	s.rep.SHA256 = sum
	opt := xport.Options{Member: cfg.member, Encoding: cfg.encoding.xport()}
	if opt.Member == "" {
		opt.Member = defaultMember(data, opt, cfg.dataset)
	}
	t, err := xport.Decode(data, opt)
	if err != nil {
		msg := err.Error()
		var xe *xport.Error
		if errors.As(err, &xe) {
			msg = strings.TrimPrefix(msg, "xport: ")
			if errors.Is(err, xport.ErrMember) {
				msg += fmt.Sprintf(" (or name the %s member %s)", cfg.dataset, cfg.dataset)
			}
		}
		return s.rep, &decodeError{msg: fmt.Sprintf("%v: %s: %s", ErrInvalid, path, msg), errs: []error{ErrInvalid, err}}
	}
	s.cellOffset = xptCellOffsets(data, t)
	if err := s.setHeader(t.Header(), "member "+t.Name, t.Rows, header); err != nil {
		return s.rep, err
	}
	rec := make([]string, 0, len(t.Columns))
	for i := range t.Rows {
		rec = t.AppendRow(rec[:0], i)
		s.accept(i+1, rec)
	}
	return s.end(finish, cfg.headerOnly, "the member has no observations: add at least one")
}

// defaultMember returns the member to read when none is named: "" (the
// only one) or, in a file of several, the one named dataset (ADTTE, …)
// without regard to case; "" again when there is none, so that the
// decoder's error lists the names.
func defaultMember(data []byte, opt xport.Options, dataset string) string {
	names, err := xport.Members(data, opt)
	if err != nil || len(names) <= 1 {
		return ""
	}
	for _, n := range names {
		if strings.EqualFold(n, dataset) {
			return n
		}
	}
	return ""
}

// xptCellOffsets returns a function giving the byte offset of a cell of
// the member t of data (observation n, 1-based; variable j, -1 for the
// observation's first byte), or nil when the observations cannot be
// located. The observations start after the OBS (OBSV8) header record
// that follows the member's header record, found as the decoder finds
// them: on 80-byte boundaries.
func xptCellOffsets(data []byte, t *xport.Table) func(n, j int) int64 {
	names, err := xport.Members(data, xport.Options{Encoding: xport.Latin1})
	if err != nil {
		return nil
	}
	k := -1
	for i, name := range names {
		if strings.EqualFold(name, t.Name) {
			k = i
			break
		}
	}
	if k < 0 {
		return nil
	}
	obsStart, member := -1, -1
	for off := 0; off+80 <= len(data); off += 80 {
		switch xptHeaderName(data[off : off+80]) {
		case "MEMBER", "MEMBV8":
			member++
		case "OBS", "OBSV8":
			if member == k {
				obsStart = off + 80
			}
		}
		if obsStart >= 0 {
			break
		}
	}
	if obsStart < 0 {
		return nil
	}
	obsLen := 0
	for _, c := range t.Columns {
		obsLen += c.Length
	}
	return func(n, j int) int64 {
		off := int64(obsStart) + int64(n-1)*int64(obsLen)
		if j >= 0 && j < len(t.Columns) {
			off += int64(t.Columns[j].Position)
		}
		return off
	}
}

// xptHeaderName returns the name of an XPORT header record ("MEMBER",
// "OBS", …), or "".
func xptHeaderName(rec []byte) string {
	const prefix, suffix = "HEADER RECORD*******", "HEADER RECORD!!!!!!!"
	if len(rec) < 48 || string(rec[:20]) != prefix || string(rec[28:48]) != suffix {
		return ""
	}
	return strings.TrimRight(string(rec[20:28]), " ")
}

// readDatasetJSON reads the Dataset-JSON (or NDJSON) file at path and
// validates its rows as CSV rows. Dataset-JSON is UTF-8 by specification
// (RFC 8259): the encoding option does not apply, and a byte that is not
// UTF-8 is an error naming its line, column and byte offset (encoding/json
// would silently replace it).
func readDatasetJSON(path string, cfg readConfig, header headerFunc, finish finishFunc) (*Report, error) {
	s := newSink(path, FormatOf(path), "datasetjson")
	data, sum, err := readWhole(path, "Dataset-JSON")
	if err != nil {
		return nil, err
	}
	s.rep.SHA256 = sum
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		line, col := lineColumn(data, off)
		return s.rep, fmt.Errorf("%w: %s: line %d, column %d (byte %d): the byte 0x%02X is not UTF-8: Dataset-JSON files are UTF-8 (RFC 8259); re-export the file as UTF-8", ErrInvalid, path, line, col, off, data[off])
	}
	t, err := datasetjson.Read(bytes.NewReader(data))
	if err != nil {
		var je *datasetjson.Error
		if errors.As(err, &je) {
			if je.Line == 0 {
				je.Line, je.Column = lineColumn(data, int(je.Offset))
			}
			return s.rep, &decodeError{msg: fmt.Sprintf("%v: %s: %s", ErrInvalid, path, strings.TrimPrefix(je.Error(), "datasetjson: ")), errs: []error{ErrInvalid, err}}
		}
		return s.rep, fmt.Errorf("could not read %s: %w", path, err)
	}
	if t.Form == datasetjson.NDJSON {
		s.format, s.rep.Format = FormatNDJSON, FormatNDJSON
	} else {
		s.format, s.rep.Format = FormatJSON, FormatJSON
	}
	name := t.Name
	if name == "" {
		name = cfg.dataset
	}
	if err := s.setHeader(t.Header(), "dataset "+name, t.Rows, header); err != nil {
		return s.rep, err
	}
	rec := make([]string, 0, len(t.Columns))
	for i := range t.Rows {
		rec = t.AppendRow(rec[:0], i)
		s.accept(i+1, rec)
	}
	return s.end(finish, cfg.headerOnly, "the dataset has no rows: add at least one")
}

// invalidUTF8Offset returns the offset of the first byte of data that is
// not valid UTF-8 (len(data) if there is none).
func invalidUTF8Offset(data []byte) int {
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			return off
		}
		off += size
	}
	return len(data)
}

// lineColumn returns the 1-based line and column (in bytes) of offset off.
func lineColumn(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	col = off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}
