package fit

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
)

// writeBenchADTTE writes an n-row, two-arm ADTTE file with AGE, SEX and
// BASEMADRS covariates; times are exponential with a treatment hazard ratio
// of 0.7, rounded to whole days (ties), with 30% random censoring.
func writeBenchADTTE(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("adtte_%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	w.WriteString("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE,SEX,BASEMADRS\n")
	for i := 0; i < n; i++ {
		arm, hr := "SSRI", 1.0
		if i%2 == 0 {
			arm, hr = "KETAMINE", 0.7
		}
		age := 18 + rng.IntN(60)
		sex := "F"
		if rng.IntN(2) == 1 {
			sex = "M"
		}
		base := 20 + rng.IntN(30)
		t := math.Ceil(rng.ExpFloat64() * 60 / hr)
		cnsr := 0
		if rng.Float64() < 0.3 {
			cnsr = 1
		}
		fmt.Fprintf(w, "BENCH,S%07d,%s,TTRESP,%s,%d,%d,%s,%d\n", i, arm, strconv.FormatFloat(t, 'f', -1, 64), cnsr, age, sex, base)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkIngestKMCox measures the whole fit stage without writing:
// streaming read and validation of an ADTTE file, Kaplan–Meier, quartiles,
// log-rank and a Cox model (Efron ties, treatment + AGE + SEX + BASEMADRS).
func BenchmarkIngestKMCox(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%.0e", float64(n)), func(b *testing.B) {
			if testing.Short() && n > 1e5 {
				b.Skip("large size skipped in -short mode")
			}
			path := writeBenchADTTE(b, n)
			st, _ := os.Stat(path)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				tab, rep, err := adam.ReadADTTE(path, adam.Options{Reader: adam.ReaderStream})
				if err != nil {
					b.Fatal(err)
				}
				res, err := Analyze(tab, rep, Options{Control: "SSRI", Covariates: []string{"AGE", "SEX", "BASEMADRS"}})
				if err != nil {
					b.Fatal(err)
				}
				if res.Status != "ok" {
					b.Fatalf("status %s", res.Status)
				}
			}
		})
	}
}

// BenchmarkMethod measures each method alone on top of the read (the
// Kaplan–Meier curves are fitted by the methods that need them): compare
// with BenchmarkMethod/km for the cost of a method. Sizes 1e3 … 1e7; 1e6
// and 1e7 are skipped with -short.
func BenchmarkMethod(b *testing.B) {
	for _, m := range []struct {
		name string
		set  Settings
	}{
		{"km", nil}, {"tests", nil}, {"cox", nil}, {"nelson_aalen", nil}, {"rmst", nil},
		{"milestones", Settings{"milestones": {Value: "7,30,90"}}},
		{"zph", Settings{"zph": {Value: "km"}}},
		{"piecewise", Settings{"piecewise": {Value: "30,90"}}},
		{"cross_conventions", nil},
	} {
		for _, n := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
			b.Run(fmt.Sprintf("%s/n=%.0e", m.name, float64(n)), func(b *testing.B) {
				if testing.Short() && n > 1e5 {
					b.Skip("large size skipped in -short mode")
				}
				path := writeBenchADTTE(b, n)
				tab, rep, err := adam.ReadADTTE(path, adam.Options{Reader: adam.ReaderStream})
				if err != nil {
					b.Fatal(err)
				}
				opt := Options{Control: "SSRI", Covariates: []string{"AGE", "SEX", "BASEMADRS"}, Methods: []string{m.name}, Settings: m.set}
				b.ResetTimer()
				for range b.N {
					if _, err := Analyze(tab, rep, opt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
