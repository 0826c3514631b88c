package fit

import (
	"bytes"
	"math"
	"runtime"
	"strings"
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
		for i := range n {
			v := 1 - float64(i)/float64(n+1)
			se := v / 7
			ep.KM = append(ep.KM, schema.KMRow{Arm: []string{"KETAMINE", "+MIDAZOLAM"}[i%2], Time: float64(i) / 3, NRisk: n - i, NEvent: i % 3, NCensor: i % 2, Surv: v, StdErr: &se, Lower: &se})
		}
		res.Endpoints = append(res.Endpoints, ep)
	}
	sequential := Table{File: KMFile, Header: KMHeader, Rows: kmRows}
	chunked := sequential
	chunked.Len, chunked.Row = func(ep *schema.Endpoint) int { return len(ep.KM) }, kmRow
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
	res.Endpoints[0].KM[4*rowChunk+3].Surv = nan
	var got bytes.Buffer
	if err := writeTable(&got, res, chunked, false); err == nil || !strings.Contains(err.Error(), "non-finite number NaN") {
		t.Errorf("error %v, want the non-finite number named", err)
	}
}
