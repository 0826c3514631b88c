package figure

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/trajectory"
)

// modelResults reads testdata/<dir>/results.json (see testdata/models and
// testdata/cmprsk README.md: fit-stage output of bundled studies, trimmed,
// with plan figure blocks added).
func modelResults(t testing.TB, dir string) *schema.Results {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res schema.Results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

func modelEndpoint(t testing.TB, res *schema.Results, paramcd string) *schema.Endpoint {
	t.Helper()
	for i := range res.Endpoints {
		if res.Endpoints[i].Paramcd == paramcd {
			return &res.Endpoints[i]
		}
	}
	t.Fatalf("no endpoint %s", paramcd)
	return nil
}

func buildKind(t *testing.T, kind string, res *schema.Results, ep *schema.Endpoint, opts ...Option) Drawing {
	t.Helper()
	k, err := LookupKind(kind)
	if err != nil {
		t.Fatal(err)
	}
	if !k.AppliesTo(res, ep) {
		t.Fatalf("kind %s does not apply to %s", kind, ep.Paramcd)
	}
	d, err := k.Build(res, ep, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// TestAFTOverlayDrawsBestModel checks that the aft figure draws the model
// with the smallest AIC among those with status ok, point for point from
// its curves (1 − S on a response endpoint), within the axis, and names it
// with its AIC in the caption.
func TestAFTOverlayDrawsBestModel(t *testing.T) {
	res := modelResults(t, "models")
	for _, p := range []string{"TTRESP", "TTRELAPSE"} {
		t.Run(p, func(t *testing.T) {
			ep := modelEndpoint(t, res, p)
			var sec schema.AFTSection
			if _, err := ep.Section("aft", &sec); err != nil {
				t.Fatal(err)
			}
			var best *schema.AFTModel
			for i, m := range sec.Models {
				if m.Status == "ok" && m.AIC != nil && (best == nil || *m.AIC < *best.AIC) {
					best = &sec.Models[i]
				}
			}
			d := buildKind(t, "aft", res, ep)
			f := d.(*Figure)
			rising := ep.Kind == "response"
			want := map[string][]Point{}
			for _, c := range best.Curves {
				if c.Time < f.XMin || c.Time > f.XMax {
					continue
				}
				y := c.Surv
				if rising {
					y = 1 - y
				}
				want[c.Arm] = append(want[c.Arm], Point{c.Time, y})
			}
			got := map[string][]Point{}
			for _, r := range drawingCSV(t, d)[1:] {
				if r[0] == "model_curve" {
					got[r[1]] = append(got[r[1]], Point{atof(t, r[3]), atof(t, r[4])})
				}
			}
			if len(got) != 2 {
				t.Fatalf("model curves for %d arms, want 2", len(got))
			}
			for arm, w := range want {
				g := got[arm]
				if len(g) != len(w) || len(w) < 10 {
					t.Fatalf("%s: %d points drawn, %d in the axis", arm, len(g), len(w))
				}
				for i := range w {
					if !scalar.EqualWithinAbsOrRel(g[i].X, w[i].X, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(g[i].Y, w[i].Y, 1e-12, 1e-12) {
						t.Fatalf("%s point %d = %v, want %v", arm, i, g[i], w[i])
					}
				}
			}
			aic := strconv.FormatFloat(*best.AIC, 'f', 1, 64)
			if c := d.Caption(); !strings.Contains(c, distName(best.Dist)) || !strings.Contains(c, "AIC ("+aic+")") || !strings.Contains(c, "n = "+strconv.Itoa(best.N)) {
				t.Errorf("caption does not name %s with AIC %s and n: %s", best.Dist, aic, c)
			}
			if f.model.Legend != distName(best.Dist)+" AFT fit, AIC "+aic {
				t.Errorf("legend %q", f.model.Legend)
			}
		})
	}
}

// TestCureOverlayCurve checks the population curve against the model's
// definition, computed here independently for both latency
// distributions: with σ = exp(log(scale)) and the arm's latency median m,
// Weibull S_u(t) = exp(−log 2 (t/m)^(1/σ)) (survreg's parametrisation,
// so that S_u(m) = 1/2) and log-normal S_u(t) = erfc((log t − log m)/(σ√2))/2,
// and 1 − S = π (1 − S_u) on the response endpoint's rising scale.
func TestCureOverlayCurve(t *testing.T) {
	res := modelResults(t, "models")
	for _, latency := range []string{"weibull", "lognormal"} {
		t.Run(latency, func(t *testing.T) {
			ep := *modelEndpoint(t, res, "TTRESP")
			var sec schema.CureSection
			if _, err := ep.Section("cure", &sec); err != nil {
				t.Fatal(err)
			}
			sec.Latency = latency
			ep.Sections = maps(ep.Sections)
			ep.SetSection("cure", sec)
			var sigma float64
			for _, tm := range sec.Terms {
				if tm.Component == "latency" && tm.Term == "log(scale)" {
					sigma = math.Exp(*tm.Coef)
				}
			}
			su := func(t, m float64) float64 {
				if latency == "weibull" {
					return math.Exp(-math.Ln2 * math.Pow(t/m, 1/sigma))
				}
				return math.Erfc((math.Log(t)-math.Log(m))/(sigma*math.Sqrt2)) / 2
			}
			d := buildKind(t, "cure", res, &ep)
			n := 0
			for _, r := range drawingCSV(t, d)[1:] {
				if r[0] != "model_curve" {
					continue
				}
				arm := findCureArm(sec, r[1])
				x, y := atof(t, r[3]), atof(t, r[4])
				want := *arm.Fraction * (1 - su(x, *arm.Median))
				if !scalar.EqualWithinAbsOrRel(y, want, 1e-12, 1e-10) {
					t.Fatalf("%s at %v: 1 − S = %v, want %v", r[1], x, y, want)
				}
				n++
			}
			if n != 400 {
				t.Errorf("%d model points, want 200 per arm", n)
			}
			if c := d.Caption(); !strings.Contains(c, "KETAMINE π = 0.80") || !strings.Contains(c, "status no_plateau") {
				t.Errorf("caption %s", c)
			}
		})
	}
}

func maps(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestCIFMatchesRows checks that the cif figure draws every cif row as a
// vertex of its cause's curve, with the row's confidence limits for the
// event of interest (and none for the competing events), that the shaded
// band contains the curve, that its numbers at risk are the n_risk of
// the cif rows at the ticks (first row at or after the tick), that 1 − KM
// is never below the Aalen–Johansen incidence of the same event (it
// treats competing events as censored) and that the caption names the
// competing events with their counts and the band's conventions.
func TestCIFMatchesRows(t *testing.T) {
	res := modelResults(t, "cmprsk")
	ep := modelEndpoint(t, res, "TTRELAPSE")
	var rows []schema.CIFRow
	if _, err := ep.Section("cif", &rows); err != nil {
		t.Fatal(err)
	}
	d := buildKind(t, "cif", res, ep)
	f := d.(*CIFFigure)
	recs := drawingCSV(t, d)
	if !slices.Equal(recs[0], CIFCSVHeader) {
		t.Fatalf("header %v", recs[0])
	}
	drawn := map[string]bool{}
	for _, r := range recs[1:] {
		if r[0] == "cif" {
			drawn[strings.Join(r[1:5], "|")+"|"+strings.Join(r[6:8], "|")] = true
		}
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return num(*v)
	}
	banded := 0
	for _, r := range rows {
		if r.Time > f.XMax {
			continue
		}
		// The event of interest is drawn with the row's limits, the
		// competing events without a band.
		lo, hi := "", ""
		if r.Cause == ep.EventTypes.EventOfInterest {
			lo, hi = opt(r.Lower), opt(r.Upper)
			if r.Lower != nil {
				banded++
			}
		}
		if !drawn[r.Arm+"|"+r.Cause+"|"+num(max(r.Time, f.XMin))+"|"+num(r.CIF)+"|"+lo+"|"+hi] {
			t.Fatalf("cif row %+v is not drawn with limits [%s, %s]", r, lo, hi)
		}
	}
	if banded == 0 {
		t.Fatal("no cif row of the event of interest has confidence limits")
	}
	for _, a := range f.Arms {
		for j, tk := range f.Ticks {
			want := 0
			for _, r := range rows {
				if r.Arm == a.Name && r.Cause == ep.EventTypes.EventOfInterest && r.Time >= tk.Time {
					want = r.NRisk
					break
				}
			}
			if a.AtRisk[j] != want {
				t.Errorf("%s at %v: %d at risk drawn, cif rows give %d", a.Name, tk.Time, a.AtRisk[j], want)
			}
		}
		// The shaded band is the cif rows' limits as a post-step band:
		// every band vertex holds the limits of the curve at its time,
		// and contains the curve.
		runs := a.band()
		if len(runs) == 0 {
			t.Fatalf("%s: no band drawn", a.Name)
		}
		for _, run := range runs {
			for _, b := range run {
				c := stepAt(a.Causes[0], b.X)
				if !(b.Lower <= c+1e-12 && c <= b.Upper+1e-12) {
					t.Errorf("%s at %v: band [%v, %v] does not contain the cumulative incidence %v", a.Name, b.X, b.Lower, b.Upper, c)
				}
			}
		}
		for _, p := range a.OneMinusKM {
			if c := stepAt(a.Causes[0], p.X); p.Y < c-1e-12 {
				t.Errorf("%s at %v: 1 − KM %v below the cumulative incidence %v", a.Name, p.X, p.Y, c)
			}
		}
	}
	c := d.Caption()
	for _, w := range []string{"ADVERSE_EVENT (dashed), LACK_OF_EFFICACY (dotted) competing", "pointwise 95% confidence intervals of the cumulative incidence of RELAPSE (log-log transform, infinitesimal-jackknife variance)", "ESKETAMINE RELAPSE 41, ADVERSE_EVENT 13, LACK_OF_EFFICACY 0, censored 98", "PLACEBO RELAPSE 74"} {
		if !strings.Contains(c, w) {
			t.Errorf("caption lacks %q: %s", w, c)
		}
	}
}

// stepAt is the value of a post-step curve at x.
func stepAt(curve []Point, x float64) float64 {
	y := curve[0].Y
	for _, p := range curve {
		if p.X > x {
			break
		}
		y = p.Y
	}
	return y
}

// TestPlanSettings checks that every kind's Build applies the plan's figure
// block of the endpoint (results.json endpoints[].figure) and that an
// explicit option wins over it.
func TestPlanSettings(t *testing.T) {
	res := modelResults(t, "models")
	ep := modelEndpoint(t, res, "TTRELAPSE") // x_ticks 0..56 by 14, annotate and median_lines false
	ticks := func(ax TimeAxis) []float64 {
		var out []float64
		for _, tk := range ax.Ticks {
			out = append(out, tk.Time)
		}
		return out
	}
	for _, kind := range []string{"km", "aft"} {
		f := buildKind(t, kind, res, ep).(*Figure)
		if got := ticks(f.TimeAxis); !slices.Equal(got, ep.Figure.XTicks) {
			t.Errorf("%s: ticks %v, plan %v", kind, got, ep.Figure.XTicks)
		}
	}
	series := func(d Drawing) map[string]int {
		n := map[string]int{}
		for _, r := range drawingCSV(t, d)[1:] {
			n[r[0]]++
		}
		return n
	}
	km := series(buildKind(t, "km", res, ep))
	if km["hr"] != 0 || km["p_value"] != 0 || km["median_line"] != 0 {
		t.Errorf("plan annotate: false, median_lines: false, but the KM figure draws %v", km)
	}
	km = series(buildKind(t, "km", res, ep, WithAnnotation(true), WithXTicks(0, 7, 28)))
	if km["hr"] == 0 || km["p_value"] != 1 || km["median_line"] != 0 {
		t.Errorf("WithAnnotation(true) over the plan: %v", km)
	}
	if f := buildKind(t, "km", res, ep, WithXTicks(0, 7, 28)).(*Figure); !slices.Equal(ticks(f.TimeAxis), []float64{0, 7, 28}) {
		t.Errorf("WithXTicks over the plan: %v", ticks(f.TimeAxis))
	}

	cm := modelResults(t, "cmprsk")
	cep := modelEndpoint(t, cm, "TTRELAPSE") // x_range 0..140, test logrank
	for _, kind := range []string{"km", "aft", "cif"} {
		d := buildKind(t, kind, cm, cep)
		var ax TimeAxis
		switch f := d.(type) {
		case *Figure:
			ax = f.TimeAxis
		case *CIFFigure:
			ax = f.TimeAxis
		}
		if ax.XMin != 0 || ax.XMax != 140 {
			t.Errorf("%s: x axis [%v, %v], plan [0, 140]", kind, ax.XMin, ax.XMax)
		}
	}
	bad := *cep
	bad.Figure = &schema.FigureSettings{Test: "no_such_test"}
	if _, err := kmKind.Build(cm, &bad); err == nil || !strings.Contains(err.Error(), "no_such_test") {
		t.Errorf("plan test unknown to the endpoint: %v", err)
	}
	bad.Figure = &schema.FigureSettings{XRange: []float64{1}}
	if _, err := kmKind.Build(cm, &bad); err == nil || !strings.Contains(err.Error(), "x_range") {
		t.Errorf("plan x_range of one number: %v", err)
	}
}

// TestGoldenModelKinds compares the aft, cure and cif figures with their
// golden SVG (byte for byte) and PNG (within golden.PNGTolerance).
func TestGoldenModelKinds(t *testing.T) {
	for _, tt := range []struct{ dir, kind, paramcd string }{
		{"models", "aft", "TTRESP"},
		{"models", "aft", "TTRELAPSE"},
		{"models", "cure", "TTRESP"},
		{"cmprsk", "cif", "TTRELAPSE"},
		{"cmprsk", "aft", "TTRELAPSE"},
	} {
		t.Run(tt.dir+"/"+tt.kind+"/"+tt.paramcd, func(t *testing.T) {
			res := modelResults(t, tt.dir)
			ep := modelEndpoint(t, res, tt.paramcd)
			d := buildKind(t, tt.kind, res, ep, WithSVGFonts(false), WithDPI(96))
			k, _ := LookupKind(tt.kind)
			for _, format := range []string{"svg", "png"} {
				var buf bytes.Buffer
				if err := d.Render(&buf, format, DefaultWidth, DefaultHeight); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, tt.dir+"-"+k.FileBase(ep)+".golden."+format, buf.Bytes())
			}
		})
	}
}

// TestCIFBandRuns checks the cif band as the KM band (TestBandRuns): NA
// limits are not shaded, each interval [t_i, t_i+1) is shaded with row
// i's limits when defined, a run closes at the next row, and the CSV
// gives each vertex's limits, empty where NA.
func TestCIFBandRuns(t *testing.T) {
	nan := math.NaN()
	curve := []Point{{0, 0}, {1, 0}, {2, 0.2}, {3, 0.3}, {4, 0.3}, {5, 0.5}}
	for _, tc := range []struct {
		name         string
		lower, upper []float64
		want         [][]BandPoint
	}{
		{"split by NA", []float64{nan, nan, 0.1, 0.15, nan, 0.3}, []float64{nan, nan, 0.35, 0.45, nan, 0.7},
			[][]BandPoint{{{2, 0.1, 0.35}, {3, 0.15, 0.45}, {4, 0.15, 0.45}}, {{5, 0.3, 0.7}}}},
		{"to the end", []float64{nan, 0, 0.1, 0.15, 0.15, 0.3}, []float64{nan, 0, 0.35, 0.45, 0.45, 0.7},
			[][]BandPoint{{{1, 0, 0}, {2, 0.1, 0.35}, {3, 0.15, 0.45}, {4, 0.15, 0.45}, {5, 0.3, 0.7}}}},
		{"none", []float64{nan, nan, nan, nan, nan, nan}, []float64{nan, nan, nan, nan, nan, nan}, nil},
		{"one lower NA", []float64{nan, nan, nan, 0.15, nan, nan}, []float64{nan, nan, 0.35, 0.45, nan, nan},
			[][]BandPoint{{{3, 0.15, 0.45}, {4, 0.15, 0.45}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cifBand(curve, tc.lower, tc.upper)
			if len(got) != len(tc.want) {
				t.Fatalf("band runs %v, want %v", got, tc.want)
			}
			for i := range tc.want {
				if !slices.Equal(got[i], tc.want[i]) {
					t.Errorf("band run %d = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}

	f := &CIFFigure{EventOfInterest: "E", Competing: []string{"C"}, Arms: []CIFArm{{
		Name: "A", Causes: [][]Point{curve, curve},
		Lower: []float64{nan, nan, 0.1, 0.15, nan, 0.3}, Upper: []float64{nan, nan, 0.35, 0.45, nan, 0.7},
	}}}
	recs := drawingCSV(t, f)
	var got []string
	for _, r := range recs[1:] {
		got = append(got, r[2]+":"+r[6]+"-"+r[7])
	}
	want := []string{"E:-", "E:-", "E:0.1-0.35", "E:0.15-0.45", "E:-", "E:0.3-0.7", "C:-", "C:-", "C:-", "C:-", "C:-", "C:-"}
	if !slices.Equal(got, want) {
		t.Errorf("CSV limits %v, want %v", got, want)
	}
}

// TestFigureOptions checks the plan's axes of a figure drawn from the
// subjects' data (results.json figures): they set the trajectory's ticks,
// range and y label, an explicit option given after them wins, a figure
// without settings keeps the defaults, and an x_range of one number is an
// error naming the figure.
func TestFigureOptions(t *testing.T) {
	res := &schema.Results{Figures: map[string]schema.FigureSettings{
		"MADRS-trajectory": {XTicks: []float64{0, 7, 14}, XRange: []float64{0, 14}, YLabel: "MADRS total"},
		"bad":              {XRange: []float64{7}},
	}}
	means := []trajectory.VisitMean{
		{Param: "MADRS", Arm: "A", Visit: "BASELINE", Day: 0, N: 3, Mean: 30, Lower: 25, Upper: 35},
		{Param: "MADRS", Arm: "A", Visit: "DAY 28", Day: 28, N: 3, Mean: 20, Lower: 15, Upper: 25},
	}
	build := func(name string, extra ...Option) *Trajectory {
		t.Helper()
		plan, err := FigureOptions(res, name)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTrajectory(schema.StudyInfo{}, "MADRS", means, nil, 0.95, false, append(plan, extra...)...)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	tr := build("MADRS-trajectory")
	if tickLabels(tr.Ticks) != "0, 7, 14" || tr.XMin != 0 || tr.XMax != 14 || tr.YLabel != "MADRS total" {
		t.Errorf("planned: ticks %s, range [%v, %v], y label %q; want 0 7 14, [0, 14], MADRS total", tickLabels(tr.Ticks), tr.XMin, tr.XMax, tr.YLabel)
	}
	if tr := build("MADRS-trajectory", WithYLabel("Flag"), WithXTicks(0, 14)); tickLabels(tr.Ticks) != "0, 14" || tr.YLabel != "Flag" {
		t.Errorf("explicit options after the plan: ticks %s, y label %q; want 0 14, Flag", tickLabels(tr.Ticks), tr.YLabel)
	}
	if tr := build("MADRS-spaghetti"); tr.YLabel != "MADRS score" || tr.XMax != 28 {
		t.Errorf("figure without settings: y label %q, x max %v; want the defaults MADRS score, 28", tr.YLabel, tr.XMax)
	}
	if _, err := FigureOptions(res, "bad"); err == nil || !strings.Contains(err.Error(), "figures.bad.x_range holds 1 numbers") {
		t.Errorf("x_range of one number: %v", err)
	}
}
