package figure

import (
	"image/color"
	"strings"
	"sync"

	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas works around three limits of vgpdf (gonum/plot v0.17):
//   - it passes premultiplied colour components to fpdf, so translucent
//     fills come out too dark: SetColor hands it straight components;
//   - fpdf's embedded TrueType fonts use code page 1252 but vgpdf passes
//     UTF-8 strings: FillString converts them with pdfText;
//   - it makes a font's embedded data (about 30 ms) once per process for
//     each face and size, but two canvases drawing at the same time both
//     make it when neither finds it made: FillString serializes the first
//     use of each face (see pdfFaces).
type pdfCanvas struct {
	*vgpdf.Canvas
}

func (c pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.Canvas.SetColor(straightColor(color.NRGBAModel.Convert(clr).(color.NRGBA)))
}

func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if _, ok := pdfFaces.Load(f); !ok {
		pdfFirstUse.Lock()
		defer pdfFirstUse.Unlock()
		c.Canvas.FillString(f, pt, pdfText(s))
		pdfFaces.Store(f, true)
		return
	}
	c.Canvas.FillString(f, pt, pdfText(s))
}

// pdfFaces holds every font.Face (font, size) a pdfCanvas has drawn with,
// and pdfFirstUse is held while a face is drawn for the first time, so
// that vgpdf makes the face's font data once whatever the number of PDFs
// drawn at the same time (the data, and so the files, are the same either
// way).
var (
	pdfFaces    sync.Map
	pdfFirstUse sync.Mutex
)

// straightColor is a colour whose RGBA method returns components that are
// not premultiplied by alpha, which is what vgpdf expects.
type straightColor color.NRGBA

func (c straightColor) RGBA() (r, g, b, a uint32) {
	return uint32(c.R) * 0x101, uint32(c.G) * 0x101, uint32(c.B) * 0x101, uint32(c.A) * 0x101
}

// pdfSubstitutes spells characters outside code page 1252 that figure text
// is likely to hold.
var pdfSubstitutes = map[rune]string{
	'≥': ">=", '≤': "<=", '−': "-", '≠': "!=", '≈': "~", '→': "->", '×': "x",
}

// pdfText encodes s in code page 1252; runes it cannot encode are spelled
// with pdfSubstitutes or replaced by '?'.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		if sub, ok := pdfSubstitutes[r]; ok {
			b.WriteString(sub)
			continue
		}
		b.WriteByte('?')
	}
	return b.String()
}
