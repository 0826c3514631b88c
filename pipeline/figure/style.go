package figure

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot/vg"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// ArmStyle is the house style of one arm: the same colour and line style in
// every figure of a study.
type ArmStyle struct {
	Color color.NRGBA
	// Dashes is the line dash pattern; nil is a solid line.
	Dashes []vg.Length
}

// The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color
// Universal Design"), by name.
var (
	okabeBlack      = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	okabeOrange     = color.NRGBA{0xE6, 0x9F, 0x00, 0xff}
	okabeSkyBlue    = color.NRGBA{0x56, 0xB4, 0xE9, 0xff}
	okabeGreen      = color.NRGBA{0x00, 0x9E, 0x73, 0xff}
	okabeBlue       = color.NRGBA{0x00, 0x72, 0xB2, 0xff}
	okabeVermillion = color.NRGBA{0xD5, 0x5E, 0x00, 0xff}
	okabePurple     = color.NRGBA{0xCC, 0x79, 0xA7, 0xff}
)

// Dash patterns, in points: each class has its own, so that arms stay apart
// in greyscale.
var (
	solid       []vg.Length
	dashed      = []vg.Length{vg.Points(6), vg.Points(3)}
	dotted      = []vg.Length{vg.Points(1.5), vg.Points(2)}
	dashDot     = []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}
	longDash    = []vg.Length{vg.Points(10), vg.Points(3)}
	dashDotDot  = []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)}
	shortDashed = []vg.Length{vg.Points(3), vg.Points(2)}
)

// ClassStyles is the house style of each arm class (study.ArmClasses):
//
//	ketamine        vermillion       solid
//	esketamine      reddish purple   dash-dot
//	conventional    blue             dashed
//	placebo         black            dotted
//	active-control  bluish green     long dash
//	other           orange           dash-dot-dot
//
// An arm without a known class is styled as "other".
var ClassStyles = map[string]ArmStyle{
	"ketamine":       {okabeVermillion, solid},
	"esketamine":     {okabePurple, dashDot},
	"conventional":   {okabeBlue, dashed},
	"placebo":        {okabeBlack, dotted},
	"active-control": {okabeGreen, longDash},
	"other":          {okabeOrange, dashDotDot},
}

// spareColors and spareDashes style the second and later arms of a class in
// one study, first unused first.
var (
	spareColors = []color.NRGBA{okabeSkyBlue, okabeOrange, okabeBlue, okabeVermillion, okabeGreen, okabePurple, okabeBlack}
	spareDashes = [][]vg.Length{shortDashed, solid, dashed, dotted, dashDot, longDash, dashDotDot}
)

// ArmStyles returns the style of every arm of the study, in study order,
// then of the extra arms (arms in the results that the study does not
// list), in the order given. An arm gets its class's style (ClassStyles)
// unless an earlier arm already has that colour; it then gets the first
// colour of spareColors and the first dash pattern no earlier arm uses. The
// styles depend only on the study's arm list and the extra arms, so that an
// arm looks the same in every figure of the study.
func ArmStyles(info schema.StudyInfo, extra ...string) map[string]ArmStyle {
	out := make(map[string]ArmStyle, len(info.Arms)+len(extra))
	var usedColors []color.NRGBA
	var usedDashes [][]vg.Length
	dashUsed := func(d []vg.Length) bool {
		return slices.ContainsFunc(usedDashes, func(u []vg.Length) bool { return slices.Equal(u, d) })
	}
	assign := func(name, class string) {
		if _, done := out[name]; done {
			return
		}
		s, ok := ClassStyles[class]
		if !ok {
			s = ClassStyles["other"]
		}
		if slices.Contains(usedColors, s.Color) {
			s = ArmStyle{Color: spareColors[len(spareColors)-1], Dashes: s.Dashes}
			for _, c := range spareColors {
				if !slices.Contains(usedColors, c) {
					s.Color = c
					break
				}
			}
			for _, d := range spareDashes {
				if !dashUsed(d) {
					s.Dashes = d
					break
				}
			}
		}
		usedColors = append(usedColors, s.Color)
		usedDashes = append(usedDashes, s.Dashes)
		out[name] = s
	}
	for _, a := range info.Arms {
		assign(a.Name, a.Class)
	}
	for _, name := range extra {
		assign(name, "")
	}
	return out
}
