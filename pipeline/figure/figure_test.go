package figure

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

func fixtureFigure(t testing.TB, paramcd string, opts ...Option) *Figure {
	t.Helper()
	res := fixtureResults(t)
	for _, ep := range res.Endpoints {
		if ep.Paramcd == paramcd {
			f, err := Curves(ep, res.Study, opts...)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("no endpoint %s in the fixture", paramcd)
	return nil
}

// csvRows renders f's CSV and returns its records without the header.
func csvRows(t *testing.T, f *Figure) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("CSV header %v, want %v", recs[0], CSVHeader)
	}
	return recs[1:]
}

func seriesOf(recs [][]string, series, arm string) [][]string {
	var out [][]string
	for _, r := range recs {
		if r[0] == series && r[1] == arm {
			out = append(out, r)
		}
	}
	return out
}

// TestAtRiskMatchesR compares the numbers at risk at the figure's ticks with
// R (testdata/km_fixture.R):
//
//	summary(survfit(Surv(AVAL, 1 - CNSR) ~ TRTP, data, conf.type = "log-log"),
//	        times = ticks, extend = TRUE)$n.risk
//
// which is what survminer::ggsurvplot(risk.table = TRUE) prints. The values
// are counts: they must be equal.
func TestAtRiskMatchesR(t *testing.T) {
	for _, p := range []string{"RESP", "RELAPSE"} {
		t.Run(p, func(t *testing.T) {
			f := fixtureFigure(t, p)
			want := readCSV(t, filepath.Join("testdata", "atrisk_"+p+".csv"))[1:]
			recs := csvRows(t, f)
			var got [][]string
			for _, a := range f.Arms {
				got = append(got, seriesOf(recs, "at_risk", a.Name)...)
			}
			// R sorts strata by name; compare per (arm, tick).
			type key struct {
				arm  string
				time float64
			}
			wantN := map[key]string{}
			for _, r := range want {
				wantN[key{r[0], parseFloat(t, r[1])}] = r[2]
			}
			if len(got) != len(want) {
				t.Fatalf("%d at_risk rows, R has %d (ticks %v)", len(got), len(want), f.Ticks)
			}
			for _, r := range got {
				x := parseFloat(t, r[3])
				w, ok := wantN[key{r[1], x}]
				if !ok {
					t.Errorf("arm %s: tick %v is not among R's times: regenerate testdata with the figure's ticks", r[1], x)
					continue
				}
				if r[5] != w {
					t.Errorf("arm %s: at risk at %v = %s, R says %s", r[1], x, r[5], w)
				}
			}
		})
	}
}

// TestDisplayTransform checks that response curves are drawn as 1 − S(t)
// with band [1 − upper, 1 − lower] and relapse curves as S(t), point by point
// against the km rows.
func TestDisplayTransform(t *testing.T) {
	tests := []struct {
		paramcd string
		rising  bool
		ylabel  string
	}{
		{"RESP", true, "Cumulative proportion with response"},
		{"RELAPSE", false, "Relapse-free proportion"},
	}
	for _, tt := range tests {
		t.Run(tt.paramcd, func(t *testing.T) {
			f := fixtureFigure(t, tt.paramcd)
			if f.Rising != tt.rising || f.YLabel != tt.ylabel {
				t.Fatalf("rising %v, y label %q; want %v, %q", f.Rising, f.YLabel, tt.rising, tt.ylabel)
			}
			km := readKM(t, tt.paramcd)
			recs := csvRows(t, f)
			y := func(s float64) float64 {
				if tt.rising {
					return 1 - s
				}
				return s
			}
			for _, a := range f.Arms {
				var rows []schema.KMRow
				for _, r := range km {
					if r.Arm == a.Name {
						rows = append(rows, r)
					}
				}
				curve := seriesOf(recs, "curve", a.Name)
				if len(curve) != len(rows)+1 {
					t.Fatalf("arm %s: %d curve points, want %d km rows + the start", a.Name, len(curve), len(rows))
				}
				if x, yy := parseFloat(t, curve[0][3]), parseFloat(t, curve[0][4]); x != f.XMin || yy != y(1) {
					t.Errorf("arm %s: curve starts at (%v, %v), want (%v, %v)", a.Name, x, yy, f.XMin, y(1))
				}
				lower := seriesOf(recs, "ci_lower", a.Name)
				upper := seriesOf(recs, "ci_upper", a.Name)
				byTime := map[float64]schema.KMRow{}
				for i, r := range rows {
					byTime[max(r.Time, f.XMin)] = r
					got := parseFloat(t, curve[i+1][4])
					if math.Abs(got-y(r.Surv)) > 1e-15 {
						t.Errorf("arm %s time %v: y = %v, want %v", a.Name, r.Time, got, y(r.Surv))
					}
				}
				for i := range lower {
					x := parseFloat(t, lower[i][3])
					r, ok := byTime[x]
					if !ok || r.Lower == nil {
						continue // closing vertex of a run: checked in TestBandRuns
					}
					lo, hi := *r.Lower, *r.Upper
					if tt.rising {
						lo, hi = 1-hi, 1-lo
					}
					if gl, gu := parseFloat(t, lower[i][4]), parseFloat(t, upper[i][4]); math.Abs(gl-lo) > 1e-15 || math.Abs(gu-hi) > 1e-15 {
						t.Errorf("arm %s time %v: band [%v, %v], want [%v, %v]", a.Name, x, gl, gu, lo, hi)
					}
				}
			}
		})
	}
}

