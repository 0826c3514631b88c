package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/fit"
	"github.com/ketcurves/ketcurves/pipeline/study"
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

// planStudy is the BPD pilot's plan with the km method only; figures is
// appended.
const planStudy = `id: FINEBERG2023
synthetic: true
time_unit: days
arms:
  - {name: KETAMINE, label: "IV ketamine 0.5 mg/kg", class: ketamine}
  - {name: MIDAZOLAM, label: "IV midazolam 0.04 mg/kg", class: active-control}
control: MIDAZOLAM
endpoints:
  - {paramcd: TTSIRES, label: "Time to resolution of suicidal ideation", kind: si-resolution, time_scale: log}
  - {paramcd: TTRESP, label: "Time to response", kind: response, time_scale: log}
analysis:
  methods: [km]
`

// fitStudy runs the fit stage (package fit, as cmd/fit does) on the BPD
// pilot's ADTTE with the plan src and returns the path of its results.json.
func fitStudy(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := study.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tte, rep, err := adam.ReadADTTE(filepath.Join(bpd, "adtte.csv"), adam.Options{Study: s})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fit.Analyze(tte, rep, fit.Options{Study: s, Program: "ketcurves fit"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fit.WriteOutputs(filepath.Join(dir, "tables"), res); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "tables", "results.json")
}

// TestPlanSubjectFigureSettings checks that the study.yaml figures block,
// through the fit stage's results.json, sets the axes of the figure it
// names, and only of that figure: MADRS-trajectory's ticks and y label,
// the swimmer plot's range; MADRS-spaghetti, not named, is drawn as
// without the plan. A plot flag wins over the plan, and a planned figure
// that is not drawn is reported on stderr.
func TestPlanSubjectFigureSettings(t *testing.T) {
	draw := func(t *testing.T, results string, flags ...string) (map[string][]byte, string) {
		t.Helper()
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		args := append([]string{"-results", results, "-out", dir, "-formats", "svg", "-figures", "km",
			"-adqs", filepath.Join(bpd, "adqs.csv"), "-adsl", filepath.Join(bpd, "adsl.csv"), "-adtte", filepath.Join(bpd, "adtte.csv")}, flags...)
		if err := run(args, &stdout, &stderr); err != nil {
			t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
		}
		files := map[string][]byte{}
		for _, base := range []string{"MADRS-trajectory", "MADRS-spaghetti", "SSI-trajectory", "swimmer"} {
			b, err := os.ReadFile(filepath.Join(dir, base+".svg"))
			if err != nil {
				t.Fatal(err)
			}
			files[base] = b
		}
		return files, stderr.String()
	}
	const label = "MADRS total score (plan)"
	plain, _ := draw(t, fitStudy(t, planStudy))
	results := fitStudy(t, planStudy+`figures:
  MADRS-trajectory: {x_ticks: [0.5, 3, 14, 28], y_label: "`+label+`"}
  swimmer: {x_range: [0, 14]}
  BSL-trajectory: {y_label: "not drawn"}
`)
	planned, stderr := draw(t, results)

	// The plan's ticks replace the automatic ones (a log axis: 1 h, 4 h, day
	// 1, 7, 28 without the plan) and its label the default one.
	ticks := []string{">12 h<", ">3 d<", ">14 d<"}
	for _, tk := range ticks {
		if !bytes.Contains(planned["MADRS-trajectory"], []byte(tk)) || bytes.Contains(plain["MADRS-trajectory"], []byte(tk)) {
			t.Errorf("MADRS-trajectory.svg: tick %s not drawn with the plan, or drawn without it", tk)
		}
	}
	if !bytes.Contains(planned["MADRS-trajectory"], []byte(label)) || bytes.Contains(planned["MADRS-trajectory"], []byte("MADRS score")) {
		t.Error("MADRS-trajectory.svg: the plan's y_label is not drawn in place of the default")
	}
	if bytes.Equal(planned["swimmer"], plain["swimmer"]) {
		t.Error("swimmer.svg: the plan's x_range [0, 14] changes nothing")
	}
	for _, base := range []string{"MADRS-spaghetti", "SSI-trajectory"} {
		if !bytes.Equal(planned[base], plain[base]) {
			t.Errorf("%s.svg changed by settings of other figures", base)
		}
	}
	if !strings.Contains(stderr, "study.yaml figures: no BSL-trajectory figure is drawn") {
		t.Errorf("stderr %q does not report the planned figure that is not drawn", stderr)
	}

	// Flags win over the plan.
	flagged, _ := draw(t, results, "-y-label", "Flag label", "-x-ticks", "1,7")
	if !bytes.Contains(flagged["MADRS-trajectory"], []byte("Flag label")) || bytes.Contains(flagged["MADRS-trajectory"], []byte(label)) || bytes.Contains(flagged["MADRS-trajectory"], []byte(">14 d<")) {
		t.Error("MADRS-trajectory.svg: the flags do not win over the plan")
	}
}
