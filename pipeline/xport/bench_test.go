package xport

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// adtte returns an ADTTE-like table of n rows from a seeded PCG: four
// character and six numeric variables (73-byte observations), as in
// lung_v5.xpt.
func adtte(n int) *Table {
	rng := rand.New(rand.NewPCG(uint64(n), 2026))
	id := make([]string, n)
	arm := make([]string, n)
	study := make([]string, n)
	param := make([]string, n)
	aval := make([]float64, n)
	avalm := make([]float64, n)
	cnsr := make([]float64, n)
	age := make([]float64, n)
	ecog := make([]float64, n)
	miss := make([]Missing, n)
	for i := range n {
		study[i], param[i] = "KETCURVE", "TTRESP"
		id[i] = fmt.Sprintf("KET-%07d", i+1)
		arm[i] = []string{"KETAMINE", "SSRI"}[rng.IntN(2)]
		aval[i] = math.Ceil(rng.ExpFloat64() * 60)
		avalm[i] = aval[i] / 30.4375
		cnsr[i] = float64(rng.IntN(2))
		age[i] = float64(18 + rng.IntN(60))
		ecog[i] = float64(rng.IntN(4))
		if rng.IntN(20) == 0 {
			ecog[i], miss[i] = math.NaN(), MissingDot
		}
	}
	num := func(name string, v []float64, m []Missing) Column {
		return Column{Name: name, Type: Numeric, Float: v, Missing: m}
	}
	return &Table{Name: "ADTTE", Rows: n, Columns: []Column{
		{Name: "STUDYID", Type: Char, String: study}, {Name: "USUBJID", Type: Char, String: id},
		{Name: "TRTP", Type: Char, String: arm}, {Name: "PARAMCD", Type: Char, String: param},
		num("AVAL", aval, nil), num("AVALM", avalm, nil), num("CNSR", cnsr, nil),
		num("AGE", age, nil), num("PHECOG", ecog, miss), num("DAY", aval, nil),
	}}
}

func benchSizes(b *testing.B) []int {
	if testing.Short() {
		return []int{1e3, 1e5}
	}
	return []int{1e3, 1e5, 1e6}
}

func BenchmarkDecode(b *testing.B) {
	for _, n := range benchSizes(b) {
		var buf bytes.Buffer
		if err := Write(&buf, []*Table{adtte(n)}, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	for _, n := range benchSizes(b) {
		tab := adtte(n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := Write(&buf, []*Table{tab}, WriteOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRecords(b *testing.B) {
	for _, n := range benchSizes(b) {
		tab := adtte(n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = tab.Records()
			}
		})
	}
}
