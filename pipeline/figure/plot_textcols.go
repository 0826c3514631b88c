package figure

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TextColumns is a plot.Plotter drawing columns of text beside the data
// area, one cell per row at the row's data y, so that each line of text sits
// exactly on its row of the plot (the forest plot's n, events, HR (CI) and p
// columns). Left columns are laid out leftwards from the data area's left
// edge, right columns rightwards from its right edge; the figure layout
// reserves Width() on that side.
type TextColumns struct {
	// Right puts the columns right of the data area.
	Right   bool
	Columns []TextColumn
	// Y are the rows' data y positions; HeaderY is the headers' row.
	Y       []float64
	HeaderY float64
	// Bold marks rows drawn in bold (section headings); nil for none.
	Bold []bool
}

// TextColumn is one column: its header, the alignment of its cells and one
// cell per row.
type TextColumn struct {
	Header string
	// AlignRight right-aligns the cells (numbers); otherwise left.
	AlignRight bool
	Cells      []string
}

const columnGap = 8

func (t TextColumns) cellStyle(bold bool) text.Style {
	if bold {
		return style(sansBold, textSize, color.Black)
	}
	return style(sans, textSize, color.Black)
}

// widths returns the width of each column: its widest cell or header.
func (t TextColumns) widths() []vg.Length {
	out := make([]vg.Length, len(t.Columns))
	head := t.cellStyle(true)
	for i, col := range t.Columns {
		out[i] = head.Width(col.Header)
		for j, cell := range col.Cells {
			out[i] = max(out[i], t.cellStyle(t.bold(j)).Width(cell))
		}
	}
	return out
}

func (t TextColumns) bold(row int) bool { return row < len(t.Bold) && t.Bold[row] }

// Width is the room the columns need beside the data area.
func (t TextColumns) Width() vg.Length {
	var w vg.Length
	for _, cw := range t.widths() {
		w += cw + columnGap
	}
	return w
}

// Plot implements plot.Plotter.
func (t TextColumns) Plot(c draw.Canvas, p *plot.Plot) {
	_, yOf := p.Transforms(&c)
	widths := t.widths()
	// Left edge of each column, in order.
	lefts := make([]vg.Length, len(t.Columns))
	if t.Right {
		x := c.Max.X + columnGap
		for i, w := range widths {
			lefts[i] = x
			x += w + columnGap
		}
	} else {
		x := c.Min.X - columnGap
		for i := len(widths) - 1; i >= 0; i-- {
			x -= widths[i]
			lefts[i] = x
			x -= columnGap
		}
	}
	put := func(s text.Style, i int, y vg.Length, txt string) {
		s.YAlign = draw.YCenter
		x := lefts[i]
		if t.Columns[i].AlignRight {
			s.XAlign = draw.XRight
			x += widths[i]
		}
		c.FillText(s, vg.Point{X: x, Y: y}, txt)
	}
	for i, col := range t.Columns {
		put(t.cellStyle(true), i, yOf(t.HeaderY), col.Header)
		for j, cell := range col.Cells {
			put(t.cellStyle(t.bold(j)), i, yOf(t.Y[j]), cell)
		}
	}
}
