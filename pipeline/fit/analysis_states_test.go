package fit

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/column"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// statesStudy is a plan with a response and a relapse endpoint.
func statesStudy(id, control string, arms ...string) *study.Study {
	s := &study.Study{ID: id, Control: control, Endpoints: []study.Endpoint{
		{Paramcd: "TTRESP", Kind: study.KindResponse},
		{Paramcd: "TTREMIT", Kind: study.KindRemission},
		{Paramcd: "TTRELAPSE", Kind: study.KindRelapse},
	}}
	for _, a := range arms {
		s.Arms = append(s.Arms, study.Arm{Name: a})
	}
	return s
}

// The reference files were written by testdata/make_states_reference.R
// (R 4.2.2, survival 3.5.3), which builds the counting-process rows from
// the ADTTE file itself and calls, per file and conf.type,
//
//	fit <- survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate, conf.type = ct)
//	fit$pstate, fit$std.err, fit$lower, fit$upper           -> states_ref_<name>_<ct>.csv
//	summary(survfit(Surv(dur, rel) ~ 1, data = dd[dd$TRTP == a, ], conf.type = ct), censored = TRUE)
//	                                                         -> states_ref_<name>_<ct>_km.csv
//	fit <- survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate, influence = TRUE)
//	summary(fit, rmean = tau)$table[, c("rmean", "se(rmean)")] for "in response", with
//	e ± qnorm(0.975) se and the difference from the reference arm  -> states_ref_<name>_duration.csv
//
// tau = min(tapply(ms$tstop, ms$TRTP, max)). The Go side runs the whole
// fit stage (reader, Analyze, table writers) on the same ADTTE file.
var statesCases = []struct {
	name  string
	file  string
	study *study.Study
}{
	// cmd/derive output of the bundled study: relapse timed from day 11, ENTRY 1, one arm.
	{"murrough", "states_murrough_adtte.csv", statesStudy("MURROUGH2013BP", "KETAMINE", "KETAMINE")},
	// survival::mgus2: PCM as "response", death after PCM as "relapse", death before as dropout.
	{"mgus2", "states_mgus2_adtte.csv", statesStudy("MGUS2", "F", "F", "M")},
	// Simulated: dropout at both stages, responders not followed, both relapse timings.
	{"sim", "states_sim_adtte.csv", statesStudy("SIM", "MIDAZOLAM", "KETAMINE", "MIDAZOLAM")},
}

