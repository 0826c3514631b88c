package xport

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// toVAX rewrites a version 5 file with 140-byte NAMESTRs as a VAX/VMS file
// with 136-byte NAMESTRs (the last 4 bytes, unused, are dropped).
func toVAX(t *testing.T, data []byte) []byte {
	t.Helper()
	mem := bytes.Index(data, []byte(headerPrefix+"MEMBER  "))
	ns := bytes.Index(data, []byte(headerPrefix+"NAMESTR "))
	obs := bytes.Index(data, []byte(headerPrefix+"OBS     "))
	var count int
	fmt.Sscanf(string(data[ns+48:ns+58]), "%d", &count)
	out := append([]byte{}, data[:ns+recLen]...)
	copy(out[mem+74:mem+78], "0136")
	for i := range count {
		at := ns + recLen + i*140
		out = append(out, data[at:at+136]...)
	}
	for len(out)%recLen != 0 {
		out = append(out, ' ')
	}
	return append(out, data[obs:]...)
}

func TestVAXNamestr(t *testing.T) {
	want := readXPT(t, "special_v5.xpt", Options{})
	data, err := os.ReadFile(filepath.Join("testdata", "special_v5.xpt"))
	if err != nil {
		t.Fatal(err)
	}
	vax := toVAX(t, data)
	if bytes.Equal(vax, data) || bytes.Count(vax, []byte("0136")) == 0 {
		t.Fatal("toVAX did not rewrite the file")
	}
	got, err := Decode(vax, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "VAX", got, want)
}

// TestNotXPORT checks the messages for files that are not XPORT.
func TestNotXPORT(t *testing.T) {
	lung, err := os.ReadFile(filepath.Join("testdata", "lung.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sas7bdat := make([]byte, 1024)
	copy(sas7bdat[12:], []byte{0xc2, 0xea, 0x81, 0x60, 0xb3, 0x14, 0x11, 0xcf})
	for _, test := range []struct {
		name string
		data []byte
		err  error
		msg  string
	}{
		{"empty", nil, ErrNotXPORT, "empty"},
		{"CPORT", []byte("**COMPRESSED** **COMPRESSED** **COMPRESSED** **COMPRESSED** **COMPRESSED********" + strings.Repeat(" ", 200)), ErrCPORT, "PROC CPORT"},
		{"CPORT LIB CONTROL", append(bytes.Repeat([]byte{0}, 100), "LIB CONTROL"...), ErrCPORT, "XPORT engine"},
		{"SAS7BDAT", sas7bdat, ErrNotXPORT, "SAS7BDAT"},
		{"CSV", lung, ErrNotXPORT, "library header"},
		{"short", []byte("HEADER RECORD"), ErrTruncated, "library header"},
		{"tiny", []byte("abc"), ErrNotXPORT, "library header"},
		{"binary", bytes.Repeat([]byte{0xff, 0x00}, 300), ErrNotXPORT, "library header"},
	} {
		_, err := Decode(test.data, Options{})
		if !errors.Is(err, test.err) || !strings.Contains(err.Error(), test.msg) {
			t.Errorf("%s: error %v, want %v mentioning %q", test.name, err, test.err, test.msg)
		}
	}
}

// TestTruncated cuts lung_v5.xpt at many places: every cut must be an
// error (never a panic), except cuts at the end of an observation, which a
// version 5 file cannot tell from a shorter file (it does not store the
// number of observations).
func TestTruncated(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "lung_v5.xpt"))
	if err != nil {
		t.Fatal(err)
	}
	obs := bytes.Index(data, []byte(headerPrefix+"OBS     ")) + recLen
	const obsLen = 4 + 8 + 5 + 7 + 6*8 + 1 // STUDYID USUBJID TRTP PARAMCD, 6 numerics, SEX
	for cut := 0; cut < len(data)-recLen; cut += 7 {
		_, err := Decode(data[:cut], Options{})
		atObsEnd := cut >= obs && (cut-obs)%obsLen == 0
		switch {
		case err == nil && !atObsEnd:
			t.Errorf("cut at %d: no error", cut)
		case err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrNotXPORT) && !errors.Is(err, ErrMalformed):
			t.Errorf("cut at %d: error %v", cut, err)
		}
	}
	_, err = Decode(data[:obs+obsLen*10+5], Options{})
	var xe *Error
	if !errors.As(err, &xe) || !errors.Is(err, ErrTruncated) || xe.Offset != int64(obs+obsLen*10) {
		t.Errorf("cut inside observation 11: %v, want ErrTruncated at byte %d", err, obs+obsLen*10)
	}
	_, err = Decode(data[:obs-recLen-100], Options{})
	if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "NAMESTR") {
		t.Errorf("cut inside the NAMESTRs: %v", err)
	}
}

