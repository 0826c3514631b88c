package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Figure is one figure of one endpoint as written by the plot stage.
type Figure struct {
	// Kind is the figure kind of the plot stage (km, forest, nelson_aalen,
	// rmst …): it places the figure next to the section of its method.
	Kind string
	// Caption says what is drawn, n, events and the conventions; it is the
	// figure's caption and its alt text. Empty for a figure found without
	// a manifest listing figures, which then gets a generic caption.
	Caption string
	// SVG and PNG hold the image bytes; either may be nil, not both.
	SVG, PNG []byte
	// Files lists the figure files found, by extension ("svg", "png", "pdf",
	// "csv"), as paths relative to the report folder with forward slashes.
	Files map[string]string
}

// FiguresSchema identifies the layout of figures.json, the manifest the plot
// stage writes beside the figures: schema.FiguresSchema.
const FiguresSchema = schema.FiguresSchema

// FiguresManifestName is the name of the manifest in the figures folder:
// schema.FiguresManifestName.
const FiguresManifestName = schema.FiguresManifestName

// FiguresManifest is the content of figures.json, declared once in package
// schema (schema.FiguresManifest): the results the figures were drawn from,
// the program that drew them, the SHA-256 of every file it wrote and the
// figures with their captions.
type FiguresManifest = schema.FiguresManifest

// FiguresEntry is one figure listed in figures.json (schema.FiguresEntry).
type FiguresEntry = schema.FiguresEntry

// FiguresFile is one file written by the plot stage, by its name in the
// figures folder (schema.FiguresFile).
type FiguresFile = schema.FiguresFile

// Inputs is everything a report is made from.
type Inputs struct {
	// Results is the content of results.json. It must not be nil.
	Results *schema.Results
	// ResultsFile is the name of results.json shown in the report (relative
	// to the report folder) and ResultsSHA256 the hex SHA-256 of its bytes.
	ResultsFile, ResultsSHA256 string
	// Ingest is the content of ingest.json, or nil when none was given.
	Ingest *schema.Ingest
	// IngestFile and IngestSHA256 identify ingest.json like ResultsFile.
	IngestFile, IngestSHA256 string
	// Derivation is set, by LoadExclusions, when the analysed ADTTE file was
	// derived by cmd/derive: the report then has a Derivation section. It
	// is nil otherwise.
	Derivation *Derivation
	// Figures maps a PARAMCD to its figures, in the plot stage's kind
	// order; it is nil for a report without figures. An endpoint missing
	// from a non-nil map is reported as having no figure.
	Figures map[string][]Figure
	// Tables lists the files of the folder of results.json (the CSV
	// tables of the fit stage, then results.json), linked for download;
	// nil when the folder cannot be listed.
	Tables []TableFile
	// FiguresManifest is the content of figures.json in the figures folder,
	// or nil when there is none; FiguresManifestFile and
	// FiguresManifestSHA256 identify it like ResultsFile.
	FiguresManifest                            *FiguresManifest
	FiguresManifestFile, FiguresManifestSHA256 string
}

// TableFile is one downloadable table of the fit stage.
type TableFile struct {
	// Name is the file name and Path its path relative to the report
	// folder, with forward slashes.
	Name, Path string
}

// ErrStaleFigures says that the figures were drawn from other results than
// those of the report: the plot stage must be run again.
var ErrStaleFigures = errors.New("the figures are stale")

// errNoFigure says that an endpoint has neither an SVG nor a PNG figure.
var errNoFigure = errors.New("no figure")

// paramcdPattern is what a PARAMCD must look like to name a figure file: it
// keeps a hostile PARAMCD from reaching outside the figures folder.
var paramcdPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// figureExts are the figure files looked for, in order of preference for
// display.
var figureExts = []string{"svg", "png", "pdf", "csv"}

