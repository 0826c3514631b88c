package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/figure"
	"github.com/ketcurves/ketcurves/pipeline/golden"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// plotSoftware is a fixed software record, so that the golden files do not
// depend on the toolchain running the tests.
var plotSoftware = schema.Software{
	Program:   "ketcurves plot",
	GoVersion: "go1.26.8",
	Modules: map[string]string{
		"codeberg.org/go-pdf/fpdf": "v0.11.1",
		"gonum.org/v1/gonum":       "v0.17.0",
		"gonum.org/v1/plot":        "v0.17.0",
	},
}

// fixtureWithManifest copies the fixture to a temporary reports/S1 folder
// and writes figures/figures.json as the plot stage does, listing files.
func fixtureWithManifest(t *testing.T, files ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "S1")
	copyTree(t, fixture, dir)
	if len(files) == 0 {
		files = []string{"TTRELAPSE.png", "TTRESP.csv", "TTRESP.pdf", "TTRESP.svg"}
	}
	writeManifest(t, dir, files)
	return dir
}

func writeManifest(t *testing.T, dir string, files []string) {
	t.Helper()
	results := filepath.Join(dir, "tables", "results.json")
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	figs := filepath.Join(dir, "figures")
	m, err := figure.NewManifest(figs, results, data, files, plotSoftware)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(figs, figure.ManifestName), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func loadDir(dir string) (*Inputs, error) {
	return Load(filepath.Join(dir, "tables", "results.json"), filepath.Join(dir, "figures"), filepath.Join(dir, "ingest.json"), dir)
}

func TestFiguresSchemaMatchesPlot(t *testing.T) {
	if FiguresSchema != figure.ManifestSchema || FiguresManifestName != figure.ManifestName {
		t.Errorf("report reads %s %q, plot writes %s %q", FiguresManifestName, FiguresSchema, figure.ManifestName, figure.ManifestSchema)
	}
}

// TestFiguresGolden compares the report of the fixture with a figures
// manifest with testdata/golden/report_figures.{md,html}; the report
// without one is TestGolden's.
func TestFiguresGolden(t *testing.T) {
	in, err := loadDir(fixtureWithManifest(t))
	if err != nil {
		t.Fatal(err)
	}
	md, html := render(t, in)
	for _, test := range []struct {
		name string
		got  []byte
	}{
		{"report_figures.md", md},
		{"report_figures.html", html},
	} {
		golden.Check(t, filepath.Join("testdata", "golden", test.name), test.got)
	}
	for _, w := range []string{
		"- Figures: ketcurves plot (Go go1.26.8), figures/figures.json SHA-256 `",
		"| Module | Version | Program |",
		"| gonum.org/v1/gonum | v0.17.0 | fit (devel), plot |",
		"| gonum.org/v1/plot | v0.17.0 | plot |",
		"| github.com/go-gota/gota | v0.12.0 | fit (devel) |",
	} {
		if !bytes.Contains(md, []byte(w)) {
			t.Errorf("report.md lacks %q", w)
		}
	}
	if !bytes.Contains(html, []byte("<li>Figures: ketcurves plot (Go go1.26.8), figures/figures.json SHA-256 <code")) {
		t.Errorf("report.html lacks the figures line")
	}
}

// TestStaleFigures: figures drawn from other results are refused, naming
// both files.
func TestStaleFigures(t *testing.T) {
	dir := fixtureWithManifest(t)
	results := filepath.Join(dir, "tables", "results.json")
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(results, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = loadDir(dir)
	if !errors.Is(err, ErrStaleFigures) {
		t.Fatalf("Load: %v, want ErrStaleFigures", err)
	}
	for _, w := range []string{filepath.Join(dir, "figures", "figures.json"), results, "rerun the plot stage"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

func TestFiguresManifestChecks(t *testing.T) {
	// A figure changed after the plot stage wrote it.
	dir := fixtureWithManifest(t)
	svg := filepath.Join(dir, "figures", "TTRESP.svg")
	if err := os.WriteFile(svg, []byte("<svg/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadDir(dir); !errors.Is(err, ErrStaleFigures) || !strings.Contains(err.Error(), svg) {
		t.Errorf("changed figure: %v", err)
	}

	// Files not listed (left over from an earlier run) are not used.
	dir = fixtureWithManifest(t, "TTRELAPSE.png", "TTRESP.svg")
	in, err := loadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Figures["TTRESP"][0].Files; len(got) != 1 || got["svg"] != "figures/TTRESP.svg" {
		t.Errorf("TTRESP files %v, want the SVG alone", got)
	}

	// A listed file that is missing.
	dir = fixtureWithManifest(t)
	os.Remove(filepath.Join(dir, "figures", "TTRESP.pdf"))
	if _, err := loadDir(dir); err == nil || !strings.Contains(err.Error(), "TTRESP.pdf") {
		t.Errorf("missing listed file: %v", err)
	}

	// Strict decoding, errors naming the file.
	for _, test := range []struct{ name, content, want string }{
		{"schema", `{"schema": "ketcurves.figures/v9", "results_sha256": "x", "software": {"program": "p"}}`, `schema "ketcurves.figures/v9", want "ketcurves.figures/v1"`},
		{"no schema", `{}`, `schema ""`},
		{"bad json", "{\n  \"schema\": 1\n}", "line 2, column"},
		{"no results hash", `{"schema": "ketcurves.figures/v1", "software": {"program": "p"}}`, "no results_sha256"},
		{"no program", `{"schema": "ketcurves.figures/v1", "results_sha256": "x"}`, "no software.program"},
		{"path", `{"schema": "ketcurves.figures/v1", "results_sha256": "x", "software": {"program": "p"}, "files": [{"file": "../x.svg"}]}`, `"../x.svg"`},
	} {
		dir := fixtureWithManifest(t)
		path := filepath.Join(dir, "figures", "figures.json")
		if err := os.WriteFile(path, []byte(test.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := loadDir(dir)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want one naming %s and saying %q", test.name, err, path, test.want)
		}
	}
}
