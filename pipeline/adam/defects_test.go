package adam

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Regression tests for the defects of issue 13 that concern the readers.

// TestCROnlyLineEnds: a file saved with classic Mac OS line ends (CR
// alone) read as one header line, and the message was "column M appears
// twice".
func TestCROnlyLineEnds(t *testing.T) {
	content := strings.ReplaceAll(header+"S1,1,KET,TTRESP,1,0,30\nS1,2,MID,TTRESP,2,1,40\n", "\n", "\r")
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		path := writeFile(t, content)
		_, rep, err := ReadADTTE(path, Options{Study: testStudy(t), Reader: reader})
		checkFatal(t, path, rep, err, ": line 1: ", []string{"the file uses CR line ends (classic Mac OS): save it with LF or CRLF line ends"})
		if strings.Contains(err.Error(), "appears twice") {
			t.Errorf("%s: %v", reader, err)
		}
	}
	// CRLF line ends, and a header ending with CR at the end of the file,
	// are not CR-only.
	for _, content := range []string{
		strings.ReplaceAll(header+"S1,1,KET,TTRESP,1,0,30\n", "\n", "\r\n"),
		header + "S1,1,KET,TTRESP,1,0,30\r",
	} {
		path := writeFile(t, content)
		if _, _, err := ReadADTTE(path, Options{Study: testStudy(t)}); err != nil {
			t.Errorf("%q: %v", content, err)
		}
	}
}

// TestNonUTF8IsRejected: latin1 bytes in USUBJID were accepted, against the
// contract. Every text field of every reader is checked; the reject names
// the line and the column, and the encoding option reads latin1 instead.
func TestNonUTF8IsRejected(t *testing.T) {
	subjects := map[string]bool{"1": true, "caf\u00e9": true}
	for _, test := range []struct {
		name, content, where string
		read                 func(path string, opt Options) (*Report, error)
	}{
		{"ADTTE USUBJID", header + "S1,1,KET,TTRESP,1,0,30\nS1,caf\xe9,KET,TTRESP,1,0,30\n", ": line 3, column 2 (USUBJID): ", func(p string, o Options) (*Report, error) {
			o.Subjects = subjects
			_, r, err := ReadADTTE(p, o)
			return r, err
		}},
		{"ADTTE covariate", header + "S1,1,KET,TTRESP,1,0,\xff\n", ": line 2, column 7 (AGE): ", func(p string, o Options) (*Report, error) {
			_, r, err := ReadADTTE(p, o)
			return r, err
		}},
		{"ADSL", "STUDYID,USUBJID,TRT01P,SEX\nS1,1,KET,F\nS1,2,MID,\xc3\n", ": line 3, column 4 (SEX): ", func(p string, o Options) (*Report, error) {
			_, r, err := ReadADSLWith(p, o)
			return r, err
		}},
		{"ADQS", adqsHeader + "S1,1,MADRS,BASEL\xcfNE,0,30\n", ": line 2, column 4 (AVISIT): ", func(p string, o Options) (*Report, error) {
			_, r, err := ReadADQSWith(p, o)
			return r, err
		}},
		{"ADCE", "STUDYID,USUBJID,ADY,CETERM\nS1,1,3,HOSPITALI\xa7ATION\n", ": line 2, column 4 (CETERM): ", func(p string, o Options) (*Report, error) {
			_, r, err := ReadADCEWith(p, o)
			return r, err
		}},
	} {
		for _, reader := range []Reader{ReaderGota, ReaderStream} {
			t.Run(test.name+"/"+string(reader), func(t *testing.T) {
				path := writeFile(t, test.content)
				rep, err := test.read(path, Options{Study: testStudy(t), Reader: reader})
				checkFatal(t, path, rep, err, test.where, []string{"not UTF-8", "encoding latin1"})
				if rep.Rejected != 1 {
					t.Errorf("%d rows rejected, want 1", rep.Rejected)
				}
				for _, p := range rep.Problems {
					if !strings.Contains(p.Value, "\uFFFD") {
						t.Errorf("problem value %q should show the bad byte as U+FFFD (rejects.csv stays UTF-8)", p.Value)
					}
				}
				rep, err = test.read(path, Options{Study: testStudy(t), Reader: reader, Encoding: Latin1})
				if err != nil || rep.Rejected != 0 {
					t.Errorf("read as latin1: %v, %d rejected", err, rep.Rejected)
				}
			})
		}
	}
}

