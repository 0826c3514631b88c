package derive

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// TestAgainstR compares Derive on the random fixture testdata/fixture (300
// subjects with missed, missing, unscheduled and irregular visits, rescue,
// randomization and clinical events; written by testdata/gen_fixture.go)
// with an independent base-R derivation of the same four plans:
//
//	cd pipeline/derive/testdata && Rscript derive_ref.R   # writes fixture/ref_adtte.csv
//
// Every subject × endpoint must agree on exclusion, AVAL, CNSR, ILOWER,
// IUPPER and the source day, to 1e-9 day.
func TestAgainstR(t *testing.T) {
	dir := filepath.Join("testdata", "fixture")
	s, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Derive(s, d)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]*Row{}
	for i := range r.Rows {
		got[[2]string{r.Rows[i].USUBJID, r.Rows[i].Paramcd}] = &r.Rows[i]
	}
	excluded := map[[2]string]bool{}
	for _, x := range r.Exclusions {
		excluded[[2]string{x.USUBJID, x.Paramcd}] = true
	}
	type refRow struct {
		excluded                   bool
		aval, lower, upper, srcDay float64
		cnsr                       string
	}
	var ref [][2]string
	want := map[[2]string]refRow{}
	err = readCSV(filepath.Join(dir, "ref_adtte.csv"), []string{"USUBJID", "PARAMCD", "EXCLUDED", "AVAL", "CNSR", "ILOWER", "IUPPER", "SRCADY"}, func(tb *table) error {
		return tb.each(func() error {
			k := [2]string{tb.str("USUBJID"), tb.str("PARAMCD")}
			w := refRow{excluded: tb.str("EXCLUDED") == "1", cnsr: tb.str("CNSR")}
			for _, c := range []struct {
				col string
				dst *float64
			}{{"AVAL", &w.aval}, {"ILOWER", &w.lower}, {"IUPPER", &w.upper}, {"SRCADY", &w.srcDay}} {
				v, err := tb.optNumber(c.col)
				if err != nil {
					return err
				}
				*c.dst = v
			}
			ref = append(ref, k)
			want[k] = w
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ref) != len(d.Subjects)*4 {
		t.Fatalf("reference has %d rows, want %d (regenerate it with Rscript derive_ref.R)", len(ref), len(d.Subjects)*4)
	}
	same := func(a, b float64) bool {
		return (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) <= 1e-9
	}
	var events int
	for _, k := range ref {
		w := want[k]
		if w.excluded != excluded[k] {
			t.Errorf("%s %s: excluded %v, R says %v", k[0], k[1], excluded[k], w.excluded)
			continue
		}
		if w.excluded {
			continue
		}
		g := got[k]
		cnsr := "0"
		if g.Censored {
			cnsr = "1"
		} else {
			events++
		}
		if cnsr != w.cnsr || !same(g.Time, w.aval) || !same(g.Lower, w.lower) || !same(g.Upper, w.upper) {
			t.Errorf("%s %s: AVAL %v CNSR %s (%v, %v], R: %v %s (%v, %v]", k[0], k[1], g.Time, cnsr, g.Lower, g.Upper, w.aval, w.cnsr, w.lower, w.upper)
		}
		if !math.IsNaN(w.srcDay) && !same(g.SourceDay, w.srcDay) {
			t.Errorf("%s %s: SRCADY %v, R: %v", k[0], k[1], g.SourceDay, w.srcDay)
		}
	}
	if events < 100 {
		t.Errorf("only %d events in the fixture: it does not exercise the rules", events)
	}
}
