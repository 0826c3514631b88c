package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// fixture is the R-derived results.json of the figure package's tests.
var fixture = filepath.Join("..", "..", "pipeline", "figure", "testdata", "results.json")

func TestRunWritesFigures(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	// PNG at a low resolution to keep the test fast.
	args := []string{"-results", fixture, "-out", dir, "-dpi", "60", "-figures", "km"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
	}
	magic := map[string]string{".svg": "<?xml", ".png": "\x89PNG", ".pdf": "%PDF-", ".csv": "series,arm,segment,x,y,value\n"}
	for _, p := range []string{"RESP", "RELAPSE"} {
		for ext, prefix := range magic {
			b, err := os.ReadFile(filepath.Join(dir, p+ext))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte(prefix)) {
				t.Errorf("%s%s starts %q, want %q", p, ext, b[:min(len(b), 10)], prefix)
			}
		}
		if !strings.Contains(stdout.String(), p+": wrote ") {
			t.Errorf("stdout %q does not report %s", stdout.String(), p)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "RESP.csv"))
	for _, series := range []string{"\ncurve,KET,", "\nci_lower,SSRI,", "\nci_upper,KET,", "\ncensor_mark,SSRI,", "\nat_risk,KET,1,1,,9\n"} {
		if !bytes.Contains(csv, []byte(series)) {
			t.Errorf("RESP.csv has no %q", strings.TrimSpace(series))
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "RESP.svg"))
	for _, text := range []string{"Synthetic data — not patient data", "Ketamine (n = 24)", "Number at risk", "40 min", "95% confidence intervals (log-log transform, Greenwood variance)"} {
		if !bytes.Contains(svg, []byte(text)) {
			t.Errorf("RESP.svg does not show %q", text)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 9 {
		t.Errorf("%d files in the output directory, want 8 figure files and figures.json (no temporary files left)", len(entries))
	}
	if !strings.HasSuffix(stdout.String(), "wrote "+filepath.Join(dir, "figures.json")+"\n") {
		t.Errorf("stdout %q does not end by reporting figures.json", stdout.String())
	}

	// Same input, same bytes, whatever the number of cores: the renders
	// finish in another order on one core.
	dir2 := t.TempDir()
	args[3] = dir2
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b, _ := os.ReadFile(filepath.Join(dir2, e.Name()))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", e.Name())
		}
	}
}

