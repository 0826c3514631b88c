package synthesis

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"strings"
)

// Document is a report: a title and blocks in order.
type Document struct {
	Title  string
	Blocks []Block
}

// Block is one element of a Document: *Heading, *Paragraph, *List,
// *Table or *FigureBlock.
type Block interface{ block() }

// Heading is a section heading; Level 2 or 3.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is plain text.
type Paragraph struct{ Text string }

// List is a bulleted list.
type List struct{ Items []string }

// Table is a table with a caption.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// FigureBlock places a rendered figure.
type FigureBlock struct{ Figure *Rendered }

func (*Heading) block()     {}
func (*Paragraph) block()   {}
func (*List) block()        {}
func (*Table) block()       {}
func (*FigureBlock) block() {}

// WriteMarkdown writes doc as GitHub-flavoured Markdown; figures are
// linked by file name (the SVG inline, the other formats and the CSV as
// links).
func WriteMarkdown(w io.Writer, doc *Document) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", mdEscape(doc.Title))
	for _, bl := range doc.Blocks {
		b.WriteString("\n")
		switch x := bl.(type) {
		case *Heading:
			fmt.Fprintf(&b, "%s %s\n", strings.Repeat("#", x.Level), mdEscape(x.Text))
		case *Paragraph:
			fmt.Fprintf(&b, "%s\n", mdEscape(x.Text))
		case *List:
			for _, it := range x.Items {
				fmt.Fprintf(&b, "- %s\n", mdEscape(it))
			}
		case *Table:
			writeMarkdownTable(&b, x)
		case *FigureBlock:
			f := x.Figure
			fmt.Fprintf(&b, "![%s](%s.svg)\n\n%s. Files: ", mdEscape(f.Caption), f.Name, mdEscape(f.Caption))
			for i, name := range f.FileNames() {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "[%s](%s)", name, name)
			}
			b.WriteString(".\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownTable(b *strings.Builder, t *Table) {
	fmt.Fprintf(b, "%s\n\n", mdEscape(t.Caption))
	cell := func(s string) string { return strings.ReplaceAll(mdEscape(s), "|", `\|`) }
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			fmt.Fprintf(b, " %s |", cell(c))
		}
		b.WriteString("\n")
	}
	row(t.Header)
	b.WriteString("|")
	for range t.Header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
}

// mdEscape makes text inert in Markdown: HTML and link syntax are escaped.
func mdEscape(s string) string {
	r := strings.NewReplacer("\\", `\\`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "*", `\*`, "_", `\_`, "`", "\\`", "\n", " ")
	return r.Replace(s)
}

// ContentSecurityPolicy forbids every external request: figures are data
// URIs and the style sheet is inline.
const ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

const styleSheet = `body{font-family:sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}caption{text-align:left;font-weight:bold;padding:.3rem 0}
figure{margin:1rem 0 2rem}figure img{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#444}
@media print{body{max-width:none;margin:0}figure,table{page-break-inside:avoid}}`

// WriteHTML writes doc as one self-contained HTML page: inline style
// sheet, figures as SVG data URIs, and a Content-Security-Policy meta tag
// that forbids external requests. Every text is HTML-escaped.
func WriteHTML(w io.Writer, doc *Document) error {
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", e(ContentSecurityPolicy))
	fmt.Fprintf(&b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>\n%s\n</style>\n</head>\n<body>\n<h1>%s</h1>\n", e(doc.Title), styleSheet, e(doc.Title))
	for _, bl := range doc.Blocks {
		switch x := bl.(type) {
		case *Heading:
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", x.Level, e(x.Text), x.Level)
		case *Paragraph:
			fmt.Fprintf(&b, "<p>%s</p>\n", e(x.Text))
		case *List:
			b.WriteString("<ul>\n")
			for _, it := range x.Items {
				fmt.Fprintf(&b, "<li>%s</li>\n", e(it))
			}
			b.WriteString("</ul>\n")
		case *Table:
			writeHTMLTable(&b, x)
		case *FigureBlock:
			f := x.Figure
			fmt.Fprintf(&b, "<figure>\n<img alt=\"%s\" src=\"data:image/svg+xml;base64,%s\">\n<figcaption>%s. Files: %s.</figcaption>\n</figure>\n",
				e(f.Caption), base64.StdEncoding.EncodeToString(f.Files["svg"]), e(f.Caption), e(strings.Join(f.FileNames(), ", ")))
		}
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHTMLTable(b *strings.Builder, t *Table) {
	e := html.EscapeString
	fmt.Fprintf(b, "<table>\n<caption>%s</caption>\n<thead><tr>", e(t.Caption))
	for _, h := range t.Header {
		fmt.Fprintf(b, "<th>%s</th>", e(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(b, "<td>%s</td>", e(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}
