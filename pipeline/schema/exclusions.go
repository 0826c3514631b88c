package schema

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ExclusionColumns is the header of the exclusions file that cmd/derive
// writes (derive_exclusions.csv) and the report reads, in order.
var ExclusionColumns = []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "REASON"}

// Exclusion is one subject-endpoint pair that cmd/derive left out of a
// derived endpoint, with the reason.
type Exclusion struct {
	StudyID, USUBJID, Arm, Paramcd, Reason string
	// Line is the line of the row in the exclusions file.
	Line int
}

// Category is the reason up to its first ':', without surrounding spaces
// ("not in response at the anchor"). A ':' inside parentheses does not
// count, so that "excluded from TTRESP (no baseline: …): no relapse anchor"
// keeps the nested reason whole. It is the whole reason when it has no such
// ':' or nothing before it.
func (x Exclusion) Category() string {
	depth := 0
	for i, r := range x.Reason {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ':':
			if depth > 0 {
				continue
			}
			if c := strings.TrimSpace(x.Reason[:i]); c != "" {
				return c
			}
			return strings.TrimSpace(x.Reason)
		}
	}
	return strings.TrimSpace(x.Reason)
}

// DecodeExclusions decodes the content of an exclusions file written by
// cmd/derive; name is used in messages. Reading is strict: the header must
// be exactly ExclusionColumns, every row must have as many fields, and
// STUDYID, USUBJID, PARAMCD and REASON must not be empty (TRTP may be, as
// in adsl.csv). Every error names the file, the line and the column (a
// 1-based byte index, as encoding/csv counts it).
func DecodeExclusions(name string, data []byte) ([]Exclusion, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // counted below, with the column
	at := func(line, col int, format string, args ...any) error {
		return fmt.Errorf("%s: line %d, column %d: %s", name, line, col, fmt.Sprintf(format, args...))
	}
	read := func() ([]string, error) {
		rec, err := r.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, at(pe.Line, pe.Column, "%v", pe.Err)
		}
		return rec, err
	}
	want := strings.Join(ExclusionColumns, ",")
	header, err := read()
	if err == io.EOF {
		return nil, at(1, 1, "the file is empty; want the header %s", want)
	}
	if err != nil {
		return nil, err
	}
	for i, col := range ExclusionColumns {
		if i >= len(header) {
			line, c := endOfRecord(data, r.InputOffset())
			return nil, at(line, c, "the header ends after %d columns; want %s", len(header), want)
		}
		if header[i] != col {
			line, c := r.FieldPos(i)
			return nil, at(line, c, "header column %d is %q, want %q (the header must be %s)", i+1, header[i], col, want)
		}
	}
	if len(header) > len(ExclusionColumns) {
		line, c := r.FieldPos(len(ExclusionColumns))
		return nil, at(line, c, "unexpected header column %q; want %s", header[len(ExclusionColumns)], want)
	}

	var out []Exclusion
	for {
		rec, err := read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		switch n := len(rec); {
		case n < len(ExclusionColumns):
			l, c := endOfRecord(data, r.InputOffset())
			return nil, at(l, c, "the row has %d fields, want %d (%s): %s is missing", n, len(ExclusionColumns), want, ExclusionColumns[n])
		case n > len(ExclusionColumns):
			l, c := r.FieldPos(len(ExclusionColumns))
			return nil, at(l, c, "the row has %d fields, want %d (%s); quote a REASON that holds a comma", n, len(ExclusionColumns), want)
		}
		for i, col := range ExclusionColumns {
			if col != "TRTP" && strings.TrimSpace(rec[i]) == "" {
				l, c := r.FieldPos(i)
				return nil, at(l, c, "%s is empty", col)
			}
		}
		out = append(out, Exclusion{StudyID: rec[0], USUBJID: rec[1], Arm: rec[2], Paramcd: rec[3], Reason: rec[4], Line: line})
	}
}

// endOfRecord returns the line and the 1-based byte column just after the
// last field of the record that ends at offset (after its line break).
func endOfRecord(data []byte, offset int64) (line, col int) {
	end := min(int(offset), len(data))
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	if end > 0 && data[end-1] == '\r' {
		end--
	}
	before := data[:end]
	return bytes.Count(before, []byte("\n")) + 1, end - bytes.LastIndexByte(before, '\n')
}
