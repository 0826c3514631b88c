package trajectory

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerance against R: relative 1e-6 (absolute 1e-12 near zero).
const (
	relTol = 1e-6
	absTol = 1e-12
)

func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return rows
}

func parseNum(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

// readScores reads a scores file written by make_reference.R.
func readScores(t testing.TB, name string) Scores {
	t.Helper()
	var s Scores
	for _, r := range readCSV(t, name) {
		s.Subject = append(s.Subject, r["USUBJID"])
		s.Arm = append(s.Arm, r["ARM"])
		s.Param = append(s.Param, r["PARAMCD"])
		s.Visit = append(s.Visit, r["AVISIT"])
		s.Day = append(s.Day, parseNum(t, r["ADY"]))
		s.Value = append(s.Value, parseNum(t, r["AVAL"]))
	}
	return s
}

// TestMeansMatchR compares Means with R (testdata/make_reference.R):
//
//	aggregate(AVAL ~ PARAMCD + AVISIT + ADY + ARM, data = d, FUN = mean)
//	t.test(x, conf.level = level)$conf.int   # per group
//
// on R's ChickWeight (50 chicks, 4 diets, days 0–21, dropouts; no visit
// labels, so the visits are the days) at levels 0.95 and 0.90, and on the
// bundled BPD pilot's adqs.csv (MADRS, MADRS10, SSI, BSL23 by visit) at
// 0.95. Every R group must be found, and no other.
func TestMeansMatchR(t *testing.T) {
	ref := readCSV(t, "means_reference.csv")
	inputs := map[string]Scores{
		"chickweight": readScores(t, "chickweight.csv"),
		"bpd":         readScores(t, "bpd_scores.csv"),
	}
	type key struct {
		dataset        string
		level          float64
		param, arm, vs string
		day            float64
	}
	got := map[key]VisitMean{}
	for _, tc := range []struct {
		dataset string
		level   float64
	}{{"chickweight", 0.95}, {"chickweight", 0.90}, {"bpd", 0.95}} {
		ms, err := Means(inputs[tc.dataset], tc.level)
		if err != nil {
			t.Fatalf("%s: %v", tc.dataset, err)
		}
		for _, m := range ms {
			got[key{tc.dataset, tc.level, m.Param, m.Arm, m.Visit, m.Day}] = m
		}
	}
	if len(got) != len(ref) {
		t.Errorf("%d visit means, R has %d", len(got), len(ref))
	}
	var worst float64
	for _, r := range ref {
		k := key{r["dataset"], parseNum(t, r["level"]), r["param"], r["arm"], r["visit"], parseNum(t, r["day"])}
		m, ok := got[k]
		if !ok {
			t.Errorf("R group %+v not found", k)
			continue
		}
		if n, _ := strconv.Atoi(r["n"]); m.N != n {
			t.Errorf("%+v: n = %d, R %d", k, m.N, n)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"mean", m.Mean, parseNum(t, r["mean"])},
			{"sd", m.SD, parseNum(t, r["sd"])},
			{"se", m.SE, parseNum(t, r["se"])},
			{"lower", m.Lower, parseNum(t, r["lower"])},
			{"upper", m.Upper, parseNum(t, r["upper"])},
		} {
			if math.IsNaN(c.want) {
				t.Errorf("%+v: R %s is NA: the references have no degenerate group (see TestStatuses)", k, c.name)
				continue
			}
			if !scalar.EqualWithinAbsOrRel(c.got, c.want, absTol, relTol) {
				t.Errorf("%+v: %s = %.17g, R %.17g", k, c.name, c.got, c.want)
			}
			if c.want != 0 {
				worst = max(worst, math.Abs(c.got-c.want)/math.Abs(c.want))
			}
		}
		if m.Status != StatusOK {
			t.Errorf("%+v: status %q, want ok", k, m.Status)
		}
	}
	t.Logf("largest relative error against R: %.3g", worst)
}
