package figure

import (
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
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

// BenchmarkCurves prepares the figure (no drawing) of a trial of n
// subjects in two arms, a km row each (continuous times): one sort per
// arm, then a binary search per tick.
func BenchmarkCurves(b *testing.B) {
	for _, n := range []int{1e2, 1e3, 1e4, 1e5, 1e6, 1e7} {
		if testing.Short() && n > 1e5 {
			continue
		}
		ep := schema.Endpoint{Paramcd: "X", Kind: "response", TimeScale: "log", Status: "ok"}
		for _, arm := range []string{"A", "B"} {
			m := n / 2
			a := schema.KMArm{Arm: arm, Time: make([]float64, m), NRisk: make([]int, m), NEvent: make([]int, m), NCensor: make([]int, m),
				Surv: make([]float64, m), StdErr: make([]float64, m), Lower: make([]float64, m), Upper: make([]float64, m)}
			s := 1.0
			for i := range m {
				s *= 1 - 0.5/float64(m)
				a.Time[i], a.NRisk[i], a.NEvent[i], a.NCensor[i] = float64(i+1)/float64(m)*28, m-i, 1, i%2
				a.Surv[i], a.StdErr[i], a.Lower[i], a.Upper[i] = s, math.NaN(), s*0.9, s
			}
			ep.KM.Add(a)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Curves(ep, schema.StudyInfo{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKinds builds and renders (SVG, and PNG at DefaultDPI) each new
// kind on the example study's TTRESP endpoint.
func BenchmarkKinds(b *testing.B) {
	res := exampleResults(b)
	ep := exampleEndpoint(b, res, "TTRESP")
	for _, name := range []string{"km", "forest", "nelson_aalen", "rmst", "zph", "loglog"} {
		k, err := LookupKind(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, format := range []string{"svg", "png"} {
			b.Run(name+"/"+format, func(b *testing.B) {
				for b.Loop() {
					d, err := k.Build(res, ep)
					if err != nil {
						b.Fatal(err)
					}
					if err := d.Render(io.Discard, format, DefaultWidth, DefaultHeight); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkForestRows prepares forest plots with one subgroup column of n
// levels (no drawing): linear in the rows.
func BenchmarkForestRows(b *testing.B) {
	res := exampleResults(b)
	base := *exampleEndpoint(b, res, "TTRESP")
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		if testing.Short() && n > 1e5 {
			continue
		}
		ep := base
		ep.Subgroups = make([]schema.Endpoint, n)
		for i := range ep.Subgroups {
			ep.Subgroups[i] = schema.Endpoint{Paramcd: ep.Paramcd, Subgroup: "SITE", Level: strconv.Itoa(i), Status: "ok", Arms: base.Arms, Cox: base.Cox}
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := NewForest(res, &ep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLocalLinear times the zph smooth on n residuals: O(n) per grid
// point after the sort. 1e6 is skipped under -short.
func BenchmarkLocalLinear(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			if testing.Short() && n >= 1e6 {
				b.Skip("1e6 residuals under -short")
			}
			rnd := rand.New(rand.NewPCG(1, 1))
			x, y := make([]float64, n), make([]float64, n)
			for i := range x {
				x[i], y[i] = rnd.Float64(), rnd.NormFloat64()
			}
			for b.Loop() {
				LocalLinear(x, y)
			}
		})
	}
}

// BenchmarkSubjectFigures prepares and draws (SVG) the BPD pilot's
// trajectory, spaghetti and swimmer figures.
func BenchmarkSubjectFigures(b *testing.B) {
	rows := bpdSwimmerRows(b)
	for b.Loop() {
		tr, _ := bpdTrajectory(b, "MADRS", false)
		sp, _ := bpdTrajectory(b, "MADRS", true)
		sw, err := NewSwimmer(bpdResults, rows)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range []Drawing{tr, sp, sw} {
			if err := d.Render(io.Discard, "svg", DefaultWidth, DefaultHeight); err != nil {
				b.Fatal(err)
			}
		}
	}
}