// TestLatin1CSV checks that a latin1 CSV read with Encoding Latin1 gives
// the same values as its UTF-8 version, and that the SHA-256 is of the
// file's bytes.
func TestLatin1CSV(t *testing.T) {
	utf := "STUDYID,USUBJID,TRT01P,SITE\nS1,1,KET,Z\u00fcrich\nS1,2,MID,S\u00e3o Paulo\n"
	lat := "STUDYID,USUBJID,TRT01P,SITE\nS1,1,KET,Z\xfcrich\nS1,2,MID,S\xe3o Paulo\n"
	a, _, err := ReadADSLWith(writeFile(t, utf), Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, lat)
	b, rep, err := ReadADSLWith(path, Options{Encoding: Latin1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.Extra["SITE"], "|") != strings.Join(b.Extra["SITE"], "|") || b.Extra["SITE"][0] != "Z\u00fcrich" {
		t.Errorf("latin1 SITE = %q, UTF-8 %q", b.Extra["SITE"], a.Extra["SITE"])
	}
	sum := sha256.Sum256([]byte(lat))
	if rep.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA-256 %s is not of the file's bytes", rep.SHA256)
	}
}

func TestParseEncoding(t *testing.T) {
	for _, test := range []struct {
		in   string
		want Encoding
		err  bool
	}{
		{"", UTF8, false}, {"utf-8", UTF8, false}, {"UTF8", UTF8, false},
		{"latin1", Latin1, false}, {"ISO-8859-1", Latin1, false},
		{"cp1252", "", true}, {"ebcdic", "", true},
	} {
		got, err := ParseEncoding(test.in)
		if got != test.want || (err != nil) != test.err {
			t.Errorf("ParseEncoding(%q) = %q, %v; want %q, error %v", test.in, got, err, test.want, test.err)
		}
		if err != nil && !strings.Contains(err.Error(), "utf-8 or latin1") {
			t.Errorf("error %q does not name the valid encodings", err)
		}
	}
}

