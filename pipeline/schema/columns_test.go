package schema

import (
	"encoding/json"
	"reflect"
	"runtime"
	"testing"
)

// TestKMRowsMarshalMatchesColumns: the direct writer of KMRows gives the
// bytes encoding/json gives for the same columns (kmColumns), including
// nulls, exponents and several arm runs, and reads back to the rows.
func TestKMRowsMarshalMatchesColumns(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	rows := []KMRow{
		{Arm: "KETAMINE", Time: 0.0001, NRisk: 10, NEvent: 1, Surv: 0.9, StdErr: f(3.4e-7), Lower: f(0.5), Upper: f(1)},
		{Arm: "KETAMINE", Time: 2.5, NRisk: 9, NEvent: 9, NCensor: 0, Surv: 0},
		{Arm: "MIDAZOLAM", Time: 1e21, NRisk: 3, NCensor: 1, Surv: 1, StdErr: f(0), Lower: f(1), Upper: f(1)},
		{Arm: "KETAMINE", Time: 12, NRisk: 1, NEvent: 1, Surv: 0.25, StdErr: f(-0), Lower: f(1e-9), Upper: f(0.75)},
	}
	// A curve long enough for its columns to be formatted concurrently.
	long := make([]KMRow, 0, 3*chunkRows+5)
	for i := range cap(long) {
		se := float64(i/3) * 1e-9
		long = append(long, KMRow{Arm: []string{"A", "B"}[i*2/cap(long)], Time: float64(i) / 7, NRisk: cap(long) - i, NEvent: i % 2, Surv: 1 / float64(i/2+1), StdErr: &se}) // surv repeats in pairs, as on rows of censorings only
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		for _, rows := range [][]KMRow{rows, long} {
			checkKMRowsMarshal(t, rows)
		}
	}
}

func checkKMRowsMarshal(t *testing.T, rows []KMRow) {
	t.Helper()
	got, err := KMTable(rows).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	n := len(rows)
	c := kmColumns{Arms: runs(n, func(i int) string { return rows[i].Arm }), Time: make(Floats, n), NRisk: make(Ints, n), NEvent: make(Ints, n), NCensor: make(Ints, n), Surv: make(Floats, n),
		StdErr: optFloats(n, func(i int) *float64 { return rows[i].StdErr }), Lower: optFloats(n, func(i int) *float64 { return rows[i].Lower }), Upper: optFloats(n, func(i int) *float64 { return rows[i].Upper })}
	for i, r := range rows {
		c.Time[i], c.NRisk[i], c.NEvent[i], c.NCensor[i], c.Surv[i] = r.Time, r.NRisk, r.NEvent, r.NCensor, r.Surv
	}
	want, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%d rows: the columns differ from encoding/json's", n)
	}
	var back KMRows
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Rows(), rows) {
		t.Errorf("read back %+v, want %+v", back, rows)
	}
}
