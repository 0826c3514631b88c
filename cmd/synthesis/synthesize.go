package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/synthesis"
)

func synthesize(paths []string, root, out string, stdout io.Writer) error {
	var inputs []synthesis.Input
	for _, p := range paths {
		in, err := readStudy(p, root)
		if err != nil {
			return err
		}
		inputs = append(inputs, in)
	}
	s, err := synthesis.Build(inputs)
	if err != nil {
		return err
	}
	figs, err := synthesis.Figures(s)
	if err != nil {
		return err
	}
	doc := s.Document(figs)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("could not create the output folder: %w", err)
	}
	files := map[string][]byte{}
	for _, f := range figs {
		for format, b := range f.Files {
			files[f.Name+"."+format] = b
		}
		files[f.Name+".csv"] = f.CSV
	}
	var md, html bytes.Buffer
	if err := synthesis.WriteMarkdown(&md, doc); err != nil {
		return err
	}
	if err := synthesis.WriteHTML(&html, doc); err != nil {
		return err
	}
	files["synthesis.md"], files["synthesis.html"] = md.Bytes(), html.Bytes()
	files["milestones.csv"], files["pooled.csv"] = synthesis.MilestonesCSV(s), synthesis.PooledCSV(s)
	for name, b := range files {
		if err := atomicfile.Write(filepath.Join(out, name), func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return fmt.Errorf("could not write %s: %w", name, err)
		}
	}
	fmt.Fprintf(stdout, "synthesis: %d studies, %d contrasts, %d figures -> %s\n", len(s.Studies), len(s.Contrasts), len(figs), filepath.Join(out, "synthesis.html"))
	return nil
}

// readStudy decodes a results.json and, when its input file is there with
// the recorded SHA-256, the ADTTE rows.
func readStudy(path, root string) (synthesis.Input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return synthesis.Input{}, fmt.Errorf("could not read results: %w", err)
	}
	res, err := schema.DecodeResults(path, data)
	if err != nil {
		return synthesis.Input{}, err
	}
	in := synthesis.Input{Results: res}
	if !strings.EqualFold(filepath.Ext(res.Input.File), ".csv") {
		return in, nil // XPT and Dataset-JSON inputs are not read here: no rows
	}
	adtte, err := os.ReadFile(filepath.Join(root, res.Input.File))
	if err != nil {
		return in, nil // no rows: the study is left out of the one-stage analysis, with a note
	}
	sum := sha256.Sum256(adtte)
	if hex.EncodeToString(sum[:]) != res.Input.SHA256 {
		return in, nil
	}
	rows, err := readADTTE(res.Input.File, adtte)
	if err != nil {
		return synthesis.Input{}, err
	}
	in.Rows = rows
	return in, nil
}

// readADTTE reads the PARAMCD, TRTP, AVAL and CNSR columns of an ADTTE CSV.
func readADTTE(name string, data []byte) ([]synthesis.Row, error) {
	r := csv.NewReader(bytes.NewReader(data))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("could not read ADTTE %s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("ADTTE %s is empty", name)
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	for _, c := range []string{"PARAMCD", "TRTP", "AVAL", "CNSR"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("ADTTE %s has no %s column", name, c)
		}
	}
	rows := []synthesis.Row{}
	for i, rec := range recs[1:] {
		aval, err := strconv.ParseFloat(rec[col["AVAL"]], 64)
		if err != nil {
			return nil, fmt.Errorf("ADTTE %s line %d: AVAL %q is not a number", name, i+2, rec[col["AVAL"]])
		}
		cnsr := rec[col["CNSR"]]
		if cnsr != "0" && cnsr != "1" {
			return nil, fmt.Errorf("ADTTE %s line %d: CNSR %q is not 0 or 1", name, i+2, cnsr)
		}
		rows = append(rows, synthesis.Row{Paramcd: rec[col["PARAMCD"]], Arm: rec[col["TRTP"]], Time: aval, Event: cnsr == "0"})
	}
	return rows, nil
}
