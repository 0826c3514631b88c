package report

import (
	"io"
	"path/filepath"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// Output file names in the report folder.
const (
	MarkdownFile = "report.md"
	HTMLFile     = "report.html"
)

// Write writes report.md and report.html into the folder outDir, each
// through atomicfile, and returns their paths. It panics if in or
// in.Results is nil.
func Write(outDir string, in *Inputs) ([]string, error) {
	outputs := []struct {
		name   string
		render func(io.Writer, *Inputs) error
	}{
		{MarkdownFile, Markdown},
		{HTMLFile, HTML},
	}
	var paths []string
	for _, o := range outputs {
		path := filepath.Join(outDir, o.name)
		if err := atomicfile.Write(path, func(w io.Writer) error { return o.render(w, in) }); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
