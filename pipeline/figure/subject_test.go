package figure

import (
	"bytes"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/trajectory"
)

// bpdResults is the part of the BPD pilot's results.json that the
// subject-level figures read: the study and the endpoints' kinds.
var bpdResults = &schema.Results{
	Study: schema.StudyInfo{ID: "FINEBERG2023", Synthetic: true, Arms: []schema.ArmInfo{
		{Name: "KETAMINE", Label: "IV ketamine 0.5 mg/kg", Class: "ketamine"},
		{Name: "MIDAZOLAM", Label: "IV midazolam 0.04 mg/kg", Class: "active-control"},
	}},
	Conventions: schema.Conventions{ConfLevel: 0.95},
	Endpoints:   []schema.Endpoint{{Paramcd: "TTSIRES", Kind: "si-resolution", TimeScale: "log"}, {Paramcd: "TTRESP", Kind: "response", TimeScale: "log"}},
}

func csvMaps(t testing.TB, path string) []map[string]string {
	recs := readCSV(t, path)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		out = append(out, m)
	}
	return out
}

// bpdScores joins testdata/bpd/adqs.csv with adsl.csv's arms.
func bpdScores(t testing.TB) trajectory.Scores {
	arm := map[string]string{}
	for _, r := range csvMaps(t, filepath.Join("testdata", "bpd", "adsl.csv")) {
		arm[r["USUBJID"]] = r["TRT01P"]
	}
	var s trajectory.Scores
	for _, r := range csvMaps(t, filepath.Join("testdata", "bpd", "adqs.csv")) {
		s.Subject = append(s.Subject, r["USUBJID"])
		s.Arm = append(s.Arm, arm[r["USUBJID"]])
		s.Param = append(s.Param, r["PARAMCD"])
		s.Visit = append(s.Visit, r["AVISIT"])
		s.Day = append(s.Day, parseFloat(t, r["ADY"]))
		s.Value = append(s.Value, parseFloat(t, r["AVAL"]))
	}
	return s
}

