package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
)

// FiguresSchema identifies the layout of figures.json.
const FiguresSchema = "ketcurves.figures/v1"

// FiguresManifestName is the name of the manifest the plot stage writes
// beside the figures.
const FiguresManifestName = "figures.json"

// FiguresManifest is the content of figures.json: what drew the figures of
// a folder, from which results, and the SHA-256 of every file written. The
// plot stage writes it (package figure builds it, WriteJSON encodes it) and
// the report stage reads it (DecodeFiguresManifest): this is the one
// declaration of the format. Readers ignore unknown fields.
type FiguresManifest struct {
	// Schema is FiguresSchema.
	Schema string `json:"schema"`
	// ResultsFile is the results.json read, relative to the figures folder
	// with forward slashes (its base name when there is no relative path),
	// and ResultsSHA256 the hex SHA-256 of its bytes.
	ResultsFile   string `json:"results_file"`
	ResultsSHA256 string `json:"results_sha256"`
	// Software is the program that drew the figures, its Go version and
	// the versions of the modules linked into it.
	Software Software `json:"software"`
	// Files lists the files written, sorted by name.
	Files []FiguresFile `json:"files"`
	// Figures lists the figures drawn, by endpoint then kind in registry
	// order, with their captions (the report's alt text) and files.
	// Omitted when empty; added within ketcurves.figures/v1 (readers
	// ignore unknown fields). A manifest without it is read as one km
	// figure per endpoint, <PARAMCD>.svg and its siblings.
	Figures []FiguresEntry `json:"figures,omitempty"`
}

// FiguresEntry is one figure drawn by the plot stage.
type FiguresEntry struct {
	// Paramcd is the endpoint and Kind the figure kind (figure.Kinds).
	Paramcd string `json:"paramcd"`
	Kind    string `json:"kind"`
	// Caption states what is drawn, n, events and the conventions; it is
	// also the figure's alt text.
	Caption string `json:"caption"`
	// Files are the figure's files in the figures folder (the formats
	// drawn, then the CSV of what is drawn).
	Files []string `json:"files"`
}

// FiguresFile is one file written by the plot stage.
type FiguresFile struct {
	// File is the name of the file in the figures folder.
	File string `json:"file"`
	// SHA256 is the hex SHA-256 of its bytes.
	SHA256 string `json:"sha256"`
}

// WriteJSON writes the manifest as indented JSON ending in a newline, HTML
// characters unescaped. Fields come in a fixed order and module paths
// sorted, so the same manifest gives the same bytes.
func (m *FiguresManifest) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("could not encode %s: %w", FiguresManifestName, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// figureKindPattern is what a figure kind must look like.
var figureKindPattern = regexp.MustCompile(`^[a-z0-9_]+$`)

// DecodeFiguresManifest decodes the content of figures.json; name is used
// in messages. It fails when the schema is not FiguresSchema, when the
// results SHA-256 or the program is missing, when a listed file is not a
// plain file name, or when a figure's kind is not lower-case letters,
// digits and '_'. Syntax and type errors give the line and column
// (JSONPosition). Unknown fields are ignored.
func DecodeFiguresManifest(name string, data []byte) (*FiguresManifest, error) {
	var m FiguresManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("could not decode figures manifest %s: %w", name, JSONPosition(data, err))
	}
	if m.Schema != FiguresSchema {
		return nil, fmt.Errorf("figures manifest %s has schema %q, want %q: regenerate the figures with the plot stage of this version", name, m.Schema, FiguresSchema)
	}
	if m.ResultsSHA256 == "" {
		return nil, fmt.Errorf("figures manifest %s has no results_sha256: regenerate the figures with the plot stage", name)
	}
	if m.Software.Program == "" {
		return nil, fmt.Errorf("figures manifest %s has no software.program: regenerate the figures with the plot stage", name)
	}
	for i, f := range m.Files {
		if !isFileName(f.File) {
			return nil, fmt.Errorf("figures manifest %s: files[%d] is %q, not a file name in the figures folder", name, i, f.File)
		}
	}
	for i, f := range m.Figures {
		if !figureKindPattern.MatchString(f.Kind) {
			return nil, fmt.Errorf("figures manifest %s: figures[%d] has kind %q: a kind is lower-case letters, digits and '_'", name, i, f.Kind)
		}
		for j, file := range f.Files {
			if !isFileName(file) {
				return nil, fmt.Errorf("figures manifest %s: figures[%d].files[%d] is %q, not a file name in the figures folder", name, i, j, file)
			}
		}
	}
	return &m, nil
}

// isFileName reports whether s is a plain file name, without a folder.
func isFileName(s string) bool {
	return s != "" && s == filepath.Base(s) && !strings.ContainsAny(s, `/\`) && s != "." && s != ".."
}
