package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ketcurves/ketcurves/pipeline/report"
)

// payload is put into an arm label, the study title and every PARAM of the
// adversarial report: if any of it were markup, window.__pwned would be set,
// a script element would exist or the style sheet would end early.
const payload = `<script>window.__pwned=1</script></style><img src=x onerror="window.__pwned=2">{{.}}`

// writeAdversarial renders the report of the first study of reportsDir
// that has results (with its figures when they load) into dir, with the
// payload in labels, and returns the arm label that must show as text.
func writeAdversarial(reportsDir, dir string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(reportsDir, "*", "tables", "results.json"))
	if err != nil {
		return "", err
	}
	if len(matches) == 0 {
		return "", fmt.Errorf("%w in %s/*/tables/results.json: run make first", errNoStudy, reportsDir)
	}
	results := matches[0]
	study := filepath.Dir(filepath.Dir(results))
	in, err := report.Load(results, filepath.Join(study, "figures"), "", dir)
	if err != nil {
		// Figures that do not match (a stage rerun): the report without
		// them still exercises every label.
		if in, err = report.Load(results, "", "", dir); err != nil {
			return "", err
		}
	}
	res := *in.Results
	st := res.Study
	if len(st.Arms) == 0 {
		return "", fmt.Errorf("%s has no arms", results)
	}
	st.Arms = append(st.Arms[:0:0], st.Arms...)
	label := "Arm " + payload
	st.Arms[0].Label = label
	st.Title = payload
	res.Study = st
	res.Endpoints = append(res.Endpoints[:0:0], res.Endpoints...)
	for i := range res.Endpoints {
		res.Endpoints[i].Label = payload
	}
	in.Results = &res
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if _, err := report.Write(dir, in); err != nil {
		return "", err
	}
	return label, nil
}