// TestManifest checks figures.json against hashes recomputed here.
func TestManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figures")
	args := []string{"-results", fixture, "-out", dir, "-dpi", "60", "-formats", "svg,png", "-figures", "km"}
	if err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Schema        string `json:"schema"`
		ResultsFile   string `json:"results_file"`
		ResultsSHA256 string `json:"results_sha256"`
		Software      struct {
			Program   string            `json:"program"`
			GoVersion string            `json:"go_version"`
			Modules   map[string]string `json:"modules"`
		} `json:"software"`
		Files []struct {
			File   string `json:"file"`
			SHA256 string `json:"sha256"`
		} `json:"files"`
		Figures []struct {
			Paramcd string   `json:"paramcd"`
			Kind    string   `json:"kind"`
			Caption string   `json:"caption"`
			Files   []string `json:"files"`
		} `json:"figures"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("figures.json: %v", err)
	}
	hash := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])
	}
	if m.Schema != "ketcurves.figures/v1" {
		t.Errorf("schema %q", m.Schema)
	}
	abs, _ := filepath.Abs(fixture)
	absDir, _ := filepath.Abs(dir)
	if rel, _ := filepath.Rel(absDir, abs); m.ResultsFile != filepath.ToSlash(rel) {
		t.Errorf("results_file %q, want %q", m.ResultsFile, filepath.ToSlash(rel))
	}
	if want := hash(fixture); m.ResultsSHA256 != want {
		t.Errorf("results_sha256 %s, want %s", m.ResultsSHA256, want)
	}
	if m.Software.Program != "ketcurves plot" || m.Software.GoVersion != runtime.Version() {
		t.Errorf("software %q %q, want %q %q", m.Software.Program, m.Software.GoVersion, "ketcurves plot", runtime.Version())
	}
	if _, ok := debug.ReadBuildInfo(); ok && m.Software.Modules["gonum.org/v1/plot"] == "" {
		t.Errorf("modules %v lack gonum.org/v1/plot", m.Software.Modules)
	}
	// Every file written, sorted by name, and nothing else.
	want := []string{"RELAPSE.csv", "RELAPSE.png", "RELAPSE.svg", "RESP.csv", "RESP.png", "RESP.svg"}
	var got []string
	for _, f := range m.Files {
		got = append(got, f.File)
		if h := hash(filepath.Join(dir, f.File)); f.SHA256 != h {
			t.Errorf("%s: sha256 %s, want %s", f.File, f.SHA256, h)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	// One figure per endpoint (the fixture ran km only), with its caption
	// and files.
	if len(m.Figures) != 2 || m.Figures[0].Paramcd != "RESP" || m.Figures[0].Kind != "km" || !slices.Equal(m.Figures[0].Files, []string{"RESP.svg", "RESP.png", "RESP.csv"}) {
		t.Errorf("figures %+v, want RESP then RELAPSE km figures with svg, png and csv", m.Figures)
	}
	for _, f := range m.Figures {
		for _, w := range []string{"KET n = ", "events", "95% confidence intervals", "Synthetic data"} {
			if !strings.Contains(f.Caption, w) {
				t.Errorf("%s caption %q lacks %q", f.Paramcd, f.Caption, w)
			}
		}
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || bytes.Contains(data, []byte(absDir)) {
		t.Errorf("figures.json does not end in a newline or holds an absolute path:\n%s", data)
	}
}

func TestRunOptions(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-results", fixture, "-out", dir, "-formats", "svg", "-time-scale", "linear", "-width", "20cm", "-height", "4in", "-figures", "km"}
	if err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "RESP.png")); !os.IsNotExist(err) {
		t.Errorf("RESP.png written with -formats svg (stat: %v)", err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "RESP.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte(`width="20cm"`)) && !bytes.Contains(svg, []byte(`width="566.9`)) {
		t.Errorf("RESP.svg is not 20 cm wide: %q", svg[:min(len(svg), 300)])
	}
	if bytes.Contains(svg, []byte("40 min")) || !bytes.Contains(svg, []byte("Time (days)")) {
		t.Error("-time-scale linear did not give a linear axis in days")
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missing := filepath.Join(dir, "nope.json")
	broken := write("broken.json", "{\n  \"schema\": \"ketcurves.results/v1\",\n  \"endpoints\": [\n    {\"paramcd\": \"X\",,}\n  ]\n}\n")
	typed := write("typed.json", "{\"schema\": \"ketcurves.results/v1\",\n\"endpoints\": [{\"paramcd\": \"X\", \"km\": [{\"time\": \"soon\"}]}]}")
	schema := write("schema.json", `{"schema": "other/v9", "endpoints": []}`)
	empty := write("empty.json", `{"schema": "ketcurves.results/v1", "endpoints": []}`)
	slash := write("slash.json", `{"schema": "ketcurves.results/v1", "endpoints": [{"paramcd": "../X"}]}`)
	bad := write("bad.json", `{"schema": "ketcurves.results/v1", "endpoints": [{"paramcd": "X", "kind": "relapse", "km": [{"arm": "A", "time": 1, "surv": 1.5}]}]}`)
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  []string
	}{
		{"missing file", []string{"-results", missing, "-out", dir}, false, []string{missing, "no such file"}},
		{"invalid JSON", []string{"-results", broken, "-out", dir}, false, []string{broken + ":4:21:", "not valid JSON"}},
		{"wrong type", []string{"-results", typed, "-out", dir}, false, []string{typed, "km.time", "string", "float64"}},
		{"schema", []string{"-results", schema, "-out", dir}, false, []string{schema, `schema "other/v9"`}},
		{"no endpoints", []string{"-results", empty, "-out", dir}, false, []string{empty, "no endpoints"}},
		{"unsafe paramcd", []string{"-results", slash, "-out", dir}, false, []string{slash, `"../X"`, "cannot name a file"}},
		{"inconsistent km", []string{"-results", bad, "-out", dir}, false, []string{bad, "figure of X", "surv 1.5"}},
		{"no results flag", []string{"-out", dir}, true, []string{"-results and -out are required"}},
		{"bad scale", []string{"-results", fixture, "-out", dir, "-time-scale", "sqrt"}, true, []string{`-time-scale "sqrt"`}},
		{"bad format", []string{"-results", fixture, "-out", dir, "-formats", "svg,gif"}, true, []string{`"gif" is not a figure format`}},
		{"bad width", []string{"-results", fixture, "-out", dir, "-width", "16"}, true, []string{`-width "16"`, "16cm"}},
		{"unknown flag", []string{"-colour", "red"}, true, []string{"colour"}},
		{"argument", []string{"-results", fixture, "-out", dir, "extra"}, true, []string{`unexpected argument "extra"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.As(err, new(usageError)); got != tt.usage {
				t.Errorf("usage error %v, want %v (%v)", got, tt.usage, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestHelp(t *testing.T) {
	var stderr bytes.Buffer
	err := run([]string{"-h"}, &bytes.Buffer{}, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h: %v", err)
	}
	for _, w := range []string{"usage: plot -results FILE -out DIR", "-time-scale", "-formats", "ci_lower", "numbers at risk", "Synthetic data", "figures.json", "results_sha256", "ketcurves.figures/v1"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("help does not mention %q", w)
		}
	}
}

func TestSkipsEndpointWithoutKM(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	os.WriteFile(p, []byte(`{"schema": "ketcurves.results/v1", "endpoints": [{"paramcd": "NOEV", "status": "no-events", "km": []}]}`), 0o644)
	var stderr bytes.Buffer
	if err := run([]string{"-results", p, "-out", filepath.Join(dir, "out")}, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), `NOEV: no figure`) || !strings.Contains(stderr.String(), `"no-events"`) {
		t.Errorf("stderr %q does not explain the skipped endpoint", stderr.String())
	}
}

func TestParseLength(t *testing.T) {
	tests := []struct {
		in   string
		want vg.Length
		ok   bool
	}{
		{"16cm", 16 * vg.Centimeter, true}, {"160mm", 16 * vg.Centimeter, true}, {" 6.5in", 6.5 * vg.Inch, true},
		{"450pt", 450, true}, {"16", 0, false}, {"-3cm", 0, false}, {"cm", 0, false}, {"NaNcm", 0, false},
	}
	for _, tt := range tests {
		got, err := parseLength("-width", tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseLength(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// exampleResults is the fit stage's output on the bundled example study,
// with every default method and two subgroup columns.
var exampleResults = filepath.Join("..", "..", "pipeline", "figure", "testdata", "example", "results.json")

// TestRunAllKinds draws every kind for the example study and checks the
// file names (PARAMCD-kind.*, the KM figure keeping PARAMCD.*), the
// manifest's figures, the -figures selection, and identical bytes on one
// core and on all.
func TestRunAllKinds(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-results", exampleResults, "-out", dir, "-dpi", "40", "-formats", "svg,png,pdf"}
	if err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"TTRESP", "TTRELAPSE"} {
		for _, base := range []string{p, p + "-forest", p + "-nelson_aalen", p + "-rmst", p + "-zph", p + "-loglog"} {
			for _, ext := range []string{".svg", ".png", ".pdf", ".csv"} {
				if _, err := os.Stat(filepath.Join(dir, base+ext)); err != nil {
					t.Error(err)
				}
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2*6*4+1 {
		t.Errorf("%d files, want 48 figure files and figures.json", len(entries))
	}
	var m struct {
		Figures []struct {
			Paramcd, Kind, Caption string
			Files                  []string
		} `json:"figures"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, f := range m.Figures {
		kinds = append(kinds, f.Paramcd+":"+f.Kind)
		if !strings.Contains(f.Caption, "n = ") || len(f.Files) != 4 {
			t.Errorf("%s %s: caption %q, files %v", f.Paramcd, f.Kind, f.Caption, f.Files)
		}
	}
	if want := "TTRESP:km TTRESP:forest TTRESP:nelson_aalen TTRESP:rmst TTRESP:zph TTRESP:loglog TTRELAPSE:km TTRELAPSE:forest TTRELAPSE:nelson_aalen TTRELAPSE:rmst TTRELAPSE:zph TTRELAPSE:loglog"; strings.Join(kinds, " ") != want {
		t.Errorf("figures %q, want %q", strings.Join(kinds, " "), want)
	}

	dir2 := t.TempDir()
	args[3] = dir2
	old := runtime.GOMAXPROCS(1)
	err := run(args, &bytes.Buffer{}, &bytes.Buffer{})
	runtime.GOMAXPROCS(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b, _ := os.ReadFile(filepath.Join(dir2, e.Name()))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between GOMAXPROCS(1) and GOMAXPROCS(%d)", e.Name(), old)
		}
	}

	dir3 := t.TempDir()
	if err := run([]string{"-results", exampleResults, "-out", dir3, "-formats", "svg", "-figures", "forest"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if es, _ := os.ReadDir(dir3); len(es) != 5 {
		t.Errorf("-figures forest -formats svg wrote %d files, want 2 × (svg, csv) and figures.json", len(es))
	}
	if err := run([]string{"-results", exampleResults, "-out", dir3, "-figures", "km,swimmer"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), `unknown figure kind "swimmer"`) {
		t.Errorf("-figures km,swimmer: %v, want a usage error naming the kind", err)
	}
}

// TestPlanFigureSettings runs plot on a results.json whose TTRELAPSE has a
// plan figure block (x_ticks 0, 14, …, 56; annotate and median_lines
// false): the KM figure follows it, and flags given on the command line win
// over it.
func TestPlanFigureSettings(t *testing.T) {
	planned := filepath.Join("..", "..", "pipeline", "figure", "testdata", "models", "results.json")
	series := func(t *testing.T, args ...string) (atRisk []string, counts map[string]int) {
		t.Helper()
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		if err := run(append([]string{"-results", planned, "-out", dir, "-formats", "svg", "-figures", "km"}, args...), &stdout, &stderr); err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
		data, err := os.ReadFile(filepath.Join(dir, "TTRELAPSE.csv"))
		if err != nil {
			t.Fatal(err)
		}
		counts = map[string]int{}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
			f := strings.Split(line, ",")
			counts[f[0]]++
			if f[0] == "at_risk" && f[1] == "KETAMINE" {
				atRisk = append(atRisk, f[3])
			}
		}
		return atRisk, counts
	}
	ticks, n := series(t)
	if strings.Join(ticks, " ") != "0 14 28 42 56" || n["hr"] != 0 || n["median_line"] != 0 {
		t.Errorf("plan: at-risk times %v, series %v; want the plan's ticks, no HR and no median lines", ticks, n)
	}
	ticks, n = series(t, "-x-ticks", "1,7,28", "-annotate", "-medians=true")
	if strings.Join(ticks, " ") != "1 7 28" || n["hr"] == 0 || n["median_line"] == 0 {
		t.Errorf("flags: at-risk times %v, series %v; want the flags' ticks, the HR and median lines", ticks, n)
	}
}