func bpdTrajectory(t testing.TB, param string, spaghetti bool, opts ...Option) (*Trajectory, []trajectory.VisitMean) {
	s := bpdScores(t)
	means, err := trajectory.Means(s, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	var subj []trajectory.Subject
	if spaghetti {
		subj = trajectory.Individuals(s, param)
	}
	tr, err := NewTrajectory(bpdResults.Study, param, means, subj, 0.95, true, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tr, means
}

// TestTrajectoryDrawsMeans checks that the trajectory figure's CSV holds
// every visit mean of trajectory.Means for the parameter, with its
// interval and n, and only those; and that the spaghetti figure draws
// every score of adqs.csv.
func TestTrajectoryDrawsMeans(t *testing.T) {
	for _, param := range []string{"MADRS", "SSI"} {
		tr, means := bpdTrajectory(t, param, false)
		recs := drawingCSV(t, tr)
		got := map[string][]string{}
		for _, r := range recs[1:] {
			if r[0] == "mean" {
				got[r[1]+"/"+r[3]] = r
			}
		}
		n := 0
		for _, m := range means {
			if m.Param != param {
				continue
			}
			n++
			r, ok := got[m.Arm+"/"+m.Visit]
			if !ok {
				t.Errorf("%s %s %s not drawn", param, m.Arm, m.Visit)
				continue
			}
			for j, want := range []float64{m.Day, m.Mean, m.Lower, m.Upper} {
				col := []int{4, 6, 7, 8}[j]
				if parseFloat(t, r[col]) != want {
					t.Errorf("%s %s %s: %s = %s, Means %v", param, m.Arm, m.Visit, TrajectoryCSVHeader[col], r[col], want)
				}
			}
			if r[9] != strconv.Itoa(m.N) {
				t.Errorf("%s %s %s: n %s, Means %d", param, m.Arm, m.Visit, r[9], m.N)
			}
			if x := parseFloat(t, r[5]); m.Day > 0 && x != m.Day || m.Day <= 0 && x != tr.XMin {
				t.Errorf("%s %s %s drawn at x = %v", param, m.Arm, m.Visit, x)
			}
		}
		if n == 0 || len(got) != n {
			t.Errorf("%s: %d means drawn, %d computed", param, len(got), n)
		}
	}
	sp, _ := bpdTrajectory(t, "MADRS", true)
	s := bpdScores(t)
	want := 0
	for _, p := range s.Param {
		if p == "MADRS" {
			want++
		}
	}
	if got := countSeries(drawingCSV(t, sp), "subject"); got != want || want == 0 {
		t.Errorf("spaghetti draws %d scores, adqs.csv has %d MADRS rows", got, want)
	}
	if _, err := NewTrajectory(bpdResults.Study, "MADRS", nil, trajectory.Individuals(s, "MADRS"), 0.95, true, WithSmallStudy(5)); err == nil {
		t.Error("spaghetti of 22 subjects with -small-study 5")
	}
}

// bpdSwimmerRows reads testdata/bpd/adtte.csv as cmd/plot does.
func bpdSwimmerRows(t testing.TB) []SubjectEvent {
	var rows []SubjectEvent
	for _, r := range csvMaps(t, filepath.Join("testdata", "bpd", "adtte.csv")) {
		e := SubjectEvent{Subject: r["USUBJID"], Arm: r["TRTP"], Paramcd: r["PARAMCD"], Time: parseFloat(t, r["AVAL"]), Event: r["CNSR"] == "0", Dropout: strings.HasPrefix(r["CNSDTDSC"], "DISCONTINUED")}
		if r["ORIGDY"] != "" {
			e.Origin = parseFloat(t, r["ORIGDY"])
		}
		rows = append(rows, e)
	}
	return rows
}

// TestSwimmerLanes checks one lane per subject ending at its latest
// ORIGDY + AVAL, a response mark at every event row, and the end marked
// as dropout exactly for the subjects with a DISCONTINUED censoring.
func TestSwimmerLanes(t *testing.T) {
	rows := bpdSwimmerRows(t)
	sw, err := NewSwimmer(bpdResults, rows)
	if err != nil {
		t.Fatal(err)
	}
	end, events, dropout := map[string]float64{}, map[string]int{}, map[string]bool{}
	for _, r := range rows {
		end[r.Subject] = max(end[r.Subject], r.Origin+r.Time)
		if r.Event {
			events[r.Subject]++
		}
		dropout[r.Subject] = dropout[r.Subject] || r.Dropout
	}
	if len(sw.Lanes) != len(end) || len(end) != 22 {
		t.Fatalf("%d lanes, %d subjects", len(sw.Lanes), len(end))
	}
	for i, l := range sw.Lanes {
		if l.End != end[l.Subject] {
			t.Errorf("%s: lane ends at %v, ADTTE %v", l.Subject, l.End, end[l.Subject])
		}
		var resp int
		last := l.Marks[len(l.Marks)-1]
		for _, m := range l.Marks {
			if m.Kind == MarkResponse {
				resp++
			}
		}
		if resp != events[l.Subject] {
			t.Errorf("%s: %d response marks, %d event rows", l.Subject, resp, events[l.Subject])
		}
		if want := map[bool]string{true: MarkDropout, false: MarkCensored}[dropout[l.Subject]]; last.Kind != want || last.Day != l.End {
			t.Errorf("%s: ends with %+v, want %s at %v", l.Subject, last, want, l.End)
		}
		if i > 0 && sw.Lanes[i-1].Arm == l.Arm && sw.Lanes[i-1].End < l.End {
			t.Errorf("lanes %d and %d not longest first within arm", i, i+1)
		}
	}
	if sw.Lanes[0].Arm != "KETAMINE" {
		t.Errorf("first lane in arm %s, want the study's first arm", sw.Lanes[0].Arm)
	}
	if _, err := NewSwimmer(bpdResults, rows, WithSmallStudy(10)); err == nil {
		t.Error("swimmer of 22 subjects with small-study 10")
	}
	bad := append([]SubjectEvent(nil), rows...)
	bad[0].Time = math.NaN()
	if _, err := NewSwimmer(bpdResults, bad); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("NaN time: %v", err)
	}
}

// TestGoldenSubjectFigures compares the trajectory, spaghetti and swimmer
// figures of the BPD pilot with their goldens.
func TestGoldenSubjectFigures(t *testing.T) {
	tr, _ := bpdTrajectory(t, "MADRS", false, WithSVGFonts(false), WithDPI(96))
	sp, _ := bpdTrajectory(t, "MADRS", true, WithSVGFonts(false), WithDPI(96))
	sw, err := NewSwimmer(bpdResults, bpdSwimmerRows(t), WithSVGFonts(false), WithDPI(96))
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]Drawing{"bpd-MADRS-trajectory": tr, "bpd-MADRS-spaghetti": sp, "bpd-swimmer": sw} {
		for _, format := range []string{"svg", "png"} {
			var buf bytes.Buffer
			if err := d.Render(&buf, format, DefaultWidth, DefaultHeight); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".golden."+format, buf.Bytes())
		}
	}
}
