package adam

import (
	"math"
	"reflect"
	"testing"
)

const adceHeader = "STUDYID,USUBJID,ADY,CETERM\n"

// TestReadADCEFatal checks every fatal kind of ADCE problem, as
// TestReadADSLFatal: the message names the file, the line and the column,
// and the counts reconcile, with both readers.
func TestReadADCEFatal(t *testing.T) {
	subjects := map[string]bool{"1": true, "2": true}
	for _, test := range []struct {
		name    string
		content string
		where   string
		want    []string
	}{
		{"empty file", "", ": line 1: ", []string{"the file is empty"}},
		{"missing CETERM", "STUDYID,USUBJID,ADY\nS1,1,3\n", ": line 1, column CETERM (absent): ", []string{"required column CETERM is missing", "ADCE"}},
		{"missing ADY", "STUDYID,USUBJID,CETERM\nS1,1,HOSPITALIZATION\n", ": line 1, column ADY (absent): ", []string{"required column ADY is missing"}},
		{"missing USUBJID", "STUDYID,ADY,CETERM\nS1,3,HOSPITALIZATION\n", ": line 1, column USUBJID (absent): ", []string{"required column USUBJID is missing"}},
		{"non-numeric ADY", adceHeader + "S1,1,3,HOSPITALIZATION\nS1,2,day 9,HOSPITALIZATION\n", ": line 3, column 3 (ADY): ", []string{`ADY "day 9" is not a finite number`, "study day of the event"}},
		{"empty ADY", adceHeader + "S1,1,,HOSPITALIZATION\n", ": line 2, column 3 (ADY): ", []string{`ADY "" is not a finite number`}},
		{"NaN ADY", adceHeader + "S1,1,NaN,HOSPITALIZATION\n", ": line 2, column 3 (ADY): ", []string{"not a finite number"}},
		{"infinite ADY", adceHeader + "S1,1,Inf,HOSPITALIZATION\n", ": line 2, column 3 (ADY): ", []string{"not a finite number"}},
		{"empty CETERM", adceHeader + "S1,1,3,\n", ": line 2, column 4 (CETERM): ", []string{"CETERM is empty", "HOSPITALIZATION"}},
		{"subject not in ADSL", adceHeader + "S1,1,3,HOSPITALIZATION\nS1,7,4,HOSPITALIZATION\n", ": line 3, column 2 (USUBJID): ", []string{"subject 7 is not in ADSL"}},
		{"empty USUBJID", adceHeader + "S1,,3,HOSPITALIZATION\n", ": line 2, column 2 (USUBJID): ", []string{"USUBJID is empty"}},
		{"other study", adceHeader + "S2,1,3,HOSPITALIZATION\n", ": line 2, column 1 (STUDYID): ", []string{"another study"}},
		{"empty STUDYID", adceHeader + ",1,3,HOSPITALIZATION\n", ": line 2, column 1 (STUDYID): ", []string{"STUDYID is empty"}},
		{"too many fields", adceHeader + "S1,1,3,HOSPITALIZATION,x\n", ": line 2: ", []string{"5 fields but the header has 4"}},
		{"too few fields", adceHeader + "S1,1,3\n", ": line 2, column 4 (CETERM): ", []string{"3 fields but the header has 4"}},
		{"bare quote", adceHeader + "S1,1,3,HOSPITAL\"IZATION\nS1,2,x,HOSPITALIZATION\n", ": line 2, column 4 (CETERM): ", []string{"malformed CSV", "and 1 more problems"}},
	} {
		for _, reader := range []Reader{ReaderGota, ReaderStream} {
			t.Run(test.name+"/"+string(reader), func(t *testing.T) {
				path := writeFile(t, test.content)
				_, rep, err := readADCE(path, testStudy(t), subjects, reader)
				checkFatal(t, path, rep, err, test.where, test.want)
			})
		}
	}
}

// TestReadADCE checks accepted ADCE files: a header alone is valid (no
// event occurred), values are trimmed, extra columns are allowed, an
// all-empty row is rejected non-fatally, and fractional or negative days
// are kept.
func TestReadADCE(t *testing.T) {
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		t.Run(string(reader), func(t *testing.T) {
			e, rep, err := readADCE(writeFile(t, adceHeader), testStudy(t), nil, reader)
			if err != nil || e == nil || e.Len() != 0 || rep.RowsRead != 0 || rep.SHA256 == "" {
				t.Errorf("header alone: %v %+v %+v", err, e, rep)
			}
			path := writeFile(t, "STUDYID,USUBJID,ADY,CETERM,CESEV\nS1, 2 ,18.5, HOSPITALIZATION ,SEVERE\n,,,,\nS1,1,-0.5,SUICIDE_ATTEMPT,\n")
			e, rep, err = readADCE(path, testStudy(t), map[string]bool{"1": true, "2": true}, reader)
			if err != nil {
				t.Fatal(err)
			}
			if rep.RowsRead != 3 || rep.Accepted != 2 || rep.Rejected != 1 || rep.Problems[0].Line != 3 || rep.Problems[0].Fatal {
				t.Errorf("report %+v", rep)
			}
			want := &ADCE{StudyID: []string{"S1", "S1"}, USUBJID: []string{"2", "1"}, CETERM: []string{"HOSPITALIZATION", "SUICIDE_ATTEMPT"}, ADY: []float64{18.5, -0.5}, Line: []int{2, 4}}
			if !reflect.DeepEqual(e, want) {
				t.Errorf("got %+v, want %+v", e, want)
			}
		})
	}
}

// TestReadADSLTyped checks the typed columns RANDDY, EOSDY, RESCDY (NaN
// when empty or absent) and DCSREAS, and Listed: the subjects of rows
// rejected for another column are still listed.
func TestReadADSLTyped(t *testing.T) {
	path := writeFile(t, "STUDYID,USUBJID,TRT01P,RANDDY,EOSDY,DCSREAS\nS1,1,KET,2,28,\nS1,2,MID,, 10 , ADVERSE EVENT \nS1,3,PBO,1,1,\n")
	for _, reader := range []Reader{ReaderGota, ReaderStream} {
		a, _, err := readADSL(path, testStudy(t), reader)
		if err == nil {
			t.Fatalf("%s: no error for the unknown arm", reader)
		}
		nan := math.NaN()
		same := func(x, y []float64) bool {
			if len(x) != len(y) {
				return false
			}
			for i := range x {
				if x[i] != y[i] && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
					return false
				}
			}
			return true
		}
		if !same(a.RANDDY, []float64{2, nan}) || !same(a.EOSDY, []float64{28, 10}) || !same(a.RESCDY, []float64{nan, nan}) || !reflect.DeepEqual(a.DCSREAS, []string{"", "ADVERSE EVENT"}) {
			t.Errorf("%s: RANDDY %v EOSDY %v RESCDY %v DCSREAS %q", reader, a.RANDDY, a.EOSDY, a.RESCDY, a.DCSREAS)
		}
		if !reflect.DeepEqual(a.Rejected, map[string]int{"3": 4}) || !reflect.DeepEqual(a.Listed(), map[string]bool{"1": true, "2": true, "3": true}) || len(a.Subjects()) != 2 {
			t.Errorf("%s: Rejected %v Listed %v", reader, a.Rejected, a.Listed())
		}
	}
}
