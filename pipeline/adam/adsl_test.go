package adam

import (
	"reflect"
	"testing"
)

const adslHeader = "STUDYID,USUBJID,TRT01P,AGE,SEX\n"

// TestReadADSLFatal checks every fatal kind of ADSL problem: the message
// names the file, the line and the column (formats in doc.go), and the
// counts reconcile, with both readers.
func TestReadADSLFatal(t *testing.T) {
	for _, test := range []struct {
		name    string
		content string
		where   string
		want    []string
	}{
		{"empty file", "", ": line 1: ", []string{"the file is empty"}},
		{"header only", adslHeader, ": line 1: ", []string{"header but no data rows"}},
		{"missing TRT01P", "STUDYID,USUBJID,AGE\nS1,1,30\n", ": line 1, column TRT01P (absent): ", []string{"required column TRT01P is missing", "ADSL"}},
		{"missing USUBJID", "STUDYID,TRT01P\nS1,KET\n", ": line 1, column USUBJID (absent): ", []string{"required column USUBJID is missing"}},
		{"duplicate column", "STUDYID,USUBJID,TRT01P,AGE,AGE\nS1,1,KET,30,31\n", ": line 1, column 5: ", []string{"AGE appears twice"}},
		{"unknown TRT01P", adslHeader + "S1,1,KET,30,F\nS1,2,PBO,40,M\n", ": line 3, column 3 (TRT01P): ", []string{`unknown arm "PBO"`, "KET, MID"}},
		{"empty TRT01P", adslHeader + "S1,1,,30,F\n", ": line 2, column 3 (TRT01P): ", []string{"TRT01P is empty"}},
		{"empty USUBJID", adslHeader + "S1, ,KET,30,F\n", ": line 2, column 2 (USUBJID): ", []string{"USUBJID is empty"}},
		{"duplicate subject", adslHeader + "S1,1,KET,30,F\nS1,2,MID,40,M\nS1,1,MID,30,F\n", ": line 4, column 2 (USUBJID): ", []string{"subject 1 already appears at line 2"}},
		{"other study", adslHeader + "S9,1,KET,30,F\n", ": line 2, column 1 (STUDYID): ", []string{"another study"}},
		{"non-numeric AGE", adslHeader + "S1,1,KET,thirty,F\n", ": line 2, column 4 (AGE): ", []string{`AGE "thirty" is not a finite number`}},
		{"infinite AGE", adslHeader + "S1,1,KET,Inf,F\n", ": line 2, column 4 (AGE): ", []string{"not a finite number"}},
		{"too few fields", adslHeader + "S1,1,KET,30\n", ": line 2, column 5 (SEX): ", []string{"4 fields but the header has 5"}},
		{"bare quote", adslHeader + "S1,1,KET,3\"0,F\nS1,2,MID,40,M\n", ": line 2, column 4 (AGE): ", []string{"malformed CSV", "character 11 of line 2"}},
	} {
		for _, reader := range []Reader{ReaderGota, ReaderStream} {
			t.Run(test.name+"/"+string(reader), func(t *testing.T) {
				path := writeFile(t, test.content)
				_, rep, err := readADSL(path, testStudy(t), reader)
				checkFatal(t, path, rep, err, test.where, test.want)
			})
		}
	}
}

// TestReadADSL checks an accepted ADSL: trimmed values, empty optional
// numbers, an all-empty row rejected non-fatally.
func TestReadADSL(t *testing.T) {
	path := writeFile(t, adslHeader+"S1, 1 ,KET,30,F\n,,,,\nS1,2,MID,,M\n")
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		a, rep, err := readADSL(path, testStudy(t), reader)
		if err != nil {
			t.Fatalf("%s: %v", reader, err)
		}
		if rep.RowsRead != 3 || rep.Accepted != 2 || rep.Rejected != 1 || rep.Problems[0].Line != 3 || rep.Problems[0].Fatal {
			t.Errorf("%s: report %+v", reader, rep)
		}
		if !reflect.DeepEqual(a.USUBJID, []string{"1", "2"}) || !reflect.DeepEqual(a.Extra["AGE"], []string{"30", ""}) {
			t.Errorf("%s: USUBJID %q AGE %q", reader, a.USUBJID, a.Extra["AGE"])
		}
		if v, ok := a.Float("AGE", 1); ok {
			t.Errorf("%s: empty AGE read as %v", reader, v)
		}
	}
}

const adqsHeader = "STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\n"

