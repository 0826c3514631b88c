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

// TestFigurePlacement: a figure goes next to its method's section (forest
// into the Cox regression, nelson_aalen into the Nelson–Aalen section); km
// and kinds without a section stay at the top; numbers follow the order
// of display.
func TestFigurePlacement(t *testing.T) {
	fig := func(kind string) *figureView { return &figureView{Kind: kind} }
	v := endpointView{
		Figures:  []*figureView{fig("km"), fig("forest"), fig("nelson_aalen"), fig("swimmer"), fig("rmst")},
		Cox:      &coxView{},
		Sections: []sectionView{{Method: "rmst"}, {Method: "nelson_aalen"}},
	}
	v.placeFigures()
	kinds := func(figs []*figureView) string {
		var s []string
		for _, f := range figs {
			s = append(s, f.Kind)
		}
		return strings.Join(s, ",")
	}
	for _, test := range []struct{ where, got, want string }{
		{"top", kinds(v.Figures), "km,swimmer"},
		{"cox", kinds(v.Cox.Figures), "forest"},
		{"rmst section", kinds(v.Sections[0].Figures), "rmst"},
		{"nelson_aalen section", kinds(v.Sections[1].Figures), "nelson_aalen"},
	} {
		if test.got != test.want {
			t.Errorf("%s: figures %q, want %q", test.where, test.got, test.want)
		}
	}
	if next := v.numberFigures(3); next != 8 {
		t.Errorf("numberFigures returned %d, want 8", next)
	}
	// Display order: top, Cox, then sections in order.
	for _, test := range []struct {
		f    *figureView
		want int
	}{{v.Figures[0], 3}, {v.Figures[1], 4}, {v.Cox.Figures[0], 5}, {v.Sections[0].Figures[0], 6}, {v.Sections[1].Figures[0], 7}} {
		if test.f.Number != test.want {
			t.Errorf("%s figure number %d, want %d", test.f.Kind, test.f.Number, test.want)
		}
	}
	// Without a Cox model, a forest plot stays at the top.
	v = endpointView{Figures: []*figureView{fig("forest")}}
	v.placeFigures()
	if kinds(v.Figures) != "forest" {
		t.Errorf("without Cox: top figures %q, want forest", kinds(v.Figures))
	}
}

// TestManifestFigures: with figures[] in figures.json, every figure of an
// endpoint is embedded, in manifest order, with its caption as caption and
// alt text and links to its files; the forest plot sits in the Cox section.
func TestManifestFigures(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "S1")
	copyTree(t, fixture, dir)
	figs := filepath.Join(dir, "figures")
	svg, err := os.ReadFile(filepath.Join(figs, "TTRESP.svg"))
	if err != nil {
		t.Fatal(err)
	}
	forest := append([]byte("<!-- forest -->"), svg...)
	if err := os.WriteFile(filepath.Join(figs, "TTRESP-forest.svg"), forest, 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{"TTRELAPSE.png", "TTRESP.csv", "TTRESP.pdf", "TTRESP.svg", "TTRESP-forest.svg"}
	results := filepath.Join(dir, "tables", "results.json")
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	m, err := figure.NewManifest(figs, results, data, files, plotSoftware)
	if err != nil {
		t.Fatal(err)
	}
	m.Figures = []figure.ManifestFigure{
		{Paramcd: "TTRESP", Kind: "km", Caption: "KM caption of TTRESP.", Files: []string{"TTRESP.svg", "TTRESP.pdf", "TTRESP.csv"}},
		{Paramcd: "TTRESP", Kind: "forest", Caption: "Forest caption of TTRESP.", Files: []string{"TTRESP-forest.svg"}},
		{Paramcd: "TTRELAPSE", Kind: "km", Caption: "KM caption of TTRELAPSE.", Files: []string{"TTRELAPSE.png"}},
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(figs, figure.ManifestName), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := loadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(in.Figures["TTRESP"]); got != 2 {
		t.Fatalf("TTRESP has %d figures, want 2", got)
	}
	md, html := render(t, in)
	mdText := string(md)
	cox := strings.Index(mdText, "### Cox regression")
	forestAt := strings.Index(mdText, "![Forest caption of TTRESP.](figures/TTRESP-forest.svg)")
	nextEndpoint := strings.Index(mdText, "## Endpoint TTRELAPSE")
	if cox < 0 || forestAt < cox || forestAt > nextEndpoint {
		t.Errorf("forest plot not in TTRESP's Cox section (Cox at %d, forest at %d, next endpoint at %d)", cox, forestAt, nextEndpoint)
	}
	for _, want := range []string{
		"*Figure 1.* KM caption of TTRESP. Files: [SVG](figures/TTRESP.svg), [PDF](figures/TTRESP.pdf), [CSV](figures/TTRESP.csv).",
		"*Figure 2.* Forest caption of TTRESP. Files: [SVG](figures/TTRESP-forest.svg).",
		"*Figure 3.* KM caption of TTRELAPSE. Files: [PNG](figures/TTRELAPSE.png).",
	} {
		if !strings.Contains(mdText, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	for _, want := range []string{
		`alt="Forest caption of TTRESP."`,
		`<figcaption><strong>Figure 2.</strong> Forest caption of TTRESP. Files: <a href="figures/TTRESP-forest.svg">SVG</a>.</figcaption>`,
	} {
		if !strings.Contains(string(html), want) {
			t.Errorf("html lacks %q", want)
		}
	}

	// A figure listed in figures[] whose file is not in files[] is refused.
	m.Figures[1].Files = []string{"TTRESP-zph.svg"}
	buf.Reset()
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(figs, figure.ManifestName), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadDir(dir); err == nil || !strings.Contains(err.Error(), "forest figure of endpoint TTRESP") {
		t.Errorf("figure with unlisted file: %v", err)
	}
}
