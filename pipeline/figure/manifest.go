package figure

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// ManifestSchema identifies the layout of figures.json.
const ManifestSchema = "ketcurves.figures/v1"

// ManifestName is the name of the manifest the plot stage writes beside the
// figures.
const ManifestName = "figures.json"

// Manifest is the content of figures.json: what drew the figures of a
// folder, from which results, and the SHA-256 of every file written.
type Manifest struct {
	// Schema is ManifestSchema.
	Schema string `json:"schema"`
	// ResultsFile is the results.json read, relative to the figures folder
	// with forward slashes (its base name when there is no relative path),
	// and ResultsSHA256 the hex SHA-256 of its bytes.
	ResultsFile   string `json:"results_file"`
	ResultsSHA256 string `json:"results_sha256"`
	// Software is the program that drew the figures, its Go version and
	// the versions of the modules linked into it.
	Software schema.Software `json:"software"`
	// Files lists the files written, sorted by name.
	Files []ManifestFile `json:"files"`
	// Figures lists the figures drawn, by endpoint then kind in registry
	// order, with their captions (the report's alt text) and files.
	// Omitted when empty; added within ketcurves.figures/v1 (readers
	// ignore unknown fields).
	Figures []ManifestFigure `json:"figures,omitempty"`
}

// ManifestFigure is one figure drawn by the plot stage.
type ManifestFigure struct {
	// Paramcd is the endpoint and Kind the figure kind (Kinds).
	Paramcd string `json:"paramcd"`
	Kind    string `json:"kind"`
	// Caption states what is drawn, n, events and the conventions; it is
	// also the figure's alt text.
	Caption string `json:"caption"`
	// Files are the figure's files in the figures folder (the formats
	// drawn, then the CSV of what is drawn).
	Files []string `json:"files"`
}

// ManifestFile is one file written by the plot stage.
type ManifestFile struct {
	// File is the name of the file in the figures folder.
	File string `json:"file"`
	// SHA256 is the hex SHA-256 of its bytes.
	SHA256 string `json:"sha256"`
}

// Software records program, the Go version of the running binary and the
// version of every module linked into it, as read by debug.ReadBuildInfo
// (a replaced module gets the version of its replacement). Modules is nil
// when the binary has no build information.
func Software(program string) schema.Software {
	sw := schema.Software{Program: program, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		sw.Modules = map[string]string{}
		for _, m := range bi.Deps {
			v := m.Version
			if m.Replace != nil && m.Replace.Version != "" {
				v = m.Replace.Version
			}
			sw.Modules[m.Path] = v
		}
	}
	return sw
}

// NewManifest builds the manifest of the files named by files (base names
// in dir), drawn by sw from the results.json at resultsPath whose bytes are
// results. The files are read and hashed in sorted order, so that the
// manifest does not depend on the order in which they were written; call it
// after every file has been written. It fails, naming the file, when a file
// cannot be read.
func NewManifest(dir, resultsPath string, results []byte, files []string, sw schema.Software) (*Manifest, error) {
	m := &Manifest{
		Schema:        ManifestSchema,
		ResultsFile:   relativeTo(dir, resultsPath),
		ResultsSHA256: sha256Hex(results),
		Software:      sw,
	}
	names := slices.Clone(files)
	slices.Sort(names)
	names = slices.Compact(names)
	m.Files = make([]ManifestFile, 0, len(names)) // [] rather than null when empty
	for _, name := range names {
		if name != filepath.Base(name) || name == ManifestName {
			panic(fmt.Sprintf("figure: NewManifest: %q is not a figure file name", name))
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("could not hash figure file: %w", err)
		}
		m.Files = append(m.Files, ManifestFile{File: name, SHA256: sha256Hex(data)})
	}
	return m, nil
}

// WriteJSON writes the manifest as indented JSON ending in a newline. Fields
// come in a fixed order and module paths sorted, so the same manifest gives
// the same bytes.
func (m *Manifest) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("could not encode %s: %w", ManifestName, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// relativeTo returns path relative to dir with forward slashes, or its base
// name when there is no relative path, so that no absolute path is recorded.
func relativeTo(dir, path string) string {
	absDir, err1 := filepath.Abs(dir)
	absPath, err2 := filepath.Abs(path)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absPath); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(path)
}
