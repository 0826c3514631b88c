package fit

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// TestChunkedTableIsSequential: a table long enough to be formatted in
// chunks on all cores (km.csv of a continuous-time trial) has the bytes
// of the row-by-row writer, whatever the number of cores, across several
// endpoints and chunk boundaries; a non-finite number in a late chunk is
// still an error.
func TestChunkedTableIsSequential(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	res := &schema.Results{}
	for e, n := range []int{5*rowChunk + 17, 3, 2 * rowChunk} {
		ep := schema.Endpoint{Paramcd: []string{"TTRESP", "TTREMIT", "=TTRELAPSE"}[e]}
		var rows []schema.KMRow
		for i := range n {
			arm := []string{"KETAMINE", "+MIDAZOLAM", "A, B", `say "x"`, " lead"}[i/4%5]
			v := 1 - float64(i/2)/float64(n+1) // repeated on every other row, as on a row of censorings only
			se := v / 7
			r := schema.KMRow{Arm: arm, Time: float64(i) / 3, NRisk: n - i, NEvent: i % 3, NCensor: i % 2, Surv: v, StdErr: &se, Lower: &se}
			if i%7 == 3 {
				r.Lower = nil // NA between repeated numbers
			}
			rows = append(rows, r)
		}
		ep.KM = schema.KMTable(rows)
		res.Endpoints = append(res.Endpoints, ep)
	}
	sequential := Table{File: KMFile, Header: KMHeader, Rows: kmRows}
	chunked := sequential
	chunked.Len, chunked.Append = func(ep *schema.Endpoint) int { return ep.KM.Len() }, appendKMRows
	var want bytes.Buffer
	if err := writeTable(&want, res, sequential, false); err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		var got bytes.Buffer
		if err := writeTable(&got, res, chunked, false); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("GOMAXPROCS %d: chunked km.csv differs from the sequential one", procs)
		}
	}
	nan := math.NaN()
	res.Endpoints[0].KM.Arms[rowChunk+1].Surv[0] = nan // row 4*rowChunk+4: blocks of 4 rows
	var got bytes.Buffer
	if err := writeTable(&got, res, chunked, false); err == nil || !strings.Contains(err.Error(), "non-finite number NaN") {
		t.Errorf("error %v, want the non-finite number named", err)
	}
}

// TestWriteJSONStreamed: results.json of a curve long enough to be written
// in pieces is compact JSON (as any results.json beyond IndentLimit), ends
// with a newline and reads back to the same results.
func TestWriteJSONStreamed(t *testing.T) {
	ep := schema.Endpoint{Paramcd: "TTRESP", Status: schema.StatusOK, Statuses: []schema.Status{schema.StatusOK}}
	rows := make([]schema.KMRow, 0, streamKMRows)
	for i := range streamKMRows {
		se := float64(i) * 1e-7
		rows = append(rows, schema.KMRow{Arm: []string{"KETAMINE", "MIDAZOLAM"}[2*i/streamKMRows], Time: float64(i) / 3, NRisk: streamKMRows - i, NEvent: 1, Surv: 1 - float64(i)/float64(streamKMRows+1), StdErr: &se})
	}
	ep.KM = schema.KMTable(rows)
	res := &schema.Results{Endpoints: []schema.Endpoint{ep}}
	var b bytes.Buffer
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if len(data) <= IndentLimit || !bytes.HasSuffix(data, []byte("}\n")) || bytes.Contains(data, []byte("\n  ")) {
		t.Fatalf("%d bytes, not compact JSON beyond IndentLimit ending in a newline", len(data))
	}
	var back schema.Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Endpoints[0].KM.Rows(), rows) || back.Endpoints[0].Paramcd != "TTRESP" {
		t.Errorf("results.json does not read back to its KM rows")
	}
}

// TestSharedConcurrent: concurrent callers of one key get the value of a
// single computation; an error is not cached.
func TestSharedConcurrent(t *testing.T) {
	ctx := &Context{}
	var calls atomic.Int32
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Go(func() {
			got[i], _ = Shared(ctx, "k", func() (int, error) { calls.Add(1); return 42, nil })
		})
	}
	wg.Wait()
	if calls.Load() != 1 || slices.ContainsFunc(got, func(v int) bool { return v != 42 }) {
		t.Errorf("%d computations, values %v; want 1 and 42 each", calls.Load(), got)
	}
	fail := errors.New("no")
	if _, err := Shared(ctx, "e", func() (int, error) { return 0, fail }); err != fail {
		t.Fatalf("error %v", err)
	}
	if v, err := Shared(ctx, "e", func() (int, error) { return 7, nil }); err != nil || v != 7 {
		t.Errorf("after an error: %d, %v; want a new computation", v, err)
	}
}

// TestView: all rows in order are the column itself (not copied, not
// appendable into it); any other rows are a copy.
func TestView(t *testing.T) {
	col := []float64{1, 2, 3, 4}
	tests := []struct {
		name   string
		rows   []int
		want   []float64
		shared bool
	}{
		{"all rows", []int{0, 1, 2, 3}, col, true},
		{"a subset", []int{1, 3}, []float64{2, 4}, false},
		{"all rows reordered", []int{1, 0, 2, 3}, []float64{2, 1, 3, 4}, false},
		{"no rows of an empty column", nil, nil, false},
	}
	for _, tt := range tests {
		got := view(col, tt.rows)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		if shared := len(got) > 0 && &got[0] == &col[0]; shared != tt.shared {
			t.Errorf("%s: shares the column %v, want %v", tt.name, shared, tt.shared)
		}
		if tt.shared && cap(got) != len(got) {
			t.Errorf("%s: an append would write into the column", tt.name)
		}
	}
}
