package mc

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
)

// ResultFormat identifies result files.
const ResultFormat = "ketcurves-power/1"

// Result summarises a study. Undefined values (no trial to average over)
// are null in JSON (nil pointers).
type Result struct {
	Format    string `json:"format"`
	Design    Design `json:"design"`
	Truth     Truth  `json:"truth"`
	Trials    int    `json:"trials"`
	Seed      uint64 `json:"seed"`
	BlockSize int    `json:"block_size"`
	// MeanEvents is the mean number of events per trial (both arms).
	MeanEvents float64 `json:"mean_events"`

	Power          Power         `json:"power"`
	HazardRatio    HRSummary     `json:"hazard_ratio"`
	Median         []MedianStats `json:"median"` // control, experimental
	RMSTDifference RMSTSummary   `json:"rmst_difference"`

	// Sums are the totals every figure above is computed from.
	Sums Sums `json:"sums"`
}

// Proportion is a Monte Carlo proportion Count/N with its Monte Carlo
// standard error sqrt(p(1-p)/N).
type Proportion struct {
	Count    int      `json:"count"`
	N        int      `json:"n"`
	Estimate *float64 `json:"estimate"`
	MCSE     *float64 `json:"mcse"`
}

// Power holds the rejection rates of two-sided tests at level alpha.
type Power struct {
	// Logrank: p < alpha, among trials where the test could be computed.
	Logrank Proportion `json:"logrank"`
	// LogrankDirectional: p < alpha with the experimental arm's observed
	// events on the side of the true effect (more events than expected
	// when the true HR > 1).
	LogrankDirectional Proportion `json:"logrank_directional"`
	// CoxWald: Wald test of the treatment coefficient, among converged fits.
	CoxWald Proportion `json:"cox_wald"`
}

// HRSummary describes the Cox estimate of the log hazard ratio over the
// trials whose fit has status ok.
type HRSummary struct {
	Fits        int        `json:"fits"`
	MeanLogHR   *float64   `json:"mean_log_hr"`
	BiasLogHR   *float64   `json:"bias_log_hr"`
	SDLogHR     *float64   `json:"sd_log_hr"`      // empirical SD over trials
	MeanSELogHR *float64   `json:"mean_se_log_hr"` // mean model-based SE
	Coverage    Proportion `json:"coverage"`
}

// MedianStats describes the Kaplan–Meier median of one arm.
type MedianStats struct {
	Arm   string  `json:"arm"`
	Truth float64 `json:"truth"`
	// Reached: trials whose curve reaches 0.5.
	Reached Proportion `json:"reached"`
	// MeanEstimate is over the trials where the median is reached.
	MeanEstimate *float64 `json:"mean_estimate"`
	// Coverage of the Brookmeyer–Crowley interval over the trials (all
	// trials, or none if the design's analyses omit the median); an
	// unreached upper limit counts as +Inf, an unreached lower limit as
	// not covering.
	Coverage Proportion `json:"coverage"`
}