// Load reads the inputs of a report. resultsPath names results.json (the
// files of its folder are listed in Tables); figuresDir the folder with the
// figures (those listed in figures.json, or <PARAMCD>.{svg,png,pdf,csv}
// without a manifest listing figures), or "" for a report without figures; ingestPath names ingest.json, or "" when
// there is none. outDir is the folder the report will be written to: paths
// shown in the report are relative to it.
//
// When figuresDir holds figures.json, the manifest of the plot stage, it is
// read strictly (an unknown schema is an error naming the file) and its
// results SHA-256 must be that of the results.json at resultsPath: otherwise
// Load fails with an error wrapping ErrStaleFigures that names both files.
// The report then uses only the figure files listed in the manifest, and
// each must still have the SHA-256 recorded there.
//
// Load fails, naming the file, when a file cannot be read or decoded, when a
// schema is unknown, when ingest.json belongs to another study, or when an
// endpoint with Kaplan–Meier rows has neither an SVG nor a PNG figure in
// figuresDir. (The plot stage draws nothing for an endpoint without
// Kaplan–Meier rows, e.g. status too_few_arms; the report says so.)
func Load(resultsPath, figuresDir, ingestPath, outDir string) (*Inputs, error) {
	var in Inputs
	data, err := os.ReadFile(resultsPath)
	if err != nil {
		return nil, fmt.Errorf("could not read results file: %w (run the fit stage first, or check -results)", err)
	}
	res, err := DecodeResults(resultsPath, data)
	if err != nil {
		return nil, err
	}
	in.Results = res
	in.ResultsFile = displayPath(outDir, resultsPath)
	in.ResultsSHA256 = sha256Hex(data)

	if ingestPath != "" {
		data, err := os.ReadFile(ingestPath)
		if err != nil {
			return nil, fmt.Errorf("could not read ingest summary: %w (run the ingest stage first, or omit -ingest)", err)
		}
		ing, err := DecodeIngest(ingestPath, data)
		if err != nil {
			return nil, err
		}
		if ing.Study != res.Study.ID {
			return nil, fmt.Errorf("%s is for study %q but %s is for study %q: give the files of the same study", ingestPath, ing.Study, resultsPath, res.Study.ID)
		}
		in.Ingest = ing
		in.IngestFile = displayPath(outDir, ingestPath)
		in.IngestSHA256 = sha256Hex(data)
	}

	in.Tables = listTables(filepath.Dir(resultsPath), outDir)
	if figuresDir != "" {
		if err := in.loadFigures(figuresDir, resultsPath, outDir); err != nil {
			return nil, err
		}
	}
	return &in, nil
}

// listTables lists the files of the fit stage's tables folder dir: the CSV
// files sorted by name, then results.json. It returns nil when the folder
// cannot be read (the report then has no download list).
func listTables(dir, outDir string) []TableFile {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []TableFile
	var results *TableFile
	for _, e := range entries { // sorted by name
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") {
			continue
		}
		t := TableFile{Name: name, Path: displayPath(outDir, filepath.Join(dir, name))}
		switch {
		case strings.EqualFold(filepath.Ext(name), ".csv"):
			out = append(out, t)
		case name == "results.json":
			results = &t
		}
	}
	if results != nil {
		out = append(out, *results)
	}
	return out
}

