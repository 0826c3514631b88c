package report

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report.html").Parse(htmlSource))

// MaxInlineSVG is the largest SVG, in bytes, embedded in report.html when a
// PNG of the same figure exists: an SVG with embedded fonts can be several
// times the size of the PNG, which is then embedded instead.
const MaxInlineSVG = 1 << 20

// HTML writes the report as one self-contained HTML file: the style sheet
// is inline, figures are embedded as base64 data URIs (SVG when present and
// not larger than MaxInlineSVG, PNG otherwise) and nothing is loaded from elsewhere. Every data label is
// escaped by html/template. It panics if in or in.Results is nil.
func HTML(w io.Writer, in *Inputs) error {
	d, err := newDocument(in)
	if err != nil {
		return err
	}
	return htmlTemplate.Execute(w, d)
}
