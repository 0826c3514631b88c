package figure

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// ManifestSchema identifies the layout of figures.json
// (schema.FiguresSchema).
const ManifestSchema = schema.FiguresSchema

// ManifestName is the name of the manifest the plot stage writes beside the
// figures (schema.FiguresManifestName).
const ManifestName = schema.FiguresManifestName

// Manifest is the content of figures.json, declared once in package schema
// (schema.FiguresManifest, read by schema.DecodeFiguresManifest): what drew
// the figures of a folder, from which results, and the SHA-256 of every
// file written. NewManifest builds it and its WriteJSON method writes it.
type Manifest = schema.FiguresManifest

// ManifestFigure is one figure drawn by the plot stage
// (schema.FiguresEntry).
type ManifestFigure = schema.FiguresEntry

// ManifestFile is one file written by the plot stage (schema.FiguresFile).
type ManifestFile = schema.FiguresFile

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