// loadFigures reads the figures of every endpoint from figuresDir, checked
// against figures.json when the folder has one.
func (in *Inputs) loadFigures(figuresDir, resultsPath, outDir string) error {
	st, err := os.Stat(figuresDir)
	if err != nil {
		return fmt.Errorf("could not read figures folder: %w (run the plot stage first, or check -figures)", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("figures folder %s is not a folder: give the folder holding <PARAMCD>.svg", figuresDir)
	}
	var listed map[string]string // file name -> SHA-256; nil without a manifest
	manifestPath := filepath.Join(figuresDir, FiguresManifestName)
	data, err := os.ReadFile(manifestPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("could not read figures manifest: %w", err)
	default:
		m, err := DecodeFiguresManifest(manifestPath, data)
		if err != nil {
			return err
		}
		if m.ResultsSHA256 != in.ResultsSHA256 {
			return fmt.Errorf("%w: %s records results SHA-256 %s, but %s has SHA-256 %s: the figures in %s were drawn from other results; rerun the plot stage (plot -results %s -out %s)",
				ErrStaleFigures, manifestPath, m.ResultsSHA256, resultsPath, in.ResultsSHA256, figuresDir, resultsPath, figuresDir)
		}
		in.FiguresManifest = m
		in.FiguresManifestFile = displayPath(outDir, manifestPath)
		in.FiguresManifestSHA256 = sha256Hex(data)
		listed = make(map[string]string, len(m.Files))
		for _, f := range m.Files {
			listed[f.File] = f.SHA256
		}
	}
	in.Figures = make(map[string][]Figure)
	for _, ep := range in.Results.Endpoints {
		if !paramcdPattern.MatchString(ep.Paramcd) || ep.Paramcd == "." || ep.Paramcd == ".." {
			return fmt.Errorf("endpoint PARAMCD %q cannot name a figure file: it may hold only letters, digits, '_', '-' and '.'", ep.Paramcd)
		}
		var figs []Figure
		if m := in.FiguresManifest; m != nil && len(m.Figures) > 0 {
			for _, entry := range m.Figures {
				if entry.Paramcd != ep.Paramcd {
					continue
				}
				fig, err := loadFigureFiles(figuresDir, entry.Files, outDir, listed)
				if err != nil {
					return fmt.Errorf("%s figure of endpoint %s: %w", entry.Kind, ep.Paramcd, err)
				}
				fig.Kind, fig.Caption = entry.Kind, entry.Caption
				figs = append(figs, fig)
			}
			if len(figs) == 0 && ep.KM.Len() > 0 {
				return fmt.Errorf("%w for endpoint %s: %s lists no figure of it: rerun the plot stage", errNoFigure, ep.Paramcd, manifestPath)
			}
		} else {
			var names []string
			for _, ext := range figureExts {
				names = append(names, ep.Paramcd+"."+ext)
			}
			fig, err := loadFigureFiles(figuresDir, names, outDir, listed)
			switch {
			case err == nil:
				fig.Kind = KindKM
				figs = append(figs, fig)
			case errors.Is(err, errNoFigure) && ep.KM.Len() == 0:
				// The plot stage draws no figure for an endpoint without
				// Kaplan–Meier rows; the report says so.
			case errors.Is(err, errNoFigure):
				return fmt.Errorf("%w for endpoint %s: neither %s nor %s exists: run the plot stage for this endpoint",
					errNoFigure, ep.Paramcd, filepath.Join(figuresDir, ep.Paramcd+".svg"), filepath.Join(figuresDir, ep.Paramcd+".png"))
			default:
				return err
			}
		}
		if len(figs) > 0 {
			in.Figures[ep.Paramcd] = figs
		}
	}
	return nil
}

// KindKM is the figure kind of the Kaplan–Meier curves, <PARAMCD>.svg,
// shown at the top of its endpoint.
const KindKM = "km"

// loadFigureFiles reads the files names (base names in dir; those with an
// extension other than figureExts are ignored) of one figure. When listed
// is not nil (the folder has a manifest), only the files it lists are used,
// and each must have the SHA-256 it records; without a manifest, missing
// files are skipped. It fails wrapping errNoFigure when neither an SVG nor
// a PNG is found.
func loadFigureFiles(dir string, names []string, outDir string, listed map[string]string) (Figure, error) {
	fig := Figure{Files: make(map[string]string)}
	for _, name := range names {
		ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
		if !slices.Contains(figureExts, ext) || fig.Files[ext] != "" {
			continue
		}
		path := filepath.Join(dir, name)
		want, isListed := listed[name]
		if listed != nil && !isListed {
			continue // not written by the plot run of the manifest
		}
		var data []byte
		if listed != nil || ext == "svg" || ext == "png" {
			var err error
			data, err = os.ReadFile(path)
			switch {
			case errors.Is(err, fs.ErrNotExist) && listed == nil:
				continue
			case err != nil:
				return Figure{}, fmt.Errorf("could not read figure: %w", err)
			}
		} else if _, err := os.Stat(path); err != nil {
			continue
		}
		if isListed {
			if got := sha256Hex(data); got != want {
				return Figure{}, fmt.Errorf("%w: %s has SHA-256 %s, but %s records %s: the file changed after the plot stage wrote it; rerun the plot stage",
					ErrStaleFigures, path, got, filepath.Join(dir, FiguresManifestName), want)
			}
		}
		switch ext {
		case "svg":
			fig.SVG = data
		case "png":
			fig.PNG = data
		}
		fig.Files[ext] = displayPath(outDir, path)
	}
	if fig.SVG == nil && fig.PNG == nil {
		return Figure{}, fmt.Errorf("%w: none of %s is an SVG or PNG file of %s", errNoFigure, strings.Join(names, ", "), dir)
	}
	return fig, nil
}

// DecodeResults decodes results.json: see schema.DecodeResults.
func DecodeResults(name string, data []byte) (*schema.Results, error) {
	return schema.DecodeResults(name, data)
}

// DecodeIngest decodes ingest.json: see schema.DecodeIngest.
func DecodeIngest(name string, data []byte) (*schema.Ingest, error) {
	return schema.DecodeIngest(name, data)
}

// DecodeFiguresManifest decodes the content of figures.json; name is used
// in messages: see schema.DecodeFiguresManifest, which fails when the
// schema is not FiguresSchema, when the results SHA-256 or the program is
// missing, or when a listed file is not a plain file name. Unknown fields
// are ignored.
func DecodeFiguresManifest(name string, data []byte) (*FiguresManifest, error) {
	return schema.DecodeFiguresManifest(name, data)
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// displayPath returns path relative to outDir, with forward slashes. When
// no relative path exists, it returns the base name, so that no absolute
// path ends up in a report.
func displayPath(outDir, path string) string {
	if outDir != "" {
		absOut, err1 := filepath.Abs(outDir)
		absPath, err2 := filepath.Abs(path)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(absOut, absPath); err == nil {
				return filepath.ToSlash(rel)
			}
		}
	}
	if filepath.IsAbs(path) {
		return filepath.Base(path)
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// sourcePath is how a path recorded by another stage is shown: as given
// when relative, by its base name when absolute.
func sourcePath(path string) string {
	if filepath.IsAbs(path) || strings.HasPrefix(path, "/") {
		return filepath.Base(path)
	}
	return path
}