func ptr(v float64) *float64 { return &v }

// TestBandRuns checks that NA bounds are not drawn: the band is split into
// runs, each interval [t_i, t_i+1) shaded with row i's bounds when defined.
func TestBandRuns(t *testing.T) {
	ep := schema.Endpoint{
		Paramcd: "X", Kind: "relapse", Status: "ok",
		KM: schema.KMTable([]schema.KMRow{
			{Arm: "A", Time: 1, NRisk: 5, NCensor: 1, Surv: 1}, // log-log: NA at S = 1
			{Arm: "A", Time: 2, NRisk: 4, NEvent: 1, Surv: 0.75, Lower: ptr(0.5), Upper: ptr(0.9)},
			{Arm: "A", Time: 3, NRisk: 3, NEvent: 1, Surv: 0.5, Lower: ptr(0.3), Upper: ptr(0.8)},
			{Arm: "A", Time: 4, NRisk: 2, NCensor: 1, Surv: 0.5},
			{Arm: "A", Time: 5, NRisk: 1, NEvent: 1, Surv: 0.1, Lower: ptr(0.01), Upper: ptr(0.4)},
		}),
	}
	f, err := Curves(ep, schema.StudyInfo{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]BandPoint{
		{{2, 0.5, 0.9}, {3, 0.3, 0.8}, {4, 0.3, 0.8}},
		{{5, 0.01, 0.4}},
	}
	got := f.Arms[0].Band
	if len(got) != len(want) {
		t.Fatalf("band runs %v, want %v", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("band run %d = %v, want %v", i, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("band run %d vertex %d = %v, want %v", i, j, got[i][j], want[i][j])
			}
		}
	}
	recs := csvRows(t, f)
	var segs []string
	for _, r := range seriesOf(recs, "ci_upper", "A") {
		segs = append(segs, r[2])
		if r[4] == "" || strings.Contains(strings.ToLower(r[4]), "nan") {
			t.Errorf("undefined band value written: %v", r)
		}
	}
	if strings.Join(segs, "") != "1112" {
		t.Errorf("ci_upper segments %v, want 1 1 1 2", segs)
	}
	if n := len(seriesOf(recs, "censor_mark", "A")); n != 2 {
		t.Errorf("%d censor marks, want 2", n)
	}
}

// TestLogAxisTimeZero checks that on a log axis points at t = 0 are drawn
// at the first tick, and that ticks are human durations.
func TestLogAxisTimeZero(t *testing.T) {
	ep := schema.Endpoint{
		Paramcd: "X", Kind: "response", TimeScale: "log", Status: "ok",
		KM: schema.KMTable([]schema.KMRow{
			{Arm: "A", Time: 0, NRisk: 4, NEvent: 1, Surv: 0.75},
			{Arm: "A", Time: 0.1, NRisk: 3, NEvent: 1, Surv: 0.5},
			{Arm: "A", Time: 3, NRisk: 2, NCensor: 2, Surv: 0.5},
		}),
	}
	f, err := Curves(ep, schema.StudyInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Log || f.XMin != 2*hour || f.XMax != 4 {
		t.Fatalf("log %v, axis [%v, %v], want log axis [2 h, 4 d]", f.Log, f.XMin, f.XMax)
	}
	wantCurve := []Point{{2 * hour, 0}, {2 * hour, 0.25}, {0.1, 0.5}, {3, 0.5}}
	for i, p := range f.Arms[0].Curve {
		if p != wantCurve[i] {
			t.Errorf("curve point %d = %v, want %v", i, p, wantCurve[i])
		}
	}
	// The subject with the event at t = 0 is not at risk at the first tick.
	if f.Arms[0].AtRisk[0] != 3 {
		t.Errorf("at risk at the first tick %d, want 3", f.Arms[0].AtRisk[0])
	}
	// -time-scale linear overrides the endpoint's scale.
	f, err = Curves(ep, schema.StudyInfo{}, WithTimeScale(TimeLinear))
	if err != nil {
		t.Fatal(err)
	}
	if f.Log || f.XMin != 0 || f.Arms[0].Curve[1].X != 0 {
		t.Errorf("linear override: log %v, xmin %v, first event at x = %v", f.Log, f.XMin, f.Arms[0].Curve[1].X)
	}
}

func tickLabels(ts []Tick) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Label)
	}
	return strings.Join(s, ", ")
}

