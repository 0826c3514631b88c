package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// panels lays several pages out in a grid, left to right then top to
// bottom, with the figure's title above and its notes below them all.
type panels struct {
	title string
	pages []*page
	cols  int
	notes []string
}

func (ps *panels) draw(c draw.Canvas) error {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	inner := draw.Crop(c, margin, -margin, margin, -margin)
	titleStyle := style(sansBold, titleSize, color.Black)
	titleStyle.XAlign, titleStyle.YAlign = draw.XCenter, draw.YTop
	titleLines := wrap(titleStyle, ps.title, inner.Size().X)
	titleH := vg.Length(len(titleLines))*titleSize*rowSpacing + 2
	notes := (&page{notes: ps.notes}).noteLines(inner.Size().X)
	notesH := vg.Length(len(notes))*noteSize*rowSpacing + 2
	n := len(ps.pages)
	cols := max(1, min(ps.cols, n))
	rows := (n + cols - 1) / cols
	top, bottom := inner.Max.Y-titleH, inner.Min.Y+notesH
	cellW := (c.Max.X - c.Min.X) / vg.Length(cols)
	cellH := (top - bottom + 2*margin) / vg.Length(rows)
	for i, pg := range ps.pages {
		r, k := i/cols, i%cols
		cell := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Min.X + vg.Length(k)*cellW, Y: top + margin - vg.Length(r+1)*cellH},
			Max: vg.Point{X: c.Min.X + vg.Length(k+1)*cellW, Y: top + margin - vg.Length(r)*cellH},
		}}
		if err := pg.draw(cell); err != nil {
			return fmt.Errorf("panel %d of %d: %w", i+1, n, err)
		}
	}
	// Title and notes last: the panels' white backgrounds reach into
	// the margins around them.
	for i, l := range titleLines {
		inner.FillText(titleStyle, vg.Point{X: (inner.Min.X + inner.Max.X) / 2, Y: inner.Max.Y - vg.Length(i)*titleSize*rowSpacing}, l)
	}
	y := inner.Min.Y + notesH - 1
	for _, n := range notes {
		inner.FillText(n.style, vg.Point{X: inner.Min.X, Y: y}, n.text)
		y -= noteSize * rowSpacing
	}
	return nil
}