// TestReadADQSFatal checks every fatal kind of ADQS problem, as
// TestReadADSLFatal.
func TestReadADQSFatal(t *testing.T) {
	subjects := map[string]bool{"1": true, "2": true}
	for _, test := range []struct {
		name    string
		content string
		where   string
		want    []string
	}{
		{"empty file", "", ": line 1: ", []string{"the file is empty"}},
		{"header only", adqsHeader + "\n", ": line 1: ", []string{"header but no data rows"}},
		{"missing ADY", "STUDYID,USUBJID,PARAMCD,AVAL\nS1,1,MADRS,30\n", ": line 1, column ADY (absent): ", []string{"required column ADY is missing", "ADQS"}},
		{"missing AVAL", "STUDYID,USUBJID,PARAMCD,ADY\nS1,1,MADRS,0\n", ": line 1, column AVAL (absent): ", []string{"required column AVAL is missing"}},
		{"non-numeric ADY", adqsHeader + "S1,1,MADRS,BASELINE,0,30\nS1,1,MADRS,DAY1,day 1,20\n", ": line 3, column 5 (ADY): ", []string{`ADY "day 1" is not a finite number`}},
		{"empty ADY", adqsHeader + "S1,1,MADRS,BASELINE,,30\n", ": line 2, column 5 (ADY): ", []string{`ADY "" is not a finite number`}},
		{"NaN ADY", adqsHeader + "S1,1,MADRS,BASELINE,NaN,30\n", ": line 2, column 5 (ADY): ", []string{"not a finite number"}},
		{"non-numeric AVAL", adqsHeader + "S1,1,MADRS,BASELINE,0,NA\n", ": line 2, column 6 (AVAL): ", []string{`AVAL "NA" is not a finite number`}},
		{"infinite AVAL", adqsHeader + "S1,1,MADRS,BASELINE,0,-Inf\n", ": line 2, column 6 (AVAL): ", []string{"not a finite number"}},
		{"subject not in ADSL", adqsHeader + "S1,1,MADRS,BASELINE,0,30\nS1,7,MADRS,BASELINE,0,30\n", ": line 3, column 2 (USUBJID): ", []string{"subject 7 is not in ADSL"}},
		{"empty PARAMCD", adqsHeader + "S1,1,,BASELINE,0,30\n", ": line 2, column 3 (PARAMCD): ", []string{"PARAMCD is empty"}},
		{"other study", adqsHeader + "S2,1,MADRS,BASELINE,0,30\n", ": line 2, column 1 (STUDYID): ", []string{"another study"}},
		{"too many fields", adqsHeader + "S1,1,MADRS,BASELINE,0,30,x\n", ": line 2: ", []string{"7 fields but the header has 6"}},
		{"bare quote", adqsHeader + "S1,1,MADRS,BASE\"LINE,0,30\nS1,2,MADRS,BASELINE,0,x\n", ": line 2, column 4 (AVISIT): ", []string{"malformed CSV", "and 1 more problems"}},
	} {
		for _, reader := range []Reader{ReaderGota, ReaderStream} {
			t.Run(test.name+"/"+string(reader), func(t *testing.T) {
				path := writeFile(t, test.content)
				_, rep, err := readADQS(path, testStudy(t), subjects, reader)
				checkFatal(t, path, rep, err, test.where, test.want)
			})
		}
	}
}

// TestReadADQSMissedAssessment checks that an empty AVAL is a non-fatal
// rejection, kept in Missed, and every other row is kept.
func TestReadADQSMissedAssessment(t *testing.T) {
	path := writeFile(t, adqsHeader+"S1,1,MADRS,BASELINE,-1,34\nS1,1,MADRS,DAY1,1,\nS1,1,MADRS,DAY2,2,20\n")
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		q, rep, err := readADQS(path, testStudy(t), nil, reader)
		if err != nil {
			t.Fatalf("%s: %v", reader, err)
		}
		if rep.RowsRead != 3 || rep.Accepted != 2 || len(rep.Problems) != 1 || rep.Problems[0].Line != 3 || rep.Problems[0].Column != "AVAL" || rep.Problems[0].Index != 6 || rep.Problems[0].Fatal {
			t.Errorf("%s: report %+v", reader, rep)
		}
		if !reflect.DeepEqual(q.ADY, []float64{-1, 2}) || !reflect.DeepEqual(q.AVAL, []float64{34, 20}) {
			t.Errorf("%s: ADY %v AVAL %v", reader, q.ADY, q.AVAL)
		}
		want := MissedADQS{USUBJID: []string{"1"}, PARAMCD: []string{"MADRS"}, AVISIT: []string{"DAY1"}, ADY: []float64{1}, Line: []int{3}}
		if !reflect.DeepEqual(q.Missed, want) {
			t.Errorf("%s: Missed %+v, want %+v", reader, q.Missed, want)
		}
	}
}
