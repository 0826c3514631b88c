package derive

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// benchData simulates n subjects with 8 weekly MADRS visits each (8n rows),
// in shuffled row order.
func benchData(n int) *Data {
	rng := rand.New(rand.NewPCG(1, 1))
	d := &Data{StudyID: "S1"}
	for i := range n {
		id := fmt.Sprintf("S1-%07d", i)
		arm := "KET"
		if i%2 == 1 {
			arm = "PBO"
		}
		d.Subjects = append(d.Subjects, Subject{USUBJID: id, Arm: arm, RandDay: 28, EndDay: math.NaN(), RescueDay: math.NaN(), Line: i + 2})
		base := 25 + 15*rng.Float64()
		for v := range 8 {
			day := float64(7 * v)
			val := math.Round(base * (1 - 0.1*float64(v)*rng.Float64()))
			if v >= 5 {
				val = math.Round(base * rng.Float64())
			}
			d.Assessments = append(d.Assessments, Assessment{USUBJID: id, Param: "MADRS", Visit: fmt.Sprintf("WEEK%d", v), Day: day, Value: val, Line: len(d.Assessments) + 2})
		}
	}
	rng.Shuffle(len(d.Assessments), func(i, j int) { d.Assessments[i], d.Assessments[j] = d.Assessments[j], d.Assessments[i] })
	return d
}

func BenchmarkDerive(b *testing.B) {
	s, err := study.Parse("study.yaml", []byte(`id: S1
time_unit: days
arms: [{name: KET, class: ketamine}, {name: PBO, class: placebo}]
control: PBO
endpoints:
  - {paramcd: TTRESP, kind: response, derive: {source: MADRS, event: {reduction: 0.5}}}
  - {paramcd: TTREMIT, kind: remission, derive: {source: MADRS, event: {at_most: 10, sustained: 2}}}
  - {paramcd: TTRELAPSE, kind: relapse, derive: {source: MADRS, relapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}}}}
`))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1e2, 1e3, 1e4, 1e5} {
		d := benchData(n)
		b.Run(fmt.Sprintf("rows=%d", len(d.Assessments)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Derive(s, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDeriveCompeting is BenchmarkDerive's response endpoint with
// competing events: a third of the subjects discontinue (lack of efficacy,
// adverse event or withdrawal, in turn) and a sixth are rescued.
func BenchmarkDeriveCompeting(b *testing.B) {
	s, err := study.Parse("study.yaml", []byte(`id: S1
time_unit: days
arms: [{name: KET, class: ketamine}, {name: PBO, class: placebo}]
control: PBO
endpoints:
  - {paramcd: TTRESP, kind: response, derive: {source: MADRS, event: {reduction: 0.5}, competing: [LACK_OF_EFFICACY, ADVERSE_EVENT, RESCUE]}}
`))
	if err != nil {
		b.Fatal(err)
	}
	reasons := []string{"LACK OF EFFICACY", "ADVERSE EVENT", "WITHDRAWAL BY SUBJECT"}
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		if n == 1e6 && testing.Short() {
			continue
		}
		d := benchData(n)
		for i := range d.Subjects {
			if i%3 == 0 {
				d.Subjects[i].EndDay, d.Subjects[i].DiscReason = float64(10+i%30), reasons[(i/3)%3]
			}
			if i%6 == 1 {
				d.Subjects[i].RescueDay = float64(5 + i%40)
			}
		}
		b.Run(fmt.Sprintf("rows=%d", len(d.Assessments)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Derive(s, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
