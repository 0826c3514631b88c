package figure

import (
	"io"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// BenchmarkModelKinds builds and renders as SVG the aft, cure and cif
// figures of the fixtures (testdata/models, testdata/cmprsk).
func BenchmarkModelKinds(b *testing.B) {
	for _, tt := range []struct{ dir, kind, paramcd string }{
		{"models", "aft", "TTRESP"}, {"models", "cure", "TTRESP"}, {"cmprsk", "cif", "TTRELAPSE"},
	} {
		res := modelResults(b, tt.dir)
		ep := modelEndpoint(b, res, tt.paramcd)
		k, _ := LookupKind(tt.kind)
		b.Run(tt.kind, func(b *testing.B) {
			for b.Loop() {
				d, err := k.Build(res, ep)
				if err != nil {
					b.Fatal(err)
				}
				if err := d.Render(io.Discard, "svg", DefaultWidth, DefaultHeight); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCumulativeIncidence prepares the cif figure (no drawing) of a
// trial of n subjects in two arms, two causes: one sort per arm and cause,
// a binary search per tick.
func BenchmarkCumulativeIncidence(b *testing.B) {
	// n is the trial's subjects: n/2 an arm, each arm with n/2 times of
	// both causes. Beyond 1e6 the figure's input alone (decoded from
	// results.json) takes several gigabytes.
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		if testing.Short() && n > 1e5 {
			continue
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			res, ep := cifBenchEndpoint(n / 2)
			for b.Loop() {
				if _, err := CumulativeIncidence(res, ep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cifBenchEndpoint is a relapse endpoint of two arms of n subjects, each
// with an event of interest or competing event at every time.
func cifBenchEndpoint(n int) (*schema.Results, *schema.Endpoint) {
	ep := &schema.Endpoint{Paramcd: "X", Kind: "relapse", Status: "ok",
		EventTypes: &schema.EventTypes{EventOfInterest: "E", Competing: []string{"C"}}}
	var cif []schema.CIFRow
	var km []schema.KMRow
	for _, arm := range []string{"A", "B"} {
		s := 1.0
		for i := range n {
			tm := float64(i+1) / float64(n) * 84
			s *= 1 - 0.5/float64(n)
			km = append(km, schema.KMRow{Arm: arm, Time: tm, NRisk: n - i, NEvent: 1, Surv: s})
			for c, p := range [2]float64{0.4, 0.1} {
				cif = append(cif, schema.CIFRow{Arm: arm, Cause: []string{"E", "C"}[c], Time: tm, NRisk: n - i, CIF: p * float64(i+1) / float64(n)})
			}
		}
	}
	ep.KM = schema.KMTable(km)
	ep.SetSection("cif", cif)
	res := &schema.Results{Conventions: schema.Conventions{Methods: []string{"km", "cif"}}}
	return res, ep
}