// TestPadding checks the rule that tells blank padding from all-blank
// observations: a trailing blank observation is padding only when it starts
// within the last 79 bytes.
func TestPadding(t *testing.T) {
	char := func(length int, v ...string) *Table {
		return &Table{Name: "PAD", Rows: len(v), Columns: []Column{{Name: "S", Type: Char, Length: length, String: v}}}
	}
	for _, test := range []struct {
		tab  *Table
		rows int
	}{
		{char(10, "a", "", ""), 1}, // 30 bytes + 50 padding: the blank rows are padding
		{char(10, "", "a"), 2},     // a blank row before data is data
		{char(100, "a", ""), 2},    // 200 bytes + 40 padding: the blank row starts at 100 < 240-79
		{char(40, "a", "b"), 2},    // exactly one record, no padding
		{char(1, strings.Split("abcdefghij", "")...), 10},
		{&Table{Name: "PAD", Rows: 3, Columns: []Column{{Name: "X", Type: Numeric, Float: []float64{1, 2, 3}}}}, 3},
	} {
		got, err := Decode(encode(t, WriteOptions{}, test.tab), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != test.rows {
			t.Errorf("%d-byte rows %q: %d rows, want %d", test.tab.Columns[0].Length, test.tab.Columns[0].String, got.Rows, test.rows)
		}
	}
	// Padding that is not blank is damage.
	data := encode(t, WriteOptions{}, char(30, "a"))
	data[len(data)-1] = 'x'
	if _, err := Decode(data, Options{}); !errors.Is(err, ErrTruncated) {
		t.Errorf("non-blank padding: %v", err)
	}
}

// TestMembers checks choosing a member in a file with several.
func TestMembers(t *testing.T) {
	a := &Table{Name: "ADSL", Rows: 2, Columns: []Column{{Name: "AGE", Type: Numeric, Float: []float64{60, 70}}}}
	b := &Table{Name: "ADTTE", Rows: 3, Columns: []Column{{Name: "S", Type: Char, String: []string{"x", "", ""}}, {Name: "AVAL", Type: Numeric, Float: []float64{1, 2, 3}}}}
	c := &Table{Name: "EMPTY"}
	data := encode(t, WriteOptions{}, a, b, c)
	names, err := Members(data, Options{})
	if err != nil || strings.Join(names, ",") != "ADSL,ADTTE,EMPTY" {
		t.Errorf("Members = %v, %v", names, err)
	}
	got, err := Decode(data, Options{Member: "adtte"})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "ADTTE", got, b)
	if _, err := Decode(data, Options{}); !errors.Is(err, ErrMember) || !strings.Contains(err.Error(), "ADSL, ADTTE, EMPTY") {
		t.Errorf("no member chosen: %v", err)
	}
	if _, err := Decode(data, Options{Member: "ADAE"}); !errors.Is(err, ErrMember) || !strings.Contains(err.Error(), `no member "ADAE": the file has ADSL, ADTTE, EMPTY`) {
		t.Errorf("absent member: %v", err)
	}
	all, err := DecodeAll(data, Options{})
	if err != nil || len(all) != 3 || all[2].Rows != 0 || all[0].Rows != 2 {
		t.Fatalf("DecodeAll: %d tables, %v", len(all), err)
	}
	sameTable(t, "ADSL", all[0], a)
}

