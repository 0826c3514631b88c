package derive

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// CovariateColumns are the ADSL columns copied to every ADTTE row when
// adsl.csv has them.
var CovariateColumns = []string{"AGE", "SEX", "STRATUM"}

// MaxListedProblems is how many fatal problems a Load error lists, one per
// line, after the first.
const MaxListedProblems = 10

// Load reads adsl.csv, adqs.csv and, when present, adce.csv from the study
// folder dir with the validating readers of package adam (ReadADSL,
// ReadADQS, ReadADCE), as the ingest stage does, and converts them to the
// derivation's input. Data.HasADCE says whether adce.csv was there; a header
// alone means that no qualifying event occurred.
//
// Every file is read to the end and checked against the study (STUDYID,
// arms) and against the subjects of adsl.csv, so the error names every fatal
// problem of every file (the first MaxListedProblems+1 in full): each as
// "FILE: line L, column N (NAME): reason and fix", FILE being the path as
// opened (dir joined with the file name); the error wraps adam.ErrInvalid.
// Rows rejected non-fatally (all fields empty) are left out, as ingest
// leaves them out. A row with an empty AVAL in adqs.csv is a missed
// assessment: ingest rejects it non-fatally, and here it is kept with Value
// NaN, in file order among the others, so that the plan's `missing:` rule
// can see it. Data.ADQSFile and Data.ADCEFile are set to the paths.
//
// It panics if s is nil.
func Load(dir string, s *study.Study) (*Data, error) { return LoadEncoded(dir, s, adam.UTF8) }

// LoadEncoded is Load for files in the text encoding enc (adam.UTF8 or
// adam.Latin1).
func LoadEncoded(dir string, s *study.Study, enc adam.Encoding) (*Data, error) {
	if s == nil {
		panic("derive: Load called with a nil study")
	}
	adslPath, adqsPath, adcePath := filepath.Join(dir, "adsl.csv"), filepath.Join(dir, "adqs.csv"), filepath.Join(dir, "adce.csv")
	d := &Data{StudyID: s.ID, ADQSFile: adqsPath, ADCEFile: adcePath, ADSLFile: adslPath, DiscReasonColumn: headerColumn(adslPath, "DCSREAS")}
	var errs errorList
	var subjects map[string]bool

	adsl, rep, err := adam.ReadADSLWith(adslPath, adam.Options{Study: s, Encoding: enc})
	errs.add(rep, err)
	if adsl != nil {
		subjects = adsl.Listed()
		d.CovariateNames, d.Subjects = adslSubjects(adsl)
	}

	adqs, rep, err := adam.ReadADQSWith(adqsPath, adam.Options{Study: s, Subjects: subjects, Encoding: enc})
	errs.add(rep, err)
	if adqs != nil {
		d.Assessments = assessments(adqs)
	}

	switch _, err := os.Stat(adcePath); {
	case err == nil:
		d.HasADCE = true
		adce, rep, err := adam.ReadADCEWith(adcePath, adam.Options{Study: s, Subjects: subjects, Encoding: enc})
		errs.add(rep, err)
		if adce != nil {
			d.Events = make([]ClinicalEvent, adce.Len())
			for i := range d.Events {
				d.Events[i] = ClinicalEvent{USUBJID: adce.USUBJID[i], Term: adce.CETERM[i], Day: adce.ADY[i], Line: adce.Line[i]}
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		errs.add(nil, fmt.Errorf("could not open data file: %w", err))
	}

	if err := errs.err(); err != nil {
		return nil, err
	}
	return d, nil
}

// headerColumn returns the 1-based column of name in the header of the CSV
// file at path, or 0 when the file cannot be read or has no such column
// (the readers of package adam report those problems).
func headerColumn(path, name string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return 0
	}
	for i, h := range head {
		if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == name {
			return i + 1
		}
	}
	return 0
}

// adslSubjects converts the accepted ADSL rows.
func adslSubjects(a *adam.ADSL) (covariates []string, subjects []Subject) {
	for _, name := range CovariateColumns {
		if _, ok := a.Extra[name]; ok {
			covariates = append(covariates, name)
		}
	}
	subjects = make([]Subject, a.Len())
	for i := range subjects {
		sub := Subject{USUBJID: a.USUBJID[i], Arm: a.TRT01P[i], RandDay: a.RANDDY[i], EndDay: a.EOSDY[i], RescueDay: a.RESCDY[i], DiscReason: a.DCSREAS[i], Line: a.Line[i]}
		for _, name := range covariates {
			sub.Covariates = append(sub.Covariates, a.Extra[name][i])
		}
		subjects[i] = sub
	}
	return covariates, subjects
}

// assessments merges the scores and the missed assessments of q in file
// (line) order.
func assessments(q *adam.ADQS) []Assessment {
	m := &q.Missed
	out := make([]Assessment, 0, q.Len()+len(m.Line))
	i, j := 0, 0
	for i < q.Len() || j < len(m.Line) {
		if j == len(m.Line) || (i < q.Len() && q.Line[i] < m.Line[j]) {
			out = append(out, Assessment{USUBJID: q.USUBJID[i], Param: q.PARAMCD[i], Visit: q.AVISIT[i], Day: q.ADY[i], Value: q.AVAL[i], Line: q.Line[i]})
			i++
			continue
		}
		out = append(out, Assessment{USUBJID: m.USUBJID[j], Param: m.PARAMCD[j], Visit: m.AVISIT[j], Day: m.ADY[j], Value: math.NaN(), Line: m.Line[j]})
		j++
	}
	return out
}

// errorList gathers the errors of the files read by Load.
type errorList struct {
	fatal []adam.Problem // fatal problems of data rows, in file then line order
	other []error        // errors without rows: unreadable file, header, empty file
	// fatalAt is the number of other errors before the first file with
	// fatal problems: the errors are given in the order of the files.
	fatalAt int
}

// add records the outcome of reading one file.
func (l *errorList) add(rep *adam.Report, err error) {
	if err == nil {
		return
	}
	n := len(l.fatal)
	if rep != nil {
		for _, p := range rep.Problems {
			if p.Fatal {
				l.fatal = append(l.fatal, p)
			}
		}
	}
	switch {
	case len(l.fatal) == n:
		l.other = append(l.other, err)
	case n == 0:
		l.fatalAt = len(l.other)
	}
}

// err returns nil or one error: the file-level errors, then the first
// fatal row problem, the count of the others and the next
// MaxListedProblems, one per line.
func (l *errorList) err() error {
	errs := l.other
	if len(l.fatal) > 0 {
		var b strings.Builder
		b.WriteString(l.fatal[0].Error())
		rest := l.fatal[1:]
		switch {
		case len(rest) == 0:
		case len(rest) <= MaxListedProblems:
			fmt.Fprintf(&b, " (and %d more %s, listed below)", len(rest), plural(len(rest), "problem"))
		default:
			fmt.Fprintf(&b, " (and %d more problems; the next %d are listed below: fix them and run derive again for the rest)", len(rest), MaxListedProblems)
			rest = rest[:MaxListedProblems]
		}
		for _, p := range rest {
			b.WriteString("\n  ")
			b.WriteString(p.Error())
		}
		errs = slices.Insert(slices.Clone(errs), l.fatalAt, error(fmt.Errorf("%w: %s", adam.ErrInvalid, b.String())))
	}
	return errors.Join(errs...)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