func TestTimeAxes(t *testing.T) {
	tests := []struct {
		name       string
		log        bool
		minPos     float64
		tmax       float64
		wantLabels string
		wantMax    float64
	}{
		{"log 40 min to 28 d", true, 40 * minute, 28, "40 min, 4 h, 1 d, 7 d, 28 d", 28},
		{"log 1 h to 7 d", true, 1.5 * hour, 6, "1 h, 2 h, 4 h, 12 h, 1 d, 2 d, 7 d", 7},
		{"log beyond candidates", true, 3, 2900, "2 d, 7 d, 28 d, 84 d, 365 d, 2920 d", 2920},
		{"log one time", true, 1, 1, "1 d, 2 d", 2},
		{"linear 6 months weekly multiples", false, 0, 180, "0, 28, 56, 84, 112, 140, 168, 196", 196},
		{"linear 8 weeks", false, 0, 56, "0, 7, 14, 21, 28, 35, 42, 49, 56", 56},
		{"linear 10 weeks", false, 0, 70, "0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70", 70},
		{"linear 11 weeks", false, 0, 71, "0, 14, 28, 42, 56, 70, 84", 84},
		{"linear 2 weeks", false, 0, 14, "0, 2, 4, 6, 8, 10, 12, 14", 14},
		{"linear 28 days", false, 0, 28, "0, 7, 14, 21, 28", 28},
		{"linear 1 day", false, 0, 1, "0, 4 h, 8 h, 12 h, 16 h, 20 h, 1 d", 1},
		{"linear 9 hours", false, 0, 9 * hour, "0, 1 h, 2 h, 3 h, 4 h, 5 h, 6 h, 7 h, 8 h, 9 h", 9 * hour},
		{"linear 2 days", false, 0, 2, "0, 6 h, 12 h, 18 h, 1 d, 30 h, 36 h, 42 h, 2 d", 2},
		{"linear no time", false, 0, 0, "0, 4 h, 8 h, 12 h, 16 h, 20 h, 1 d", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ax timeAxis
			if tt.log {
				ax = logAxis(tt.minPos, tt.tmax)
			} else {
				ax = linearAxis(tt.tmax)
			}
			if got := tickLabels(ax.ticks); got != tt.wantLabels {
				t.Errorf("ticks %q, want %q", got, tt.wantLabels)
			}
			if ax.max != tt.wantMax || ax.ticks[0].Time != ax.min || ax.ticks[len(ax.ticks)-1].Time != ax.max {
				t.Errorf("axis [%v, %v], ticks from %v to %v; want max %v and ticks at both ends", ax.min, ax.max, ax.ticks[0].Time, ax.ticks[len(ax.ticks)-1].Time, tt.wantMax)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		days float64
		want string
	}{
		{0, "0"}, {30.0 / 86400, "30 s"}, {40 * minute, "40 min"}, {4 * hour, "4 h"},
		{1, "1 d"}, {28, "28 d"}, {36 * hour, "36 h"}, {0.123456, "0.123 d"}, {1.5 * minute, "90 s"},
	}
	for _, tt := range tests {
		if got := duration(tt.days); got != tt.want {
			t.Errorf("duration(%v) = %q, want %q", tt.days, got, tt.want)
		}
	}
}

func TestCurvesErrors(t *testing.T) {
	good := func() schema.Endpoint {
		return schema.Endpoint{Paramcd: "X", Kind: "relapse", Status: "ok", KM: schema.KMTable([]schema.KMRow{
			{Arm: "A", Time: 1, NRisk: 2, NEvent: 1, Surv: 0.5},
			{Arm: "A", Time: 2, NRisk: 1, NEvent: 1, Surv: 0},
		})}
	}
	tests := []struct {
		name   string
		modify func(*schema.Endpoint)
		opts   []Option
		want   string
	}{
		{"no km rows", func(e *schema.Endpoint) { e.KM = schema.KMRows{}; e.Status = "no-events" }, nil, `no Kaplan–Meier rows (status "no-events")`},
		{"kind", func(e *schema.Endpoint) { e.Kind = "death" }, nil, `kind "death": use one of`},
		{"endpoint scale", func(e *schema.Endpoint) { e.TimeScale = "sqrt" }, nil, `time_scale "sqrt"`},
		{"option scale", nil, []Option{WithTimeScale("sqrt")}, `time scale "sqrt": use auto, linear or log`},
		{"dpi", nil, []Option{WithDPI(0)}, "0 dpi"},
		{"NaN surv", func(e *schema.Endpoint) { e.KM.Arms[0].Surv[1] = math.NaN() }, nil, "km row 2 (arm \"A\", time 2): surv NaN"},
		{"negative time", func(e *schema.Endpoint) { e.KM.Arms[0].Time[0] = -1 }, nil, "time -1"},
		{"bound above 1", func(e *schema.Endpoint) { e.KM.Arms[0].Upper[0] = 1.5 }, nil, "upper 1.5"},
		{"repeated time", func(e *schema.Endpoint) { e.KM.Arms[0].Time[1] = 1 }, nil, `arm "A" has two km rows at time 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := good()
			if tt.modify != nil {
				tt.modify(&ep)
			}
			_, err := Curves(ep, schema.StudyInfo{}, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "figure of X") {
				t.Errorf("error %v, want one naming X and containing %q", err, tt.want)
			}
		})
	}
	if _, err := Curves(good(), schema.StudyInfo{}); err != nil {
		t.Errorf("valid endpoint: %v", err)
	}
}

// TestArmsAndLegend checks arm order (study order, then unknown arms),
// labels, sizes and that each arm gets a distinct colour and line style.
func TestArmsAndLegend(t *testing.T) {
	f := fixtureFigure(t, "RESP")
	var got []string
	for _, a := range f.Arms {
		got = append(got, a.legend())
	}
	want := "SSRI: Conventional antidepressant (n = 24); KET: Ketamine (n = 24)"
	if strings.Join(got, "; ") != want {
		t.Errorf("legend %q, want %q", strings.Join(got, "; "), want)
	}
	if f.Arms[0].Color == f.Arms[1].Color || len(f.Arms[0].Dashes) == len(f.Arms[1].Dashes) {
		t.Error("arms share a colour or a line style")
	}
	if f.Notes[len(f.Notes)-1] != SyntheticNote {
		t.Errorf("notes %q do not end with the synthetic-data note", f.Notes)
	}
	ep := schema.Endpoint{Paramcd: "X", Kind: "other", KM: schema.KMTable([]schema.KMRow{
		{Arm: "Z", Time: 1, NRisk: 1, NEvent: 1, Surv: 0},
		{Arm: "B", Time: 1, NRisk: 3, NEvent: 1, Surv: 2.0 / 3},
	})}
	f, err := Curves(ep, schema.StudyInfo{Arms: []schema.ArmInfo{{Name: "B", Label: "Bee"}, {Name: "C"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Arms) != 2 || f.Arms[0].legend() != "B: Bee (n = 3)" || f.Arms[1].legend() != "Z (n = 1)" {
		t.Errorf("arms %+v, want B: Bee (n = 3) then Z (n = 1)", f.Arms)
	}
	for _, n := range f.Notes {
		if n == SyntheticNote {
			t.Error("synthetic-data note on a study that is not synthetic")
		}
	}
}

// TestGoldenSVG compares the SVG files (without embedded fonts, to keep the
// golden files small) byte for byte with testdata/<PARAMCD>.golden.svg.
// Regenerate with go test ./pipeline/figure -regen, then look at them.
func TestGoldenSVG(t *testing.T) {
	for _, p := range []string{"RESP", "RELAPSE"} {
		t.Run(p, func(t *testing.T) {
			f := fixtureFigure(t, p, WithSVGFonts(false), WithNotes("Shaded bands: pointwise 95% confidence intervals (log-log, Greenwood)."))
			var buf bytes.Buffer
			if err := f.Render(&buf, "svg", DefaultWidth, DefaultHeight); err != nil {
				t.Fatal(err)
			}
			dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("SVG is not well-formed XML: %v", err)
				}
			}
			checkGolden(t, p+".golden.svg", buf.Bytes())
		})
	}
}

// TestDeterministic renders each format twice, with different GOMAXPROCS,
// and requires identical bytes.
func TestDeterministic(t *testing.T) {
	f := fixtureFigure(t, "RESP", WithDPI(72))
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var a, b bytes.Buffer
			old := runtime.GOMAXPROCS(1)
			err := f.Render(&a, format, DefaultWidth, DefaultHeight)
			runtime.GOMAXPROCS(old)
			if err != nil {
				t.Fatal(err)
			}
			g := fixtureFigure(t, "RESP", WithDPI(72))
			if err := g.Render(&b, format, DefaultWidth, DefaultHeight); err != nil {
				t.Fatal(err)
			}
			if a.Len() < 1000 || !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two renders differ (%d and %d bytes)", a.Len(), b.Len())
			}
			if format == "pdf" && !bytes.Contains(a.Bytes(), []byte("/CreationDate (D:20000101000000)")) {
				t.Error("PDF creation date is not PDFDate")
			}
		})
	}
}

func TestSaveAndRenderErrors(t *testing.T) {
	f := fixtureFigure(t, "RELAPSE")
	dir := t.TempDir()
	if err := f.Save(filepath.Join(dir, "x.jpg"), DefaultWidth, DefaultHeight); err == nil || !strings.Contains(err.Error(), "x.jpg") || !strings.Contains(err.Error(), "svg, png, pdf") {
		t.Errorf("Save .jpg: %v, want an error naming the file and the formats", err)
	}
	if err := f.Render(&bytes.Buffer{}, "svg", 3*vg1cm, 3*vg1cm); err == nil || !strings.Contains(err.Error(), "too small") {
		t.Errorf("tiny figure: %v", err)
	}
	long := fixtureStudy
	long.Arms = []schema.ArmInfo{{Name: "KET", Label: strings.Repeat("Ketamine ", 20)}, {Name: "SSRI"}}
	res := fixtureResults(t)
	g, err := Curves(res.Endpoints[0], long)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Render(&bytes.Buffer{}, "svg", DefaultWidth, DefaultHeight); err == nil || !strings.Contains(err.Error(), "shorter arm labels") {
		t.Errorf("legend wider than the figure: %v", err)
	}
	if err := f.Render(&bytes.Buffer{}, "svg", DefaultWidth, 6*vg1cm); err == nil || !strings.Contains(err.Error(), "use a taller figure") {
		t.Errorf("figure too short for the curves: %v", err)
	}
	path := filepath.Join(dir, "sub", "RELAPSE.pdf")
	if err := f.Save(path, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("saved PDF: %v, starts %q", err, b[:min(len(b), 8)])
	}
}

const vg1cm = DefaultWidth / 16

func TestPDFText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ketamine (n = 24)", "Ketamine (n = 24)"},
		{"Synthetic data — not", "Synthetic data \x97 not"},
		{"MADRS ≥ 50%", "MADRS >= 50%"},
		{"1 − S", "1 - S"},
		{"日", "?"},
	}
	for _, tt := range tests {
		if got := pdfText(tt.in); got != tt.want {
			t.Errorf("pdfText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCSVNumbers checks that CSV numbers read back to the drawn float64s.
func TestCSVNumbers(t *testing.T) {
	f := fixtureFigure(t, "RESP")
	recs := csvRows(t, f)
	curve := seriesOf(recs, "curve", "KET")
	for i, p := range f.Arms[1].Curve {
		x, _ := strconv.ParseFloat(curve[i][3], 64)
		y, _ := strconv.ParseFloat(curve[i][4], 64)
		if x != p.X || y != p.Y {
			t.Errorf("row %d reads back as (%v, %v), drawn (%v, %v)", i, x, y, p.X, p.Y)
		}
	}
}

func TestWrap(t *testing.T) {
	s := style(sans, noteSize, grey)
	txt := "Curves: Kaplan–Meier estimate; + censored; shaded: pointwise confidence band."
	width := s.Width("Curves: Kaplan–Meier estimate;")
	lines := wrap(s, txt, width)
	if strings.Join(lines, " ") != txt || len(lines) < 3 {
		t.Fatalf("wrap gave %q", lines)
	}
	for _, l := range lines {
		if s.Width(l) > width {
			t.Errorf("line %q is wider than %v", l, width)
		}
	}
	if got := wrap(s, txt, 1e6); len(got) != 1 {
		t.Errorf("wide enough: %q", got)
	}
}
