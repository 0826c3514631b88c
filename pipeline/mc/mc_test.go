package mc

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/km"
)

const testDesignYAML = `name: test
control: {name: SSRI, n: 40, median: 30}
experimental: {name: KETAMINE, n: 40, hr: 1.8}
shape: 1.3
followup: {min: 40, max: 60}
dropout_rate: 0.005
rmst_tau: 40
`

func testDesign(t testing.TB) *Design {
	t.Helper()
	d, err := ParseDesign("design.yaml", []byte(testDesignYAML))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWorkersDoNotChangeResults runs the same study with 1, 2 and 7
// workers: the partial results must be identical, bit for bit.
func TestWorkersDoNotChangeResults(t *testing.T) {
	d := testDesign(t)
	var want []byte
	for _, w := range []int{1, 2, 7} {
		p, err := Run(context.Background(), d, Options{Trials: 1250, Seed: 7, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		got := encode(t, p)
		if want == nil {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d workers give another result than 1 worker", w)
		}
	}
}

// TestShardsMergeToOneRun checks that 1, 3 and 4 shards, merged in any
// order, give exactly the result of one run, and that the seed matters.
func TestShardsMergeToOneRun(t *testing.T) {
	d := testDesign(t)
	const trials = 1250 // 13 blocks, the last one partial
	one, err := Run(context.Background(), d, Options{Trials: trials, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Merge([]*Partial{one})
	if err != nil {
		t.Fatal(err)
	}
	want := encode(t, whole)
	for _, n := range []int{1, 3, 4} {
		var parts []*Partial
		total := 0
		for i := n - 1; i >= 0; i-- { // reverse order
			p, err := Run(context.Background(), d, Options{Trials: trials, Seed: 3, Workers: 1 + i%2, Shard: Shard{Index: i, Count: n}})
			if err != nil {
				t.Fatal(err)
			}
			total += ShardTrials(trials, p.Shard)
			// Through JSON, as power merge reads the files.
			back, err := ReadPartial("part.json", encode(t, p))
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, back)
		}
		if total != trials {
			t.Errorf("%d shards run %d trials, want %d", n, total, trials)
		}
		merged, err := Merge(parts)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(t, merged); !bytes.Equal(got, want) {
			t.Errorf("%d shards merged differ from one run", n)
		}
	}
	other, err := Run(context.Background(), d, Options{Trials: trials, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := Merge([]*Partial{other}); bytes.Equal(encode(t, r), want) {
		t.Error("seeds 3 and 4 give the same result")
	}
}

func TestMergeErrors(t *testing.T) {
	d := testDesign(t)
	shard := func(i, n int, seed uint64, trials int) *Partial {
		p, err := Run(context.Background(), d, Options{Trials: trials, Seed: seed, Shard: Shard{Index: i, Count: n}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	d2 := testDesign(t)
	d2.Experimental.HR = 2
	p2, err := Run(context.Background(), d2, Options{Trials: 400, Seed: 1, Shard: Shard{Index: 1, Count: 2}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		parts []*Partial
		want  string
	}{
		{"none", nil, "no partial results"},
		{"missing", []*Partial{shard(0, 4, 1, 400), shard(2, 4, 1, 400)}, "blocks 1, 3 are missing"},
		{"twice", []*Partial{shard(0, 2, 1, 400), shard(0, 2, 1, 400), shard(1, 2, 1, 400)}, "appears twice"},
		{"seed", []*Partial{shard(0, 2, 1, 400), shard(1, 2, 2, 400)}, "seed 2"},
		{"trials", []*Partial{shard(0, 2, 1, 400), shard(1, 2, 1, 600)}, "600 trials"},
		{"design", []*Partial{shard(0, 2, 1, 400), p2}, "another design"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Merge(c.parts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Merge: %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	d := testDesign(t)
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Trials: 0}, "at least 1"},
		{Options{Trials: 100, Shard: Shard{Index: 2, Count: 2}}, "index must be in 0..count-1"},
		{Options{Trials: 100, Shard: Shard{Index: 0, Count: 2}}, "at most 1 shards"},
	} {
		if _, err := Run(context.Background(), d, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Run(%+v): %v, want %q", c.opt, err, c.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, d, Options{Trials: 1000}); err == nil {
		t.Error("cancelled run: no error")
	}
}

// TestRestrictedMeanMatchesR compares RestrictedMean with R survival's
// rmean and se(rmean) (testdata/make_reference.R):
//
//	summary(survfit(Surv(time, status) ~ 1, data = d), rmean = tau)$table[c("rmean", "se(rmean)")]
func TestRestrictedMeanMatchesR(t *testing.T) {
	data := readCSV(t, "testdata/rmst_data.csv")
	ref := readCSV(t, "testdata/rmst_reference.csv")
	type set struct {
		time  []float64
		event []bool
	}
	sets := map[string]*set{}
	for _, r := range data {
		s := sets[r[0]]
		if s == nil {
			s = &set{}
			sets[r[0]] = s
		}
		s.time = append(s.time, parse(t, r[1]))
		s.event = append(s.event, r[2] == "1")
	}
	if len(ref) < 15 {
		t.Fatalf("only %d reference rows", len(ref))
	}
	for _, r := range ref {
		s := sets[r[0]]
		c, err := km.KaplanMeier(s.time, s.event, km.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tau, wantMean, wantSE := parse(t, r[1]), parse(t, r[2]), parse(t, r[3])
		got := RestrictedMean(c, tau)
		if !close(got.Estimate, wantMean, 1e-9) || !close(got.SE, wantSE, 1e-9) {
			t.Errorf("%s tau=%v: RMST %v (SE %v), R %v (SE %v)", r[0], tau, got.Estimate, got.SE, wantMean, wantSE)
		}
	}
}

func close(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTruth checks the closed forms against their definitions: S(median) =
// 1/2, the hazard ratio, and the RMST by numerical integration of S.
func TestTruth(t *testing.T) {
	for _, c := range []struct {
		name  string
		shape float64
		exp   Arm
	}{
		{"exponential, hr", 1, Arm{Name: "E", N: 10, HR: 2}},
		{"weibull 0.7, hr", 0.7, Arm{Name: "E", N: 10, HR: 0.6}},
		{"weibull 1.5, median", 1.5, Arm{Name: "E", N: 10, Median: 12}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &Design{Name: "t", Control: Arm{Name: "C", N: 10, Median: 20}, Experimental: c.exp, Shape: c.shape,
				Followup: Followup{Min: 30, Max: 50}, RMSTTau: 35}
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
			truth := d.Truth()
			w := d.arms()
			for a := range 2 {
				surv := func(t float64) float64 { return math.Exp(-math.Pow(t/w[a].scale, w[a].shape)) }
				if s := surv(truth.Median[a]); math.Abs(s-0.5) > 1e-12 {
					t.Errorf("arm %d: S(median) = %v", a, s)
				}
				// Composite Simpson on [0, tau] with a fine grid.
				const m = 200000
				h := d.RMSTTau / m
				sum := surv(0) + surv(d.RMSTTau)
				for i := 1; i < m; i++ {
					sum += float64(2+2*(i%2)) * surv(float64(i)*h)
				}
				if num := sum * h / 3; !close(truth.RMST[a], num, 1e-7) {
					t.Errorf("arm %d: RMST %v, numerical %v", a, truth.RMST[a], num)
				}
			}
			// The hazard ratio h1(t)/h0(t) at any t.
			hz := func(a int, t float64) float64 {
				return w[a].shape / w[a].scale * math.Pow(t/w[a].scale, w[a].shape-1)
			}
			for _, tt := range []float64{1, 10, 40} {
				if r := hz(1, tt) / hz(0, tt); !close(r, truth.HR, 1e-12) {
					t.Errorf("h1/h0 at %v = %v, truth %v", tt, r, truth.HR)
				}
			}
			if c.exp.HR != 0 && !close(truth.HR, c.exp.HR, 1e-12) {
				t.Errorf("HR %v, design %v", truth.HR, c.exp.HR)
			}
		})
	}
}

// TestEstimatesAgreeWithTruth is a small-sample sanity check of the whole
// chain: over 600 trials the mean log HR and RMST difference are within 4
// Monte Carlo standard errors of the truth and the tests have power.
func TestEstimatesAgreeWithTruth(t *testing.T) {
	d := testDesign(t)
	p, err := Run(context.Background(), d, Options{Trials: 600, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Merge([]*Partial{p})
	if err != nil {
		t.Fatal(err)
	}
	h := r.HazardRatio
	if se := *h.SDLogHR / math.Sqrt(float64(h.Fits)); math.Abs(*h.BiasLogHR) > 4*se+0.02 {
		t.Errorf("log HR bias %v, MC s.e. %v", *h.BiasLogHR, se)
	}
	rm := r.RMSTDifference
	if se := *rm.SD / math.Sqrt(float64(r.Trials)); math.Abs(*rm.Bias) > 4*se {
		t.Errorf("RMST difference bias %v, MC s.e. %v", *rm.Bias, se)
	}
	// Model-based and empirical SDs agree within 15%.
	if ratio := *h.MeanSELogHR / *h.SDLogHR; ratio < 0.85 || ratio > 1.15 {
		t.Errorf("mean SE / SD of log HR = %v", ratio)
	}
	if pw := *r.Power.Logrank.Estimate; pw < 0.3 || pw > 0.9 {
		t.Errorf("log-rank power %v: expected about 0.6 for HR 1.8 with 40 per arm", pw)
	}
	for _, c := range r.CheckCoverage(0.9, 0.99) {
		if !c.OK {
			t.Errorf("coverage of %s: %v", c.Interval, *c.Coverage.Estimate)
		}
	}
}

func TestParseDesignErrors(t *testing.T) {
	for _, c := range []struct {
		name, edit, want string
	}{
		{"unknown key", "shape: 1.3\ncolour: red", "field colour not found"},
		{"no median", "control: {name: SSRI, n: 40, median: 30}|control: {name: SSRI, n: 40}", "line 2: control.median is 0"},
		{"both", "hr: 1.8}|hr: 1.8, median: 10}", "line 3: experimental has both"},
		{"small n", "n: 40, hr|n: 1, hr", "line 3: experimental.n is 1"},
		{"same names", "name: KETAMINE|name: SSRI", "both arms are named"},
		{"shape", "shape: 1.3|shape: 0", "line 4: shape is 0"},
		{"followup", "min: 40|min: 70", "followup is {min: 70, max: 60}"},
		{"tau", "rmst_tau: 40|rmst_tau: 70", "line 7: rmst_tau is 70"},
		{"alpha", "rmst_tau: 40|rmst_tau: 40\nalpha: 5", "alpha is 5"},
		{"ties", "rmst_tau: 40|rmst_tau: 40\nties: exact", "unknown ties method"},
		{"conf type", "rmst_tau: 40|rmst_tau: 40\nconf_type: arcsin", "unknown confidence interval type"},
		{"analysis", "rmst_tau: 40|rmst_tau: 40\nanalyses: [cox, logrank, mean]", "line 8: analyses: unknown analysis \"mean\""},
		// Strict types (yamlstrict).
		{"fractional n", "n: 40, hr|n: 40.9, hr", `line 3: "40.9" is not a whole number`},
		{"quoted number", "shape: 1.3|shape: \"1.3\"", `line 4: "1.3" is not a number`},
		{"second document", "rmst_tau: 40|rmst_tau: 40\n---\nshape: 2", "line 8: a second YAML document"},
		{"analysis twice", "rmst_tau: 40|rmst_tau: 40\nanalyses: [cox, cox]", "listed twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := testDesignYAML
			if old, repl, ok := strings.Cut(c.edit, "|"); ok {
				text = strings.Replace(text, old, repl, 1)
			} else {
				text = strings.Replace(text, "shape: 1.3", c.edit, 1)
			}
			_, err := ParseDesign("design.yaml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "design.yaml") {
				t.Errorf("error %v, want one starting with the file name and containing %q", err, c.want)
			}
		})
	}
	d := testDesign(t)
	if d.Alpha != 0.05 || d.ConfLevel != 0.95 || d.ConfType != km.LogLog || d.Ties != "efron" {
		t.Errorf("defaults not filled: %+v", d)
	}
	var zero Design
	if !reflect.DeepEqual(zero, Design{}) {
		t.Error("unreachable")
	}
}

// TestAnalysesSubset runs the tests only: the medians and the RMST are
// undefined (null), the tests are as in a run of every analysis.
func TestAnalysesSubset(t *testing.T) {
	d := testDesign(t)
	sub, err := ParseDesign("design.yaml", []byte(testDesignYAML+"analyses: [cox, logrank]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sub.Analyses, []string{"logrank", "cox"}) {
		t.Errorf("analyses %v, want canonical order", sub.Analyses)
	}
	result := func(d *Design) *Result {
		p, err := Run(context.Background(), d, Options{Trials: 300, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Merge([]*Partial{p})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	all, tests := result(d), result(sub)
	if !reflect.DeepEqual(all.Power, tests.Power) || !reflect.DeepEqual(all.HazardRatio, tests.HazardRatio) {
		t.Error("the tests differ when the other analyses are left out")
	}
	if tests.Median[0].Coverage.N != 0 || tests.Median[0].Coverage.Estimate != nil || tests.RMSTDifference.MeanEstimate != nil {
		t.Errorf("medians and RMST should be undefined: %+v %+v", tests.Median[0], tests.RMSTDifference)
	}
	if all.Median[0].Coverage.N != 300 || all.RMSTDifference.Coverage.N != 300 {
		t.Errorf("full run: median n %d, RMST n %d", all.Median[0].Coverage.N, all.RMSTDifference.Coverage.N)
	}
	if b := encode(t, tests); !bytes.Contains(b, []byte(`"mean_estimate": null`)) {
		t.Error("undefined values are not null in JSON")
	}
	var sum bytes.Buffer
	if err := tests.WriteSummary(&sum); err != nil || !strings.Contains(sum.String(), "undefined") {
		t.Errorf("summary: %v\n%s", err, sum.String())
	}
}
