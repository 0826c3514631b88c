package report

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{"coxHeader": coxHeader}).Parse(htmlSource))

// ContentSecurityPolicy is the policy of the report's meta tag (written
// literally in report.html.tmpl; a test checks they agree): nothing
// may be loaded or run (no script, font, frame, connection or form), the
// only images are the data: URIs of the embedded figures and the only
// style is the inline style sheet. The links to the figure and table files
// are navigation, which the policy leaves alone.
const ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

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
	return htmlTemplate.Execute(w, htmlDocument{document: d})
}

// htmlDocument adds the constant texts of the HTML template to a document.
type htmlDocument struct{ *document }

func (htmlDocument) NoWarnings() string  { return noWarnings }
func (htmlDocument) NoTables() string    { return noTables }
func (htmlDocument) TablesIntro() string { return tablesIntro }
func (h htmlDocument) HoursNote() string { return hoursNote(h.TimeUnit) }