// TestNonFiniteAndNonDecimalNumbers: every number the readers parse
// rejects non-finite values and Go-only syntax (hexadecimal, underscores),
// which strconv.ParseFloat accepts.
func TestNonFiniteAndNonDecimalNumbers(t *testing.T) {
	for _, test := range []struct {
		name, content, where, want string
		read                       func(path string) (*Report, error)
	}{
		{"ADTTE AVAL hex", header + "S1,1,KET,TTRESP,0x1p4,0,30\n", ": line 2, column 5 (AVAL): ", `AVAL "0x1p4" is not a number`, readADTTEReport},
		{"ADTTE AVAL overflow", header + "S1,1,KET,TTRESP,1e400,0,30\n", ": line 2, column 5 (AVAL): ", `AVAL "1e400" is not a number`, readADTTEReport},
		{"ADTTE ENTRY infinite", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,ENTRY\nS1,1,KET,TTRESP,1,0,-Inf\n", ": line 2, column 7 (ENTRY): ", `ENTRY "-Inf" is not finite`, readADTTEReport},
		{"ADSL AGE infinite", "STUDYID,USUBJID,TRT01P,AGE\nS1,1,KET,+Inf\n", ": line 2, column 4 (AGE): ", `AGE "+Inf" is not a finite number`, adslReader},
		{"ADSL RANDDY NaN", "STUDYID,USUBJID,TRT01P,RANDDY\nS1,1,KET,nan\n", ": line 2, column 4 (RANDDY): ", `RANDDY "nan" is not a finite number`, adslReader},
		{"ADSL AGE underscore", "STUDYID,USUBJID,TRT01P,AGE\nS1,1,KET,4_2\n", ": line 2, column 4 (AGE): ", `AGE "4_2" is not a finite number`, adslReader},
		{"ADQS ADY hex", adqsHeader + "S1,1,MADRS,BASELINE,0x10,30\n", ": line 2, column 5 (ADY): ", `ADY "0x10" is not a finite number`, adqsReader},
		{"ADQS ADY overflow", adqsHeader + "S1,1,MADRS,BASELINE,1e600,30\n", ": line 2, column 5 (ADY): ", `ADY "1e600" is not a finite number`, adqsReader},
		{"ADQS AVAL hex", adqsHeader + "S1,1,MADRS,BASELINE,0,0x1E\n", ": line 2, column 6 (AVAL): ", `AVAL "0x1E" is not a finite number`, adqsReader},
		{"ADCE ADY infinite", "STUDYID,USUBJID,ADY,CETERM\nS1,1,Infinity,HOSPITALIZATION\n", ": line 2, column 3 (ADY): ", `ADY "Infinity" is not a finite number`, adceReader},
	} {
		t.Run(test.name, func(t *testing.T) {
			path := writeFile(t, test.content)
			rep, err := test.read(path)
			checkFatal(t, path, rep, err, test.where, []string{test.want})
		})
	}
}

func readADTTEReport(p string) (*Report, error) {
	_, r, err := ReadADTTE(p, Options{})
	return r, err
}
func adslReader(p string) (*Report, error) { _, r, err := ReadADSLWith(p, Options{}); return r, err }
func adqsReader(p string) (*Report, error) { _, r, err := ReadADQSWith(p, Options{}); return r, err }
func adceReader(p string) (*Report, error) { _, r, err := ReadADCEWith(p, Options{}); return r, err }

// TestScoreRanges: MADRS -5 or 999 after baseline was accepted and counted
// as a response. Scores outside the instrument's range are fatal rejects
// with the range in the reason; the ends are valid; unlisted PARAMCDs are
// not checked; a plan's ranges extend the table.
func TestScoreRanges(t *testing.T) {
	for _, test := range []struct {
		param, aval string
		ok          bool
		want        string
	}{
		{"MADRS", "0", true, ""}, {"MADRS", "60", true, ""}, {"MADRS", "22.5", true, ""},
		{"MADRS", "-5", false, "AVAL -5 is outside the range of MADRS, 0 to 60"},
		{"MADRS", "999", false, "AVAL 999 is outside the range of MADRS, 0 to 60"},
		{"MADRS", "60.01", false, "outside the range of MADRS"},
		{"MADRS10", "6", true, ""}, {"MADRS10", "7", false, "outside the range of MADRS10, 0 to 6"},
		{"QIDSSR16", "27", true, ""}, {"QIDSSR16", "28", false, "outside the range of QIDSSR16, 0 to 27"},
		{"SSI", "38", true, ""}, {"SSI", "-1", false, "outside the range of SSI, 0 to 38"},
		{"BSL23", "3.68", true, ""}, {"BSL23", "4.01", false, "outside the range of BSL23, 0 to 4"},
		{"HAMD17", "999", true, ""}, // not in ScoreRanges: not checked
	} {
		path := writeFile(t, adqsHeader+"S1,1,"+test.param+",DAY1,1,"+test.aval+"\n")
		_, rep, err := ReadADQSWith(path, Options{})
		if test.ok {
			if err != nil {
				t.Errorf("%s %s: %v", test.param, test.aval, err)
			}
			continue
		}
		checkFatal(t, path, rep, err, ": line 2, column 6 (AVAL): ", []string{test.want})
	}
	// A plan's own ranges.
	path := writeFile(t, adqsHeader+"S1,1,HAMD17,DAY1,1,53\n")
	_, rep, err := ReadADQSWith(path, Options{ScoreRanges: WithScoreRanges(map[string]ScoreRange{"HAMD17": {0, 52, "HAM-D 17-item total"}})})
	checkFatal(t, path, rep, err, ": line 2, column 6 (AVAL): ", []string{"outside the range of HAMD17, 0 to 52 (HAM-D 17-item total)"})
	if _, ok := ScoreRanges["HAMD17"]; ok {
		t.Error("WithScoreRanges modified ScoreRanges")
	}
}

func TestWithScoreRangesPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for Min > Max")
		}
	}()
	WithScoreRanges(map[string]ScoreRange{"X": {Min: 3, Max: 1}})
}

// TestTooManyColumns checks the documented column limit.
func TestTooManyColumns(t *testing.T) {
	var b strings.Builder
	b.WriteString("STUDYID,USUBJID,TRT01P")
	for i := range MaxColumns {
		b.WriteString(",C" + itoa(i))
	}
	path := filepath.Join(t.TempDir(), "adsl.csv")
	if err := os.WriteFile(path, []byte(b.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rep, err := ReadADSLWith(path, Options{})
	checkFatal(t, path, rep, err, ": line 1: ", []string{"32770 columns, more than the 32767 allowed"})
}
