package cmprsk

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// benchSizes are the sizes of the benchmarks; 1e7 (and 1e6 for the
// multi-state curves) are skipped under -short.
var benchSizes = []int{1e3, 1e4, 1e5, 1e6, 1e7}

func skipLarge(b *testing.B, n, shortMax int) {
	if testing.Short() && n > shortMax {
		b.Skipf("n=%d skipped under -short", n)
	}
}

// BenchmarkFineGray includes n = 5e4 to compare with R on the same rows
// (written by TestWriteBenchData): crr took 469 s (4.4 s with variance =
// FALSE) with R 4.2.2 and cmprsk 2.2.11 on the 2-core machine where FineGray
// took about 22 ms; the two agree to 1e-13 in coef and 7e-8 in se(coef).
func BenchmarkFineGray(b *testing.B) {
	for _, n := range append([]int{5e4}, benchSizes...) {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n, 1e6)
			time, status, x := simCompeting(n, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := FineGray(time, status, x, FineGrayOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCumulativeIncidence(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n, 1e6)
			time, status, _ := simCompeting(n, 2)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := CumulativeIncidence(time, status, IncidenceOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCumulativeIncidenceDistinct has (almost) no tied times, so that
// the number of transition times grows with n.
func BenchmarkCumulativeIncidenceDistinct(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n, 1e6)
			time, status, _ := simCompeting(n, 2)
			rng := rand.New(rand.NewPCG(5, 5))
			for i := range time {
				time[i] -= rng.Float64()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := CumulativeIncidence(time, status, IncidenceOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAalenJohansen(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("subjects=%d", n), func(b *testing.B) {
			skipLarge(b, n, 1e5)
			d := simMultiState(n, 3, true)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := AalenJohansen(d, MultiStateOptions{Tau: []float64{100}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGrayTest(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n, 1e6)
			time, status, x := simCompeting(n, 4)
			group := make([]int, n)
			for i, v := range x[0] {
				group[i] = int(v)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := GrayTest(time, status, group, GrayOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// writeBench writes the benchmark's Fine–Gray data set, for timing R's crr
// on the same rows:
//
//	go test -run TestWriteBenchData ./pipeline/cmprsk -args -write-bench=/tmp/fg50000.csv -write-bench-n=50000
//	Rscript -e 'library(cmprsk); d <- read.csv("/tmp/fg50000.csv");
//	            print(system.time(crr(d$time, d$status, cbind(d$x1, d$x2))))'
var (
	writeBench  = flag.String("write-bench", "", "write the Fine-Gray benchmark data to this CSV file")
	writeBenchN = flag.Int("write-bench-n", 50000, "rows of -write-bench")
)

func TestWriteBenchData(t *testing.T) {
	if *writeBench == "" {
		t.Skip("no -write-bench file")
	}
	time, status, x := simCompeting(*writeBenchN, 1)
	f, err := os.Create(*writeBench)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"time", "status", "x1", "x2"})
	for i := range time {
		w.Write([]string{strconv.FormatFloat(time[i], 'g', -1, 64), strconv.Itoa(status[i]),
			strconv.FormatFloat(x[0][i], 'g', 17, 64), strconv.FormatFloat(x[1][i], 'g', 17, 64)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
