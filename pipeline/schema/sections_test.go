package schema

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// A section is written as a key of the endpoint named as its method and
// read back unchanged; fields keep their keys.
func TestSectionsRoundTrip(t *testing.T) {
	ep := Endpoint{Paramcd: "TTRESP", Status: StatusOK}
	ep.SetSection("nelson_aalen", []CumHazRow{{Arm: "KET", Time: 1, NRisk: 10, NEvent: 2, CumHaz: 0.2, StdErr: 0.1}})
	data, err := json.Marshal(ep)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"nelson_aalen":[{"arm":"KET"`) {
		t.Errorf("JSON %s has no nelson_aalen key", data)
	}
	var back Endpoint
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	var rows []CumHazRow
	if ok, err := back.Section("nelson_aalen", &rows); !ok || err != nil || len(rows) != 1 || rows[0].CumHaz != 0.2 {
		t.Errorf("section read back %v, %v, %+v", ok, err, rows)
	}
	if back.Paramcd != "TTRESP" || len(back.Sections) != 1 {
		t.Errorf("endpoint read back %+v", back)
	}
}

// A term that is not estimable has null numbers, never 0.
func TestCoxTermNull(t *testing.T) {
	data, _ := json.Marshal(CoxTerm{Term: "TRTP:B", Reference: "A"})
	if !strings.Contains(string(data), `"hr":null`) || !strings.Contains(string(data), `"p_value":null`) {
		t.Errorf("not estimable term written %s", data)
	}
}

func TestParseStatus(t *testing.T) {
	if _, err := ParseStatus("ok"); err == nil {
		t.Error("ok accepted as an allowable status")
	}
	if s, err := ParseStatus("singular"); err != nil || s != StatusSingular {
		t.Errorf("ParseStatus(singular) = %v, %v", s, err)
	}
}

// The Schoenfeld residuals are written by column and read back as rows;
// Floats formats numbers as encoding/json does.
func TestZPHResidualsRoundTrip(t *testing.T) {
	in := ZPHSection{Transform: "km", Residuals: SchoenfeldResiduals{Time: Floats{1, 2}, X: Floats{0.1, 0.3}, Terms: []string{"A", "B"},
		Y: []Floats{{0.5, -1}, {math.NaN(), 2}}}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"time":[1,2]`) || !strings.Contains(string(data), `"y":[[0.5,-1],[null,2]]`) {
		t.Errorf("JSON %s", data)
	}
	var out ZPHSection
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	rows := out.Residuals.Rows()
	if len(rows) != 4 || rows[1].Residual != nil || *rows[3].Residual != 2 || rows[2].Term != "A" {
		t.Errorf("read back %+v", rows)
	}
	for _, v := range []float64{0, 1, -0.25, 1e-7, 1.5e-12, 3e21, 123456789.125, 5e-324, math.MaxFloat64} {
		want, _ := json.Marshal(v)
		got, _ := Floats{v}.MarshalJSON()
		if string(got) != "["+string(want)+"]" {
			t.Errorf("Floats{%v} = %s, encoding/json %s", v, got, want)
		}
	}
}

// The KM table is written by column and read back, and the older array of
// rows still reads.
func TestKMColumns(t *testing.T) {
	lo := 0.2
	in := KMTable([]KMRow{{Arm: "A", Time: 1, NRisk: 3, NEvent: 1, Surv: 2.0 / 3, Lower: &lo}, {Arm: "A", Time: 2, NRisk: 2, NCensor: 1, Surv: 2.0 / 3}, {Arm: "B", Time: 1, NRisk: 1, NEvent: 1}})
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"arms":[{"arm":"A","rows":2},{"arm":"B","rows":1}]`) || !strings.Contains(string(data), `"lower":[0.2,null,null]`) {
		t.Errorf("JSON %s", data)
	}
	var out KMRows
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if rows := out.Rows(); len(rows) != 3 || rows[2].Arm != "B" || *rows[0].Lower != 0.2 || rows[1].Lower != nil || rows[1].NCensor != 1 || len(out.Arms) != 2 {
		t.Errorf("read back %+v", out)
	}
	old, _ := json.Marshal(in.Rows())
	if err := json.Unmarshal(old, &out); err != nil || out.Len() != 3 || !reflect.DeepEqual(out.Rows(), in.Rows()) {
		t.Errorf("rows: %v %+v", err, out)
	}
}
