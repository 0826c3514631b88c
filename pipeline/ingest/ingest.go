package ingest

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/csvsafe"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// SchemaVersion identifies the layout of ingest.json (schema.IngestSchema).
const SchemaVersion = schema.IngestSchema

// Summary is the content of ingest.json (schema.Ingest: the format is
// declared once, for this writer and the report's reader).
type Summary = schema.Ingest

// Count is one endpoint and arm of Summary.Counts.
type Count = schema.IngestCount

// Input names the files of one study.
type Input struct {
	StudyFile string // study.yaml
	ADSL      string // optional: empty if absent
	ADQS      string // optional: empty if absent
	ADCE      string // optional: empty if absent
	ADTTE     string // the ADTTE to validate: shipped or derived
	// Encoding is the text encoding of the CSV and SAS XPORT files:
	// adam.UTF8 (the zero value) or adam.Latin1 (Dataset-JSON is UTF-8).
	Encoding adam.Encoding
}

// FindInput locates the files of the study folder dir. adtte overrides the
// ADTTE file (e.g. a derived one); otherwise dir/adtte.csv is used.
// Optional files that do not exist are left empty.
func FindInput(dir, adtte string) (Input, error) {
	in := Input{StudyFile: filepath.Join(dir, "study.yaml"), ADTTE: adtte}
	if _, err := os.Stat(in.StudyFile); err != nil {
		return in, fmt.Errorf("%s is not a study folder: %s is missing (see datasets/README.md)", dir, in.StudyFile)
	}
	exists := func(name string) string {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	in.ADSL, in.ADQS, in.ADCE = exists("adsl.csv"), exists("adqs.csv"), exists("adce.csv")
	if in.ADTTE == "" {
		in.ADTTE = exists("adtte.csv")
	}
	if in.ADTTE == "" {
		return in, fmt.Errorf("%s has no adtte.csv: ship one, or derive it from adsl.csv and adqs.csv with cmd/derive and pass it with -adtte", dir)
	}
	return in, nil
}

// Run validates the study's files (adsl.csv, adqs.csv and adce.csv when
// present, then the ADTTE file; in that order in Summary.Files) and returns
// the summary and every rejected row. The returned error joins the fatal problems of all files;
// the summary is complete even then.
func Run(in Input) (*Summary, []adam.Problem, error) {
	data, err := os.ReadFile(in.StudyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("could not read study file: %w", err)
	}
	s, err := study.Parse(in.StudyFile, data)
	if err != nil {
		return nil, nil, err
	}
	hash := sha256.Sum256(data)
	sum := &Summary{Schema: SchemaVersion, Study: s.ID, Synthetic: s.Synthetic, StudyFile: in.StudyFile, StudySHA256: hex.EncodeToString(hash[:]), RejectsFile: "rejects.csv"}
	var problems []adam.Problem
	var errs []error
	add := func(rep *adam.Report, err error) {
		if rep != nil {
			sum.Files = append(sum.Files, schema.IngestFile{File: rep.File, SHA256: rep.SHA256, Reader: rep.Reader, RowsRead: rep.RowsRead, Accepted: rep.Accepted, Rejected: rep.Rejected})
			sum.RowsRead += rep.RowsRead
			sum.Accepted += rep.Accepted
			sum.Rejected += rep.Rejected
			problems = append(problems, rep.Problems...)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	var subjects map[string]bool
	if in.ADSL != "" {
		adsl, rep, err := adam.ReadADSLWith(in.ADSL, adam.Options{Study: s, Encoding: in.Encoding})
		add(rep, err)
		if adsl != nil {
			subjects = adsl.Listed()
		}
	}
	if in.ADQS != "" {
		_, rep, err := adam.ReadADQSWith(in.ADQS, adam.Options{Study: s, Subjects: subjects, Encoding: in.Encoding})
		add(rep, err)
	}
	if in.ADCE != "" {
		_, rep, err := adam.ReadADCEWith(in.ADCE, adam.Options{Study: s, Subjects: subjects, Encoding: in.Encoding})
		add(rep, err)
	}
	tte, rep, err := adam.ReadADTTE(in.ADTTE, adam.Options{Study: s, Subjects: subjects, Encoding: in.Encoding})
	add(rep, err)
	if tte != nil {
		sum.Counts = count(tte, s)
	}
	return sum, problems, errors.Join(errs...)
}

func count(t *adam.ADTTE, s *study.Study) []Count {
	type key struct{ param, arm string }
	m := map[key]*Count{}
	for i := range t.AVAL {
		k := key{t.PARAMCD.At(i), t.TRTP.At(i)}
		c := m[k]
		if c == nil {
			c = &Count{Paramcd: k.param, Arm: k.arm}
			m[k] = c
		}
		c.N++
		if t.Event[i] {
			c.Events++
		} else {
			c.Censored++
		}
	}
	// Order: endpoints and arms as study.yaml lists them.
	var out []Count
	for _, ep := range s.Endpoints {
		for _, arm := range s.Arms {
			if c := m[key{ep.Paramcd, arm.Name}]; c != nil {
				out = append(out, *c)
			}
		}
	}
	return out
}

// WriteOptions are the choices of the CSV writer of rejects.csv.
type WriteOptions struct {
	// RawCSV writes every text cell as it is (flag -raw-csv). By default
	// the text cells (file, column, value, reason) follow the policy of
	// package csvsafe: a cell starting with = + - @ TAB or CR gets a
	// single quote in front, so that a spreadsheet shows it as text; a
	// value that is a plain number (-5, -0.5) never does, nor do the
	// line and fatal columns.
	RawCSV bool
}

// WriteOutputs writes dir/ingest.json and dir/rejects.csv atomically.
func WriteOutputs(dir string, sum *Summary, problems []adam.Problem, opt WriteOptions) error {
	if err := atomicfile.Write(filepath.Join(dir, "ingest.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, sum.RejectsFile), func(w io.Writer) error {
		return WriteRejects(w, problems, opt)
	})
}

// rejectsNumeric says which columns of rejects.csv are numbers.
var rejectsNumeric = []bool{false, true, false, false, false, true}

// WriteRejects writes the rejected rows as CSV with the header
// file,line,column,value,reason,fatal, text cells escaped as opt says.
func WriteRejects(w io.Writer, problems []adam.Problem, opt WriteOptions) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"file", "line", "column", "value", "reason", "fatal"})
	for _, p := range problems {
		rec := []string{p.File, strconv.Itoa(p.Line), p.Column, p.Value, p.Reason, strconv.FormatBool(p.Fatal)}
		cw.Write(csvsafe.Row(rec, rejectsNumeric, opt.RawCSV))
	}
	cw.Flush()
	return cw.Error()
}
