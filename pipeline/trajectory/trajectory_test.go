package trajectory

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func scores(rows ...[6]any) Scores {
	var s Scores
	for _, r := range rows {
		s.Subject = append(s.Subject, r[0].(string))
		s.Arm = append(s.Arm, r[1].(string))
		s.Param = append(s.Param, r[2].(string))
		s.Visit = append(s.Visit, r[3].(string))
		s.Day = append(s.Day, r[4].(float64))
		s.Value = append(s.Value, r[5].(float64))
	}
	return s
}

// TestStatuses: one subject gives NaN spread and interval with
// StatusSingleValue; identical scores give SD 0 and the interval [mean,
// mean] with StatusConstant (R's t.test stops on both).
func TestStatuses(t *testing.T) {
	s := scores(
		[6]any{"S1", "A", "MADRS", "BASELINE", 0.0, 30.0},
		[6]any{"S2", "B", "MADRS", "BASELINE", 0.0, 0.1},
		[6]any{"S3", "B", "MADRS", "BASELINE", 0.0, 0.1},
		[6]any{"S4", "B", "MADRS", "BASELINE", 0.0, 0.1},
	)
	ms, err := Means(s, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 {
		t.Fatalf("%d rows, want 2", len(ms))
	}
	a, b := ms[0], ms[1]
	if a.Arm != "A" || a.Status != StatusSingleValue || a.Mean != 30 || !math.IsNaN(a.SD) || !math.IsNaN(a.Lower) || !math.IsNaN(a.Upper) {
		t.Errorf("single value: %+v", a)
	}
	if b.Status != StatusConstant || b.Mean != 0.1 || b.SD != 0 || b.Lower != 0.1 || b.Upper != 0.1 {
		t.Errorf("constant: %+v", b)
	}
}

// TestOrderAndNominalDay: rows by parameter and arm in order of first
// appearance, then by day; a visit's day is the median of its
// assessments' days over every arm; visits without a label are days.
func TestOrderAndNominalDay(t *testing.T) {
	s := scores(
		[6]any{"S1", "KET", "SSI", "", 1.0, 4.0},
		[6]any{"S1", "KET", "MADRS", "WEEK1", 8.0, 20.0},
		[6]any{"S1", "KET", "MADRS", "BASELINE", 0.0, 30.0},
		[6]any{"S2", "PBO", "MADRS", "WEEK1", 6.0, 26.0},
		[6]any{"S3", "PBO", "MADRS", "WEEK1", 7.0, 28.0},
		[6]any{"S2", "PBO", "MADRS", "BASELINE", 0.0, 32.0},
	)
	ms, err := Means(s, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%s/%s/%s@%g n=%d mean=%g", m.Param, m.Arm, m.Visit, m.Day, m.N, m.Mean))
	}
	want := []string{
		"SSI/KET/@1 n=1 mean=4",
		"MADRS/KET/BASELINE@0 n=1 mean=30",
		"MADRS/KET/WEEK1@7 n=1 mean=20",
		"MADRS/PBO/BASELINE@0 n=1 mean=32",
		"MADRS/PBO/WEEK1@7 n=2 mean=27",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadScores(t *testing.T) {
	base := func() Scores {
		return scores(
			[6]any{"S1", "A", "MADRS", "BASELINE", 0.0, 30.0},
			[6]any{"S2", "A", "MADRS", "BASELINE", 0.0, 28.0},
		)
	}
	for _, tc := range []struct {
		name   string
		change func(*Scores)
		want   string
	}{
		{"empty subject", func(s *Scores) { s.Subject[1] = "" }, "row 2 (subject \"\", MADRS): the subject is empty"},
		{"empty arm", func(s *Scores) { s.Arm[0] = "" }, "row 1 (subject \"S1\", MADRS): the arm is empty"},
		{"empty param", func(s *Scores) { s.Param[0] = "" }, "the parameter is empty"},
		{"NaN day", func(s *Scores) { s.Day[1] = math.NaN() }, "row 2 (subject \"S2\", MADRS): day NaN is not finite"},
		{"Inf value", func(s *Scores) { s.Value[0] = math.Inf(1) }, "score +Inf is not finite"},
		{"duplicate", func(s *Scores) { s.Subject[1] = "S1" }, "rows 1 and 2: subject \"S1\" has two MADRS scores at visit BASELINE"},
		{"two arms", func(s *Scores) {
			s.Subject[1], s.Arm[1], s.Visit[1] = "S1", "B", "WEEK1"
		}, "row 2: subject \"S1\" is in arm \"B\" here and in arm \"A\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			tc.change(&s)
			_, err := Means(s, 0.95)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"level":  func() { Means(Scores{}, 1) },
		"length": func() { Means(Scores{Subject: []string{"a"}}, 0.95) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestIndividuals(t *testing.T) {
	s := scores(
		[6]any{"S2", "B", "MADRS", "DAY7", 7.0, 10.0},
		[6]any{"S1", "A", "MADRS", "DAY7", 7.0, 20.0},
		[6]any{"S1", "A", "SSI", "BASELINE", 0.0, 5.0},
		[6]any{"S1", "A", "MADRS", "BASELINE", 0.0, 30.0},
	)
	got := Individuals(s, "MADRS")
	if len(got) != 2 || got[0].ID != "S2" || got[1].ID != "S1" || got[1].Arm != "A" {
		t.Fatalf("subjects %+v", got)
	}
	if fmt.Sprint(got[1].Day, got[1].Value) != "[0 7] [30 20]" {
		t.Errorf("S1 trajectory %v %v, want days [0 7] values [30 20]", got[1].Day, got[1].Value)
	}
}

// TestMeansProperty: on random data the interval is centred on the mean
// and its half-width is t·SD/√n, whatever the row order.
func TestMeansShuffled(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	s := synthetic(rnd, 2000)
	want, err := Means(s, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	perm := rnd.Perm(s.Len())
	var sh Scores
	for _, i := range perm {
		sh.Subject = append(sh.Subject, s.Subject[i])
		sh.Arm = append(sh.Arm, s.Arm[i])
		sh.Param = append(sh.Param, s.Param[i])
		sh.Visit = append(sh.Visit, s.Visit[i])
		sh.Day = append(sh.Day, s.Day[i])
		sh.Value = append(sh.Value, s.Value[i])
	}
	got, err := Means(sh, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]VisitMean{}
	for _, m := range got {
		index[m.Param+m.Arm+m.Visit] = m
	}
	for _, w := range want {
		g := index[w.Param+w.Arm+w.Visit]
		if g.N != w.N || math.Abs(g.Mean-w.Mean) > 1e-12*math.Abs(w.Mean) || math.Abs(g.Upper-w.Upper) > 1e-9 {
			t.Errorf("%s %s %s: shuffled %+v, original %+v", w.Param, w.Arm, w.Visit, g, w)
		}
		if math.Abs((w.Lower+w.Upper)/2-w.Mean) > 1e-9 {
			t.Errorf("%+v: interval not centred on the mean", w)
		}
	}
}

// synthetic returns n assessments of 2 parameters, 3 arms and 8 visits.
func synthetic(rnd *rand.Rand, n int) Scores {
	visits := []string{"BASELINE", "4H", "DAY1", "DAY2", "DAY7", "DAY14", "DAY21", "DAY28"}
	days := []float64{0, 1.0 / 6, 1, 2, 7, 14, 21, 28}
	arms := []string{"KET", "ESK", "SSRI"}
	var s Scores
	for i := range n {
		subj, v := i/16, i%8
		s.Subject = append(s.Subject, fmt.Sprintf("S%07d", subj))
		s.Arm = append(s.Arm, arms[subj%3])
		s.Param = append(s.Param, []string{"MADRS", "SSI"}[(i/8)%2])
		s.Visit = append(s.Visit, visits[v])
		s.Day = append(s.Day, days[v])
		s.Value = append(s.Value, math.Round(30-float64(v)+8*rnd.NormFloat64()))
	}
	return s
}