// TestMalformed checks errors for damaged headers and variable descriptions:
// the offset points at the damage and the variable is named.
func TestMalformed(t *testing.T) {
	orig := encode(t, WriteOptions{}, &Table{Name: "T", Rows: 1, Columns: []Column{
		{Name: "A", Type: Numeric, Float: []float64{1}}, {Name: "B", Type: Char, String: []string{"b"}}}})
	ns := bytes.Index(orig, []byte(headerPrefix+"NAMESTR ")) + recLen
	for _, test := range []struct {
		name   string
		edit   func(b []byte)
		offset int
		vname  string
		msg    string
	}{
		{"namestr length", func(b []byte) { copy(b[3*recLen+74:], "0100") }, 3*recLen + 74, "", "NAMESTR length is 100"},
		{"type", func(b []byte) { b[ns+1] = 7 }, ns, "A", "type is 7"},
		{"numeric length", func(b []byte) { b[ns+5] = 9 }, ns + 4, "A", "length 9"},
		{"char length", func(b []byte) { b[ns+140+4], b[ns+140+5] = 0, 0 }, ns + 140 + 4, "B", "length 0"},
		{"position", func(b []byte) { b[ns+140+87] = 20 }, 3 * recLen, "B", "bytes 20"},
		{"count", func(b []byte) { copy(b[ns-recLen+48:], "00000x0002") }, ns - recLen + 48, "", "variable count"},
		{"too many", func(b []byte) { copy(b[ns-recLen+48:], "0000099999") }, ns - recLen + 48, "", "limit"},
		{"obs header", func(b []byte) { copy(b[ns+4*recLen+20:], "OBX") }, ns + 4*recLen, "", "OBS header"},
		{"bad name", func(b []byte) { b[ns+140+8] = 0xff }, ns + 140 + 8, "", "UTF-8"},
	} {
		b := append([]byte{}, orig...)
		test.edit(b)
		_, err := Decode(b, Options{})
		var xe *Error
		if !errors.As(err, &xe) || xe.Offset != int64(test.offset) || xe.Variable != test.vname || !strings.Contains(err.Error(), test.msg) {
			t.Errorf("%s: error %v, want offset %d variable %q mentioning %q", test.name, err, test.offset, test.vname, test.msg)
		}
	}
}

// TestCell checks the rendering rules of Column.Cell and FormatNumber on
// values worked out by hand.
func TestCell(t *testing.T) {
	for _, test := range []struct {
		format string
		v      float64
		want   string
	}{
		{"", 306, "306"},
		{"", -0.1, "-0.1"},
		{"", math.Copysign(0, -1), "0"},
		{"", 1e-6, "0.000001"},
		{"", 1e-7, "1e-07"},
		{"", 1e20, "100000000000000000000"},
		{"", 1.5e21, "1.5e+21"},
		{"", 1.0 / 3, "0.3333333333333333"},
		{"BEST", 2.5, "2.5"},
		{"DATE", 0, "1960-01-01"},
		{"date", -0.5, "1959-12-31"}, // floor
		{"YYMMDD", 23754, "2025-01-13"},
		{"MMDDYY", -715509, "0001-01-01"},
		{"DATE", -715510, "-715510"}, // before year 1: the number
		{"E8601DA", 2936549, "9999-12-31"},
		{"DATETIME", 86400.25, "1960-01-02T00:00:00.25"},
		{"DATETIME", -0.5, "1959-12-31T23:59:59.5"},
		{"E8601DT", 1e-7, "1960-01-01T00:00:00"},
		{"TIME", 3661, "01:01:01"},
		{"TOD", 90000, "25:00:00"},
		{"TIME", -61, "-00:01:01"},
		{"HHMM", 0.000001, "00:00:00.000001"},
	} {
		c := Column{Type: Numeric, Format: Format{Name: test.format}, Float: []float64{test.v}, Missing: []Missing{Present}}
		if got := c.Cell(0); got != test.want {
			t.Errorf("Cell(%v) with format %q = %q, want %q", test.v, test.format, got, test.want)
		}
	}
	for _, test := range []struct {
		format string
		want   Temporal
	}{{"DATE9.", Date}, {"yymmdd10", Date}, {"DATETIME20.", Datetime}, {"TIME8.", Time}, {"8.2", NotTemporal}, {"$CHAR", NotTemporal}} {
		if got := TemporalKind(test.format); got != test.want {
			t.Errorf("TemporalKind(%q) = %v, want %v", test.format, got, test.want)
		}
	}
}
