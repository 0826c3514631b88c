package guyot

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzReconstruct feeds Reconstruct arbitrary curves, numbers at risk and
// marks: it must return an error or a reconstruction with one finite,
// ascending row per subject, never panic.
func FuzzReconstruct(f *testing.F) {
	f.Add([]byte{0, 0, 10, 1, 2, 9, 200, 128, 90, 40}, uint8(2), uint16(10), uint8(3))
	f.Add([]byte{5, 250, 5, 200, 9, 120, 9, 60, 12, 60}, uint8(3), uint16(40), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, nTable uint8, n0 uint16, nMarks uint8) {
		if len(data) > 400 || n0 == 0 || n0 > 2000 {
			return
		}
		var in Input
		// Points: pairs of bytes, time in 0..25.5, survival in 0..1.02.
		for i := 0; i+1 < len(data); i += 2 {
			in.Time = append(in.Time, float64(data[i])/10)
			in.Surv = append(in.Surv, float64(data[i+1])/250)
		}
		if len(in.Time) == 0 {
			return
		}
		// Numbers at risk: falling from n0 by the bytes, every 3.
		in.RiskTime, in.NRisk = []float64{0}, []int{int(n0)}
		for j := 1; j <= int(nTable%8) && j < len(data); j++ {
			in.RiskTime = append(in.RiskTime, 3*float64(j))
			in.NRisk = append(in.NRisk, max(0, in.NRisk[j-1]-int(data[j])%7))
		}
		for j := range int(nMarks % 16) {
			if 2*j+1 < len(data) {
				in.CensorTime = append(in.CensorTime, float64(binary.LittleEndian.Uint16(data[2*j:]))/2000)
			}
		}
		if len(data) > 0 && data[0]%3 == 0 {
			in.TotalEvents = int(data[len(data)-1]) % (int(n0) + 1)
		}
		r, err := Reconstruct(in)
		if err != nil {
			return
		}
		if len(r.Time) != int(n0) || len(r.Event) != int(n0) {
			t.Fatalf("%d rows, want %d", len(r.Time), n0)
		}
		for i, x := range r.Time {
			if math.IsNaN(x) || math.IsInf(x, 0) || (i > 0 && x < r.Time[i-1]) {
				t.Fatalf("row %d: time %v after %v", i, x, r.Time[max(0, i-1)])
			}
		}
		if math.IsNaN(r.MaxKMDiff) {
			t.Fatal("MaxKMDiff is NaN")
		}
	})
}
