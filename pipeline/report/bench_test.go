package report

import (
	"io"
	"strconv"
	"testing"
)

// BenchmarkRender renders reports of 1 to 100 endpoints, each with the
// fixture's figure: the cost is linear in endpoints and figure bytes (the
// Kaplan–Meier rows are not rendered).
func BenchmarkRender(b *testing.B) {
	in, err := Load("testdata/S1/tables/results.json", "testdata/S1/figures", "testdata/S1/ingest.json", "testdata/S1")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10, 100} {
		res := *in.Results
		res.Endpoints = nil
		figs := make(map[string][]Figure)
		for i := range n {
			ep := in.Results.Endpoints[i%len(in.Results.Endpoints)]
			orig := ep.Paramcd
			ep.Paramcd = "EP" + strconv.Itoa(i)
			figs[ep.Paramcd] = in.Figures[orig]
			res.Endpoints = append(res.Endpoints, ep)
		}
		big := &Inputs{Results: &res, ResultsFile: in.ResultsFile, ResultsSHA256: in.ResultsSHA256, Ingest: in.Ingest, Figures: figs}
		b.Run("endpoints="+strconv.Itoa(n)+"/markdown", func(b *testing.B) {
			for b.Loop() {
				if err := Markdown(io.Discard, big); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("endpoints="+strconv.Itoa(n)+"/html", func(b *testing.B) {
			for b.Loop() {
				if err := HTML(io.Discard, big); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
