package figure

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// fixtureStudy is the study of the R fixture (testdata/km_fixture.R).
var fixtureStudy = schema.StudyInfo{
	ID:        "FIXTURE",
	Title:     "Synthetic fixture for figure tests",
	Synthetic: true,
	Arms: []schema.ArmInfo{
		{Name: "SSRI", Label: "Conventional antidepressant", Class: "conventional"},
		{Name: "KET", Label: "Ketamine", Class: "ketamine"},
	},
	Control:       "SSRI",
	ControlSource: "study",
}

// readKM reads testdata/km_<paramcd>.csv written by km_fixture.R (R
// summary(survfit(Surv(AVAL, 1 - CNSR) ~ TRTP, conf.type = "log-log"),
// censored = TRUE)); empty bounds are NA.
func readKM(t testing.TB, paramcd string) []schema.KMRow {
	t.Helper()
	recs := readCSV(t, filepath.Join("testdata", "km_"+paramcd+".csv"))
	var rows []schema.KMRow
	for _, r := range recs[1:] {
		opt := func(s string) *float64 {
			if s == "" {
				return nil
			}
			v := parseFloat(t, s)
			return &v
		}
		rows = append(rows, schema.KMRow{
			Arm: r[0], Time: parseFloat(t, r[1]), NRisk: parseInt(t, r[2]), NEvent: parseInt(t, r[3]),
			NCensor: parseInt(t, r[4]), Surv: parseFloat(t, r[5]), StdErr: opt(r[6]),
			Lower: opt(r[7]), Upper: opt(r[8]),
		})
	}
	return rows
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func parseFloat(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func parseInt(t testing.TB, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fixtureEndpoint builds an endpoint from the R km rows.
func fixtureEndpoint(t testing.TB, paramcd, label, kind, scale string) schema.Endpoint {
	km := readKM(t, paramcd)
	ep := schema.Endpoint{Paramcd: paramcd, Label: label, Kind: kind, TimeScale: scale, Status: "ok", KM: schema.KMTable(km)}
	seen := map[string]bool{}
	for i, r := range km {
		if seen[r.Arm] {
			continue
		}
		seen[r.Arm] = true
		s := schema.ArmSummary{Arm: r.Arm, N: r.NRisk}
		for _, q := range km[i:] {
			if q.Arm == r.Arm {
				s.Events += q.NEvent
				s.Censored += q.NCensor
			}
		}
		ep.Arms = append(ep.Arms, s)
	}
	return ep
}

func fixtureResults(t testing.TB) schema.Results {
	return schema.Results{
		Schema: schema.SchemaVersion,
		Study:  fixtureStudy,
		Input:  schema.Input{File: "testdata/fixture_data.csv", Rows: 88},
		Conventions: schema.Conventions{
			TimeUnit: "days", ConfType: "log-log", ConfLevel: 0.95, Variance: "Greenwood", ReferenceArm: "SSRI",
			Methods: []string{"km"},
		},
		Status: "ok",
		Endpoints: []schema.Endpoint{
			fixtureEndpoint(t, "RESP", "Time to response (MADRS ≥ 50% reduction)", "response", "log"),
			fixtureEndpoint(t, "RELAPSE", "Time to relapse after response", "relapse", "linear"),
		},
		Software: schema.Software{Program: "figure tests"},
	}
}

// TestFixtureJSON keeps testdata/results.json (used by cmd/plot's tests)
// in step with the R km rows.
func TestFixtureJSON(t *testing.T) {
	res := fixtureResults(t)
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	checkGolden(t, "results.json", got)
}
