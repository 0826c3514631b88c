package figure

import (
	"io"
	"testing"
)

// BenchmarkRender renders the 48-subject response figure (log time axis,
// two arms, bands, censoring marks, numbers at risk) at 16 × 12 cm; PNG at
// DefaultDPI (300). Run: go test ./pipeline/figure -run '^$' -bench Render
func BenchmarkRender(b *testing.B) {
	f := fixtureFigure(b, "RESP")
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := f.Render(io.Discard, format, DefaultWidth, DefaultHeight); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCurves prepares the figure from the km rows (no drawing).
func BenchmarkCurves(b *testing.B) {
	res := fixtureResults(b)
	for b.Loop() {
		if _, err := Curves(res.Endpoints[0], res.Study); err != nil {
			b.Fatal(err)
		}
	}
}
