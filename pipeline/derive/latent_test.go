package derive

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/sim"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// latentRow is one row of a simulator's adtte_latent.csv: the true event
// (CNSR 0) or censoring time, AVAL days after STARTDY.
type latentRow struct {
	startDay, aval float64
	aText          string // AVAL as written
	event          bool
}

func readLatent(t *testing.T, path string) map[[2]string]latentRow {
	t.Helper()
	m := map[[2]string]latentRow{}
	err := readCSV(path, []string{"USUBJID", "PARAMCD", "STARTDY", "AVAL", "CNSR"}, func(tb *table) error {
		return tb.each(func() error {
			var r latentRow
			var err error
			if r.startDay, err = tb.number("STARTDY", "a day"); err != nil {
				return err
			}
			if r.aval, err = tb.number("AVAL", "a time"); err != nil {
				return err
			}
			r.aText = tb.str("AVAL")
			r.event = tb.str("CNSR") == "0"
			m[[2]string{tb.str("USUBJID"), tb.str("PARAMCD")}] = r
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLatentTruth is the property check of the derivation against the
// simulator's latent truth, for every bundled study with adtte_latent.csv
// and a study.yaml: the derived event of each subject and endpoint is at the
// first visit (of the endpoint's source score, among the visits the subject
// attended) at or after the latent event time; a subject whose latent event
// no attended visit sees is censored.
//
// Visits are discrete, so two cases follow from the rules and are checked,
// not waived. A relapse plan with confirmation needs the next visit within
// the window: the expected event is the first visit at or after the latent
// relapse whose next visit confirms it (relapse persists in the simulator).
// A response, remission or SI resolution that ends (latent relapse or SI
// recurrence, read from the simulator re-run in memory from scenario.yaml)
// at or before the next visit is never seen: the expected row is censored.
// Those subjects are counted in the log.
func TestLatentTruth(t *testing.T) {
	pattern := "../../datasets/*/adtte_latent.csv"
	if p := os.Getenv("DERIVE_LATENT_GLOB"); p != "" {
		pattern = p // e.g. /tmp/draft/*/adtte_latent.csv, to check a draft study
	}
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		t.Skip("no bundled study with adtte_latent.csv")
	}
	for _, f := range files {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(dir, "study.yaml")); err != nil {
				t.Skip("no study.yaml yet")
			}
			checkLatent(t, dir, f)
		})
	}
}

func checkLatent(t *testing.T, dir, latentFile string) {
	s, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	latent := readLatent(t, latentFile)
	for k := range latent {
		if ep, ok := s.Endpoint(k[1]); ok && ep.Derive == nil {
			t.Fatalf("endpoint %s has latent times but no derive: block in study.yaml", k[1])
		}
	}
	sc, err := sim.LoadScenario(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]*sim.Subject{}
	res := sim.Simulate(sc)
	for i := range res.Subjects {
		truth[res.Subjects[i].USUBJID] = &res.Subjects[i]
	}
	for _, l := range res.Latent() {
		id := res.Subjects[l.Subject].USUBJID
		if f, ok := latent[[2]string{id, l.Paramcd}]; !ok || f.aText != sim.FormatDay(l.AVAL) || f.event != (l.CNSR == 0) {
			t.Fatalf("%s %s: adtte_latent.csv (%+v) differs from the simulation of scenario.yaml (%+v): the data are stale; regenerate them (make data)", id, l.Paramcd, f, l)
		}
	}

	d, err := Load(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Derive(s, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Counts {
		if c.Events+c.Competing+c.Censored+c.Excluded != c.Subjects {
			t.Errorf("%s: counts do not reconcile: %+v", c.Paramcd, c)
		}
	}
	// The subjects at risk are the same: for every endpoint the simulator
	// writes, the derived (subject, endpoint) pairs equal the latent ones.
	// A latent pair that was excluded is a subject wrongly left out (its
	// reason is shown); a derived pair without latent truth is a subject
	// wrongly kept (e.g. a relapse endpoint for a non-responder).
	latentEP := map[string]bool{}
	for k := range latent {
		latentEP[k[1]] = true
	}
	derived := map[[2]string]bool{}
	for _, row := range r.Rows {
		k := [2]string{row.USUBJID, row.Paramcd}
		derived[k] = true
		if _, ok := latent[k]; !ok && latentEP[row.Paramcd] {
			t.Errorf("%s %s: derived (AVAL %g, CNSR %d) but not in adtte_latent.csv: the subject is not at risk in the simulation", row.USUBJID, row.Paramcd, row.Time, btoi(row.Censored))
		}
	}
	reasons := map[[2]string]string{}
	for _, x := range r.Exclusions {
		reasons[[2]string{x.USUBJID, x.Paramcd}] = x.Reason
	}
	for k := range latent {
		if ep, ok := s.Endpoint(k[1]); !ok || ep.Derive == nil || derived[k] {
			continue
		}
		if why, ok := reasons[k]; ok {
			t.Errorf("%s %s: in adtte_latent.csv but excluded: %s", k[0], k[1], why)
		} else {
			t.Errorf("%s %s: in adtte_latent.csv but neither derived nor excluded", k[0], k[1])
		}
	}
	// Attended scheduled visit days after day 0, per subject and score.
	visits := map[[2]string][]float64{}
	for _, a := range d.Assessments {
		if !study.IsUnscheduled(a.Visit) && !math.IsNaN(a.Value) && a.Day > 0 {
			k := [2]string{a.USUBJID, a.Param}
			visits[k] = append(visits[k], a.Day)
		}
	}
	for _, v := range visits {
		slices.Sort(v)
	}
	compared, ended := map[string]int{}, map[string]int{}
	for _, row := range r.Rows {
		l, ok := latent[[2]string{row.USUBJID, row.Paramcd}]
		if !ok {
			continue // reported above
		}
		ep, _ := s.Endpoint(row.Paramcd)
		vs := visits[[2]string{row.USUBJID, ep.Derive.Source}]
		subj := truth[row.USUBJID]
		want := math.NaN() // study day of the expected derived event; NaN: censored
		if l.event {
			day := l.startDay + l.aval
			k, _ := slices.BinarySearchFunc(vs, day, func(v, d float64) int { return cmp.Compare(v, d-1e-6) })
			if rel := ep.Derive.Relapse; rel != nil {
				for ; k < len(vs); k++ {
					if c := rel.Confirm; c == nil || (k+1 < len(vs) && vs[k+1]-vs[k] >= *c.MinDays && vs[k+1]-vs[k] <= *c.MaxDays) {
						want = vs[k]
						break
					}
				}
			} else if k < len(vs) {
				want = vs[k]
				end := subj.Relapse // response and remission end at relapse
				if ep.Kind == study.KindSIResolution {
					end = subj.SIRecurrence
				}
				if end <= want {
					want = math.NaN()
					ended[row.Paramcd]++
				}
			}
		}
		// A competing event is the simulated dropout (EOSDY, with its
		// DCSREAS) or rescue (RESCDY): for the event of interest the row
		// compares as censored.
		got := math.NaN()
		switch {
		case row.Competing:
			day, reason := subj.Dropout, subj.DropoutReason
			if row.EventType == study.TypeRescue {
				day, reason = subj.RescueDay, "RESCUE MEDICATION"
			}
			typ, _ := ep.Derive.ReasonType(reason)
			if math.Abs(row.SourceDay-day) > 1e-6 || typ != row.EventType {
				t.Errorf("%s %s: competing %s on day %s, simulated %q on day %s", row.USUBJID, row.Paramcd, row.EventType, describe(row.SourceDay), reason, describe(day))
			}
		case !row.Censored:
			got = row.SourceDay
		}
		compared[row.Paramcd]++
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s %s: derived %s, latent %s: want %s (derived from %s)", row.USUBJID, row.Paramcd, describe(got), describeLatent(l), describe(want), trace(row))
		}
	}
	for _, c := range r.Counts {
		t.Logf("%s: %d subjects compared with the latent truth (%d whose state ended before the next visit); %d excluded", c.Paramcd, compared[c.Paramcd], ended[c.Paramcd], c.Excluded)
	}
}

func describe(day float64) string {
	if math.IsNaN(day) {
		return "censored"
	}
	return "event on day " + strconv.FormatFloat(day, 'g', -1, 64)
}

func describeLatent(l latentRow) string {
	if !l.event {
		return fmt.Sprintf("censored on day %g", l.startDay+l.aval)
	}
	return fmt.Sprintf("event on day %g", l.startDay+l.aval)
}

func trace(r Row) string {
	return fmt.Sprintf("%s %s %s day %g line %d", r.SourceDomain, r.SourceParam, r.SourceVisit, r.SourceDay, r.SourceLine)
}