// RMSTSummary describes the difference in restricted mean survival time
// (experimental - control) at Tau.
type RMSTSummary struct {
	Tau          float64    `json:"tau"`
	Truth        float64    `json:"truth"`
	MeanEstimate *float64   `json:"mean_estimate"`
	Bias         *float64   `json:"bias"`
	SD           *float64   `json:"sd"`
	MeanSE       *float64   `json:"mean_se"`
	Coverage     Proportion `json:"coverage"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func proportion(count, n int) Proportion {
	p := Proportion{Count: count, N: n}
	if n > 0 {
		e := float64(count) / float64(n)
		p.Estimate = num(e)
		p.MCSE = num(math.Sqrt(e * (1 - e) / float64(n)))
	}
	return p
}

// meanSD returns the mean and the sample SD from a count, sum and sum of
// squares; NaN where undefined.
func meanSD(n int, sum, sum2 float64) (mean, sd float64) {
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	v := (sum2 - float64(n)*mean*mean) / float64(n-1)
	return mean, math.Sqrt(math.Max(v, 0))
}

// Merge combines the partial results of the shards of one study into its
// result, bit-identical to the result of one run of all its trials. The
// partials must come from the same design, number of trials, seed and
// block size, and together cover every block exactly once, in any order.
func Merge(parts []*Partial) (*Result, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: no partial results given", errMerge)
	}
	first := parts[0]
	var blocks []Block
	for i, p := range parts {
		switch {
		case p.Format != PartialFormat:
			return nil, fmt.Errorf("%w: part %d has format %q, want %q", errMerge, i+1, p.Format, PartialFormat)
		case p.BlockSize != BlockSize:
			return nil, fmt.Errorf("%w: part %d has block size %d, this program uses %d: rerun it with this version", errMerge, i+1, p.BlockSize, BlockSize)
		case p.Trials != first.Trials || p.Seed != first.Seed:
			return nil, fmt.Errorf("%w: part %d is of a study of %d trials with seed %d, part 1 of %d trials with seed %d: merge parts of one study only", errMerge, i+1, p.Trials, p.Seed, first.Trials, first.Seed)
		case !reflect.DeepEqual(p.Design, first.Design):
			return nil, fmt.Errorf("%w: part %d has another design than part 1 (%q vs %q): merge parts of one study only", errMerge, i+1, p.Design.Name, first.Design.Name)
		}
		blocks = append(blocks, p.Blocks...)
	}
	slices.SortFunc(blocks, func(a, b Block) int { return a.Index - b.Index })
	nBlocks := (first.Trials + BlockSize - 1) / BlockSize
	var missing []string
	want := 0
	for _, b := range blocks {
		if b.Index < want {
			return nil, fmt.Errorf("%w: block %d (trials %d..%d) appears twice: a shard was given twice or shards overlap", errMerge, b.Index, b.Index*BlockSize, min((b.Index+1)*BlockSize, first.Trials)-1)
		}
		if b.Index > want {
			missing = append(missing, blockRange(want, b.Index))
		}
		want = b.Index + 1
	}
	if want < nBlocks {
		missing = append(missing, blockRange(want, nBlocks))
	}
	if want > nBlocks {
		return nil, fmt.Errorf("%w: block %d is beyond the study's %d blocks", errMerge, want-1, nBlocks)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: blocks %s are missing (of 0..%d; %d trials a block): run the missing shards and merge again", errMerge, strings.Join(missing, ", "), nBlocks-1, BlockSize)
	}
	var s Sums
	for _, b := range blocks {
		s.merge(b.Sums)
	}
	if s.Trials != first.Trials {
		return nil, fmt.Errorf("%w: the blocks hold %d trials, the study %d: a part file is damaged", errMerge, s.Trials, first.Trials)
	}
	return summarise(&first.Design, first.Trials, first.Seed, s), nil
}

func blockRange(lo, hi int) string {
	if hi-lo == 1 {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d..%d", lo, hi-1)
}

func summarise(d *Design, trials int, seed uint64, s Sums) *Result {
	truth := d.Truth()
	r := &Result{Format: ResultFormat, Design: *d, Truth: truth, Trials: trials, Seed: seed, BlockSize: BlockSize, Sums: s}
	r.MeanEvents = float64(s.Events) / float64(s.Trials)
	if s.Trials == 0 {
		r.MeanEvents = 0
	}
	r.Power = Power{
		Logrank:            proportion(s.LogrankReject, s.LogrankTests),
		LogrankDirectional: proportion(s.LogrankDirectional, s.LogrankTests),
		CoxWald:            proportion(s.CoxReject, s.CoxFits),
	}
	mean, sd := meanSD(s.CoxFits, s.SumLogHR, s.SumLogHR2)
	r.HazardRatio = HRSummary{Fits: s.CoxFits, MeanLogHR: num(mean), BiasLogHR: num(mean - math.Log(truth.HR)), SDLogHR: num(sd),
		MeanSELogHR: num(s.SumSELogHR / float64(s.CoxFits)), Coverage: proportion(s.HRCover, s.CoxFits)}
	for a, arm := range []Arm{d.Control, d.Experimental} {
		r.Median = append(r.Median, MedianStats{Arm: arm.Name, Truth: truth.Median[a],
			Reached:      proportion(s.MedianReached[a], s.MedianEstimates),
			MeanEstimate: num(s.SumMedian[a] / float64(s.MedianReached[a])),
			Coverage:     proportion(s.MedianCover[a], s.MedianEstimates)})
	}
	mean, sd = meanSD(s.RMSTEstimates, s.SumRMSTDiff, s.SumRMSTDiff2)
	r.RMSTDifference = RMSTSummary{Tau: d.RMSTTau, Truth: truth.RMSTDiff, MeanEstimate: num(mean), Bias: num(mean - truth.RMSTDiff),
		SD: num(sd), MeanSE: num(s.SumRMSTSE / float64(s.RMSTEstimates)), Coverage: proportion(s.RMSTCover, s.RMSTEstimates)}
	return r
}

// WriteJSON writes v as indented JSON with a final newline.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("could not encode JSON: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadPartial decodes a partial result file's content; name is used in
// messages.
func ReadPartial(name string, data []byte) (*Partial, error) {
	var p Partial
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: not a partial result of power -shard: %w", name, err)
	}
	if p.Format != PartialFormat {
		return nil, fmt.Errorf("%s: format is %q, want %q: give the files written by power -shard", name, p.Format, PartialFormat)
	}
	if err := p.Design.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &p, nil
}

// CoverageCheck is one interval's coverage against the target range.
type CoverageCheck struct {
	Interval string
	Coverage Proportion
	OK       bool
}

// CheckCoverage compares the coverage of every interval (HR, median of
// each arm, RMST difference) with [lo, hi].
func (r *Result) CheckCoverage(lo, hi float64) []CoverageCheck {
	items := []CoverageCheck{{Interval: "hazard ratio (Cox, Wald)", Coverage: r.HazardRatio.Coverage}}
	for _, m := range r.Median {
		items = append(items, CoverageCheck{Interval: "median of " + m.Arm + " (Brookmeyer-Crowley, " + string(r.Design.ConfType) + ")", Coverage: m.Coverage})
	}
	items = append(items, CoverageCheck{Interval: fmt.Sprintf("RMST difference at %g days", r.Design.RMSTTau), Coverage: r.RMSTDifference.Coverage})
	for i := range items {
		e := items[i].Coverage.Estimate
		items[i].OK = e != nil && *e >= lo && *e <= hi
	}
	return items
}

// WriteSummary writes a human-readable summary of the result.
func (r *Result) WriteSummary(w io.Writer) error {
	pct := func(p Proportion) string {
		if p.Estimate == nil {
			return "undefined (no trial)"
		}
		return fmt.Sprintf("%.1f%% (MC s.e. %.1f%%, %d/%d)", 100**p.Estimate, 100**p.MCSE, p.Count, p.N)
	}
	f := func(x *float64) string {
		if x == nil {
			return "undefined"
		}
		return fmt.Sprintf("%.4g", *x)
	}
	d := r.Design
	fmt.Fprintf(w, "design %s: %s (n=%d, median %.4g d) vs %s (n=%d), Weibull shape %g; %d trials, seed %d\n",
		d.Name, d.Control.Name, d.Control.N, r.Truth.Median[0], d.Experimental.Name, d.Experimental.N, d.Shape, r.Trials, r.Seed)
	fmt.Fprintf(w, "truth: HR %.4g, medians %.4g / %.4g d, RMST(%g) difference %.4g d; mean events per trial %.1f\n",
		r.Truth.HR, r.Truth.Median[0], r.Truth.Median[1], d.RMSTTau, r.Truth.RMSTDiff, r.MeanEvents)
	fmt.Fprintf(w, "power (two-sided alpha %g): log-rank %s; in the true direction %s; Cox Wald %s\n",
		d.Alpha, pct(r.Power.Logrank), pct(r.Power.LogrankDirectional), pct(r.Power.CoxWald))
	h := r.HazardRatio
	fmt.Fprintf(w, "log HR: mean %s (bias %s), SD %s, mean SE %s; %g%% CI coverage %s\n",
		f(h.MeanLogHR), f(h.BiasLogHR), f(h.SDLogHR), f(h.MeanSELogHR), 100*d.ConfLevel, pct(h.Coverage))
	for _, m := range r.Median {
		fmt.Fprintf(w, "median %s: reached %s, mean %s d (truth %.4g); CI coverage %s\n", m.Arm, pct(m.Reached), f(m.MeanEstimate), m.Truth, pct(m.Coverage))
	}
	rm := r.RMSTDifference
	_, err := fmt.Fprintf(w, "RMST difference at %g d: mean %s (truth %.4g, bias %s), SD %s, mean SE %s; CI coverage %s\n",
		rm.Tau, f(rm.MeanEstimate), rm.Truth, f(rm.Bias), f(rm.SD), f(rm.MeanSE), pct(rm.Coverage))
	return err
}
