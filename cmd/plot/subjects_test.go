package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var bpd = filepath.Join("..", "..", "pipeline", "figure", "testdata", "bpd")

// TestRunSubjectFigures draws the trajectory, spaghetti and swimmer
// figures from the BPD pilot's adqs.csv, adsl.csv and ADTTE (22 subjects)
// beside the example study's results, and checks the files and figures.json.
func TestRunSubjectFigures(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-results", exampleResults, "-out", dir, "-formats", "svg", "-figures", "km",
		"-adqs", filepath.Join(bpd, "adqs.csv"), "-adsl", filepath.Join(bpd, "adsl.csv"), "-adtte", filepath.Join(bpd, "adtte.csv"),
		"-x-ticks", "0.1667,1,7,28", "-y-label", "Cumulative response", "-annotate=false"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
	}
	for _, base := range []string{"MADRS-trajectory", "MADRS-spaghetti", "SSI-trajectory", "SSI-spaghetti", "swimmer"} {
		for _, ext := range []string{".svg", ".csv"} {
			if _, err := os.Stat(filepath.Join(dir, base+ext)); err != nil {
				t.Error(err)
			}
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "TTRESP.svg"))
	if !bytes.Contains(svg, []byte("Cumulative response")) || bytes.Contains(svg, []byte("Log-rank p")) {
		t.Error("TTRESP.svg: -y-label not drawn or -annotate=false ignored")
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "TTRESP.csv"))
	if !bytes.Contains(csv, []byte("\nat_risk,KETAMINE,1,7,,")) || bytes.Contains(csv, []byte("\nat_risk,KETAMINE,1,2,,")) {
		t.Error("TTRESP.csv: numbers at risk not at the -x-ticks")
	}
	var m struct {
		Figures []struct{ Paramcd, Kind string } `json:"figures"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, f := range m.Figures {
		kinds = append(kinds, f.Kind)
	}
	if got := strings.Join(kinds, " "); !strings.Contains(got, "trajectory spaghetti") || !strings.HasSuffix(got, "swimmer") {
		t.Errorf("figures.json kinds %q", got)
	}

	// Beyond -small-study: no spaghetti or swimmer, said on stderr.
	stderr.Reset()
	args[3] = t.TempDir()
	if err := run(append(args, "-small-study", "10"), &bytes.Buffer{}, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "no swimmer plot: 22 subjects, more than -small-study 10") || !strings.Contains(stderr.String(), "MADRS: no spaghetti figure") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestSubjectFlagErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-adqs", filepath.Join(bpd, "adqs.csv")}, "-adqs needs the subjects' arms"},
		{[]string{"-x-range", "5,1"}, "-x-range \"5,1\""},
		{[]string{"-x-ticks", "7,1"}, "increasing order"},
		{[]string{"-small-study", "0"}, "-small-study 0"},
	} {
		err := run(append([]string{"-results", exampleResults, "-out", dir}, tc.args...), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}