func analyzeStates(t *testing.T, file string, opt Options) *schema.Results {
	t.Helper()
	tab, rep, err := adam.ReadADTTE(file, adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := Err(res); err != nil {
		t.Fatalf("unexpected status: %v", err)
	}
	return res
}

func TestStatesAgainstR(t *testing.T) {
	for _, c := range statesCases {
		for _, ct := range []km.ConfType{km.Log, km.LogLog} {
			t.Run(fmt.Sprintf("%s/%s", c.name, ct), func(t *testing.T) {
				res := analyzeStates(t, filepath.Join("testdata", c.file), Options{Study: c.study, ConfType: ct, Methods: []string{"states"}})
				worst := 0.0
				for _, f := range []struct{ table, ref string }{
					{"states.csv", fmt.Sprintf("states_ref_%s_%s.csv", c.name, ct)},
					{"duration_km.csv", fmt.Sprintf("states_ref_%s_%s_km.csv", c.name, ct)},
					{"states_duration.csv", fmt.Sprintf("states_ref_%s_duration.csv", c.name)},
				} {
					var b bytes.Buffer
					if err := WriteTableNamed(&b, res, f.table); err != nil {
						t.Fatal(err)
					}
					want, got := readCSV(t, filepath.Join("testdata", f.ref)), parseCSV(t, f.table, b.Bytes())
					compareCSV(t, f.ref, want, got)
					worst = math.Max(worst, tableRelDiff(want, got))
				}
				t.Logf("max relative difference from R: %.2g", worst)
			})
		}
	}
}

// tableRelDiff is the largest relative difference of the numeric cells of
// two tables of the same shape and header, away from R's rounding residue
// near zero (|w| < 1e-12).
func tableRelDiff(want, got [][]string) float64 {
	worst := 0.0
	if len(want) != len(got) {
		return math.Inf(1)
	}
	for i := 1; i < len(want); i++ {
		for j, h := range want[0] {
			g := got[i][slices.Index(got[0], h)]
			wf, err1 := strconv.ParseFloat(want[i][j], 64)
			gf, err2 := strconv.ParseFloat(g, 64)
			if err1 != nil || err2 != nil || math.Abs(wf) < 1e-12 {
				continue
			}
			worst = math.Max(worst, math.Abs(wf-gf)/math.Abs(wf))
		}
	}
	return worst
}

// TestStatesSection checks the counts along the chain and the section's
// place: only on the relapse endpoint.
func TestStatesSection(t *testing.T) {
	res := analyzeStates(t, filepath.Join("testdata", "states_murrough_adtte.csv"), Options{Study: statesCases[0].study, Methods: []string{"states"}})
	for _, ep := range res.Endpoints {
		sec, err := statesSection(&ep)
		if err != nil {
			t.Fatal(err)
		}
		if (sec != nil) != (ep.Paramcd == "TTRELAPSE") {
			t.Errorf("%s: has a states section: %v", ep.Paramcd, sec != nil)
		}
		if sec == nil {
			continue
		}
		// 24 subjects in TTRESP, 17 with a response event, all 17 in
		// TTRELAPSE (13 relapses): counted from the committed file with awk.
		want := schema.StatesArmCount{Arm: "KETAMINE", Subjects: 24, Responders: 17, FollowedForRelapse: 17, Relapsed: 13}
		if len(sec.Subjects) != 1 || sec.Subjects[0] != want {
			t.Errorf("subjects = %+v, want %+v", sec.Subjects, want)
		}
		if !slices.Equal(sec.States, []string{stateNotResponding, stateInResponse, stateRelapsed}) {
			t.Errorf("states = %v", sec.States)
		}
		if sec.TauRule != "shortest follow-up" || sec.Tau != 94 {
			t.Errorf("tau = %v (%s), want 94 = 11 + 83, the last relapse follow-up", sec.Tau, sec.TauRule)
		}
	}
}

// TestStatesProbabilitiesSum checks that the state probabilities of every
// arm and time sum to 1, on the data with dropout.
func TestStatesProbabilitiesSum(t *testing.T) {
	res := analyzeStates(t, filepath.Join("testdata", "states_sim_adtte.csv"), Options{Study: statesCases[2].study, Methods: []string{"states"}})
	sec, err := statesSection(&res.Endpoints[len(res.Endpoints)-1])
	if err != nil || sec == nil {
		t.Fatalf("no states section (%v)", err)
	}
	sum := map[string]float64{}
	for _, r := range sec.Curves {
		sum[r.Arm+"@"+num(r.Time)] += r.Prob
	}
	for k, s := range sum {
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("%s: probabilities sum to %v", k, s)
		}
	}
	if len(sec.States) != 4 {
		t.Errorf("states = %v, want dropped out too", sec.States)
	}
	for _, c := range sec.Subjects {
		if !(c.FollowedForRelapse < c.Responders && c.DroppedOutBefore > 0 && c.DroppedOutInResponse > 0) {
			t.Errorf("arm %s: %+v: the simulated file has responders not followed and dropouts at both stages", c.Arm, c)
		}
	}
}

