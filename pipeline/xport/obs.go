package xport

import (
	"bytes"
	"math"
)

// observations decodes the member's observations into its columns.
//
// The observation section runs from m.obsStart to the next member header or
// the end of the file, and its last 80-byte record is padded with blanks
// (0x20). Padding is told from data as other readers do, with one rule: a
// trailing observation made of blanks only is padding when it starts within
// the last 79 bytes of the section (the padding is shorter than one
// record). A real all-blank observation there — possible only when every
// variable is character, since a blank numeric is not a SAS value — is
// indistinguishable from padding and is dropped, as SAS's own XPORT engine
// and ReadStat do. Bytes left over after the last observation must be
// blanks and fewer than 80, else the file is truncated.
func (d *decoder) observations(m *member) error {
	d.member = m.table.Name
	t := m.table
	L := m.obsLength
	section := d.data[m.obsStart:m.obsEnd]
	n := 0
	if L > 0 {
		n = len(section) / L
		for n > 0 && (n-1)*L >= len(section)-(recLen-1) && allBlank(section[(n-1)*L:n*L]) {
			n--
		}
		if rest := section[n*L:]; len(rest) >= recLen || !allBlank(rest) {
			return d.errorf(m.obsStart+n*L, "", ErrTruncated, "the observations end with %d bytes that are not blank padding (an observation has %d bytes): the file is truncated or damaged", len(rest), L)
		}
	} else if !allBlank(section) {
		return d.errorf(m.obsStart, "", ErrMalformed, "the member has no variables but %d bytes of observations", len(section))
	}
	t.Rows = n
	for j := range t.Columns {
		c := &t.Columns[j]
		var err error
		if c.Type == Numeric {
			d.numbers(section, L, n, c)
		} else {
			err = d.strings(section, L, n, c, m.obsStart)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func allBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// numbers decodes a numeric column: a missing value is its kind byte
// followed by zero bytes; anything else is an IBM float.
func (d *decoder) numbers(section []byte, L, n int, c *Column) {
	c.Float = make([]float64, n)
	c.Missing = make([]Missing, n)
	for i := range n {
		b := section[i*L+c.Position : i*L+c.Position+c.Length]
		if kind, ok := missingKind(b[0]); ok && allZero(b[1:]) {
			c.Missing[i] = kind
			c.Float[i] = math.NaN()
			continue
		}
		c.Float[i] = ibmToFloat(b)
	}
}

// trimBlank removes trailing blanks and NULs.
func trimBlank(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == 0) {
		n--
	}
	return b[:n]
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// strings decodes a character column, reusing the previous row's string
// when the bytes are the same (constant and sorted columns such as STUDYID
// and PARAMCD then cost one string).
func (d *decoder) strings(section []byte, L, n int, c *Column, base int) error {
	c.String = make([]string, n)
	var prev []byte
	var prevS string
	for i := range n {
		at := i*L + c.Position
		b := trimBlank(section[at : at+c.Length])
		if i > 0 && bytes.Equal(b, prev) {
			c.String[i] = prevS
			continue
		}
		s, bad := d.text(b)
		if bad >= 0 {
			return d.errorf(base+at+bad, c.Name, ErrEncoding, "observation %d: the value is not valid UTF-8 (byte 0x%02x): read the file with the latin1 encoding if it was written in latin1", i+1, b[bad])
		}
		c.String[i], prev, prevS = s, b, s
	}
	return nil
}