func TestStatesDefault(t *testing.T) {
	for i, test := range []struct {
		file  string
		study *study.Study
		want  bool
	}{
		{"states_murrough_adtte.csv", statesCases[0].study, true},
		{"states_murrough_adtte.csv", nil, false},
		{"example_adtte.csv", statesStudy("KET-EX", "MIDAZOLAM", "KETAMINE", "MIDAZOLAM"), false}, // no ORIGDY
		{"states_sim_adtte.csv", &study.Study{Endpoints: []study.Endpoint{{Paramcd: "TTRESP", Kind: study.KindResponse}, {Paramcd: "TTREMIT", Kind: study.KindResponse}, {Paramcd: "TTRELAPSE", Kind: study.KindRelapse}}}, false},
	} {
		tab, _, err := adam.ReadADTTE(filepath.Join("testdata", test.file), adam.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := statesByDefault(tab, Options{Study: test.study}); got != test.want {
			t.Errorf("case %d: statesByDefault = %v, want %v", i, got, test.want)
		}
	}
}

func TestStatesBadOptions(t *testing.T) {
	for i, test := range []struct {
		set  Settings
		want string
	}{
		{Settings{"states": {Value: "TTRESP", Origin: "flag -states"}}, "give two PARAMCDs"},
		{Settings{"states": {Value: "TTRESP,TTRESP", Origin: "flag -states"}}, "the same endpoint twice"},
		{Settings{"states": {Value: "TTRESP,", Origin: "flag -states"}}, "give two PARAMCDs"},
		{Settings{"states-tau": {Value: "0", Origin: "flag -states-tau"}}, "not a time in days > 0"},
		{Settings{"states-tau": {Value: "NaN", Origin: "flag -states-tau"}}, "not a time in days > 0"},
	} {
		_, err := configureStates(test.set)
		if err == nil || !strings.Contains(err.Error(), test.want) || !strings.Contains(err.Error(), "flag -states") {
			t.Errorf("case %d: error %v, want one containing %q and the flag", i, err, test.want)
		}
	}
}

// statesHeader is the header of the hand-written bad-input files.
const statesHeader = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,EVNTTYPE,ORIGDY\n"

func TestStatesBadInput(t *testing.T) {
	s := statesStudy("X", "A", "A")
	for i, test := range []struct {
		rows string
		set  Settings
		want string
	}{
		{"X,1,A,TTRESP,5,0,RESPONSE,0\nX,1,A,TTRELAPSE,3,0,RELAPSE,0\n", nil, "line 3: a relapse (or dropout in response) on day 3"},
		{"X,1,A,TTRESP,5,0,RESPONSE,0\nX,1,A,TTRELAPSE,2,1,,2\n", nil, "line 3: relapse follow-up ends on day 4"},
		{"X,1,A,TTRESP,5,0,RESPONSE,0\nX,1,A,TTRELAPSE,2,1,,4\nX,2,A,TTRESP,5,1,,0\nX,2,A,TTRELAPSE,9,0,RELAPSE,0\n", nil, "line 5: subject 2 has a TTRELAPSE row but no response event in TTRESP"},
		{"X,1,A,TTRESP,5,0,RESPONSE,0\nX,1,A,TTRELAPSE,9,0,RELAPSE,day 5\n", nil, "line 3, column ORIGDY: \"day 5\" is not a study day"},
		{"X,1,A,TTRESP,5,0,RESPONSE,0\nX,1,A,TTRELAPSE,9,0,RELAPSE,0\n", Settings{"states": {Value: "TTRESP,TTRELAPS", Origin: "flag -states"}}, "flag -states (states): endpoint TTRELAPS is not in"},
		{"X,1,A,TTRESP,5,0,RESPONSE,0\nX,1,A,TTRELAPSE,9,0,RELAPSE,0\n", Settings{"states": {Value: "TTRESPONSE,TTRELAPSE", Origin: "flag -states"}}, "endpoint TTRESPONSE is not in"},
	} {
		path := filepath.Join(t.TempDir(), "adtte.csv")
		if err := os.WriteFile(path, []byte(statesHeader+test.rows), 0o644); err != nil {
			t.Fatal(err)
		}
		tab, rep, err := adam.ReadADTTE(path, adam.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Analyze(tab, rep, Options{Study: s, Methods: []string{"states"}, Settings: test.set})
		if err == nil || !strings.Contains(err.Error(), test.want) || !strings.Contains(err.Error(), path) && test.set == nil {
			t.Errorf("case %d: error %v, want one naming %s and containing %q", i, err, path, test.want)
		}
	}
}

// TestStatesReport checks the report section: the per-arm tables and the
// sentence, with the numbers of the R reference (states_ref_sim_duration.csv).
func TestStatesReport(t *testing.T) {
	res := analyzeStates(t, filepath.Join("testdata", "states_sim_adtte.csv"), Options{Study: statesCases[2].study, Methods: []string{"states"}})
	ep := &res.Endpoints[len(res.Endpoints)-1]
	sec, err := statesReport(ep, res)
	if err != nil || sec == nil {
		t.Fatalf("no section (%v)", err)
	}
	if len(sec.Tables) != 4 {
		t.Errorf("%d tables, want counts, one per arm and the durations", len(sec.Tables))
	}
	want := "Within 63 days, patients on KETAMINE spent on average 18.32 days in response, on MIDAZOLAM 10.05 days. The difference KETAMINE − MIDAZOLAM is 8.27 days (CI 4.61 to 11.93)."
	if got := sec.Paragraphs[len(sec.Paragraphs)-1]; got != want {
		t.Errorf("sentence\n%s\nwant\n%s", got, want)
	}
	if m := statesMethod.Methods(res); !strings.Contains(m, "Temkin") {
		t.Errorf("methods sentence %q", m)
	}
}

// statesBenchTable simulates n subjects of two arms through the chain, in
// memory: response on a visit grid or dropout or censoring, then relapse,
// dropout in response or censoring on a weekly grid.
func statesBenchTable(n int) *adam.ADTTE {
	rng := rand.New(rand.NewPCG(1, 1))
	t := &adam.ADTTE{Extra: map[string]column.Text{}, ExtraNames: []string{"EVNTTYPE", "ORIGDY"}}
	var study, arms, params, types, origins column.Builder
	add := func(subj, arm, param string, aval float64, event bool, typ, orig string) {
		study.Add("B")
		arms.Add(arm)
		params.Add(param)
		types.Add(typ)
		origins.Add(orig)
		t.USUBJID = append(t.USUBJID, subj)
		t.AVAL, t.Event = append(t.AVAL, aval), append(t.Event, event)
		t.Line.Add(len(t.AVAL) + 1)
	}
	defer func() {
		t.StudyID, t.TRTP, t.PARAMCD = study.Text(), arms.Text(), params.Text()
		t.Extra["EVNTTYPE"], t.Extra["ORIGDY"] = types.Text(), origins.Text()
	}()
	grid := []float64{1.0 / 12, 1.0 / 6, 1, 2, 3, 7, 14, 21, 28}
	for i := range n {
		subj, arm := "S"+strconv.Itoa(i), []string{"A", "B"}[i%2]
		u := rng.Float64()
		switch {
		case u < 0.6:
			tr := grid[rng.IntN(len(grid))]
			add(subj, arm, "TTRESP", tr, true, "RESPONSE", "0")
			w := 7 * float64(1+rng.IntN(12))
			switch v := rng.Float64(); {
			case v < 0.5:
				add(subj, arm, "TTRELAPSE", w, true, "RELAPSE", num(tr))
			case v < 0.6:
				add(subj, arm, "TTRELAPSE", w, true, "ADVERSE_EVENT", num(tr))
			default:
				add(subj, arm, "TTRELAPSE", w, false, "", num(tr))
			}
		case u < 0.7:
			add(subj, arm, "TTRESP", float64(1+rng.IntN(28)), true, "LACK_OF_EFFICACY", "0")
		default:
			add(subj, arm, "TTRESP", float64(1+rng.IntN(28)), false, "", "0")
		}
	}
	return t
}

func BenchmarkStates(b *testing.B) {
	s := statesStudy("B", "A", "A", "B")
	for _, n := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if testing.Short() && n >= 1e6 {
				b.Skip("skipped under -short")
			}
			tab := statesBenchTable(n)
			rep := &adam.Report{File: "bench.csv", RowsRead: tab.Len()}
			b.ResetTimer()
			for b.Loop() {
				if _, err := Analyze(tab, rep, Options{Study: s, Methods: []string{"states"}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
