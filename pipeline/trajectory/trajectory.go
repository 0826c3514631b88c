package trajectory

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/ketcurves/ketcurves/pipeline/order"
)

// Scores are visit-level scores in columns, one entry per assessment, in
// any order. Subject, Arm, Param, Day and Value must have the same length;
// Visit has that length too, or is nil when the data have no visit labels.
type Scores struct {
	// Subject is the subject identifier (USUBJID).
	Subject []string
	// Arm is the subject's arm (ADSL TRT01P or ADTTE TRTP).
	Arm []string
	// Param is the score's parameter code (PARAMCD: MADRS, SSI, …).
	Param []string
	// Visit is the analysis visit (AVISIT). An empty label, or a nil
	// Visit, makes the visit the study day itself.
	Visit []string
	// Day is the study day of the assessment (ADY; fractions for hours).
	Day []float64
	// Value is the score (AVAL).
	Value []float64
}

// Len returns the number of assessments.
func (s Scores) Len() int { return len(s.Day) }

// Status of a visit summary.
const (
	// StatusOK: n ≥ 2 with a positive standard deviation.
	StatusOK = "ok"
	// StatusSingleValue: one subject assessed; SD, SE and the interval
	// are NaN (R: sd() is NA and t.test() stops with "not enough 'x'
	// observations").
	StatusSingleValue = "single_value"
	// StatusConstant: n ≥ 2 identical scores; SD and SE are 0 and the
	// interval is [Mean, Mean] (R's t.test stops with "data are
	// essentially constant").
	StatusConstant = "constant"
)

// VisitMean is the summary of one parameter, arm and visit.
type VisitMean struct {
	Param, Arm string
	// Visit is the visit label; "" for visits defined by the day alone.
	Visit string
	// Day is the visit's nominal study day: the median Day of its
	// assessments over every arm (the common day when they agree, as in
	// a scheduled visit), so that every arm's point of a visit is drawn
	// at the same time.
	Day float64
	// N is the number of subjects assessed.
	N int
	// Mean is the mean score; SD the sample standard deviation
	// (denominator N − 1) and SE = SD/√N.
	Mean, SD, SE float64
	// Lower and Upper are the confidence interval
	// Mean ∓ t_{(1+level)/2, N−1} SE.
	Lower, Upper float64
	// Status is StatusOK, StatusSingleValue or StatusConstant.
	Status string
}

// ErrInvalid is wrapped by every error for bad data.
var ErrInvalid = errors.New("invalid scores")

// Means returns the mean score of each parameter, arm and visit with its
// Student t confidence interval at level (e.g. 0.95):
//
//	x̄ = Σ x_i / n,   s² = Σ (x_i − x̄)² / (n − 1),   SE = s / √n
//	CI = x̄ ∓ t_{(1+level)/2, n−1} · SE
//
// over the n subjects assessed at the visit (observed cases). The rows are
// ordered by parameter and arm in order of first appearance, then by visit
// day and label. Visits are the distinct (Param, Visit) labels, or the
// distinct days where the label is empty.
//
// Reference: the one-sample t interval (Student 1908; e.g. Armitage,
// Berry & Matthews, Statistical Methods in Medical Research, 4th ed.,
// §4.6). Special cases: n = 1 (StatusSingleValue) and a constant sample
// (StatusConstant), see the statuses. R equivalent, per group:
//
//	aggregate(AVAL ~ PARAMCD + AVISIT + ARM, data, mean)
//	t.test(AVAL, conf.level = level)$conf.int
//
// SAS: PROC MEANS N MEAN STD STDERR LCLM UCLM ALPHA=0.05; CLASS PARAMCD
// AVISIT ARM.
//
// It returns an error wrapping ErrInvalid, naming the row (1-based, in
// input order), for an empty subject, arm or parameter, a day or value that
// is not finite, or a subject with two scores at one visit. It panics if
// the columns differ in length or level is not in (0, 1).
func Means(s Scores, level float64) ([]VisitMean, error) {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("trajectory: confidence level %v not in (0, 1)", level))
	}
	g, err := groupRows(s)
	if err != nil {
		return nil, err
	}
	if err := g.checkDuplicates(s); err != nil {
		return nil, err
	}
	return g.summarise(s, level), nil
}

// grouping assigns each row to its (parameter, visit, arm) group.
type grouping struct {
	params, arms []string
	visits       []visitKey // index = visit id, over every parameter
	visitDay     []float64  // nominal day of each visit
	subject      []int32    // interned subject of each row
	group        []int32    // group of each row
	groups       []groupKey // key of each group
}

type visitKey struct {
	param int
	label string // "" for a visit defined by its day
	day   float64
}

type groupKey struct{ visit, arm int }

func checkLen(s Scores) {
	n := len(s.Day)
	if len(s.Subject) != n || len(s.Arm) != n || len(s.Param) != n || len(s.Value) != n || (s.Visit != nil && len(s.Visit) != n) {
		panic(fmt.Sprintf("trajectory: column lengths differ: subject %d, arm %d, param %d, visit %d, day %d, value %d",
			len(s.Subject), len(s.Arm), len(s.Param), len(s.Visit), n, len(s.Value)))
	}
	if n > math.MaxInt32 {
		panic(fmt.Sprintf("trajectory: %d rows: at most %d", n, math.MaxInt32))
	}
}

// groupRows validates the rows and interns their keys.
func groupRows(s Scores) (*grouping, error) {
	checkLen(s)
	n := s.Len()
	g := &grouping{subject: make([]int32, n), group: make([]int32, n)}
	paramID, armID, subjID := map[string]int{}, map[string]int{}, map[string]int32{}
	subjArm := []int{}
	visitID, groupID := map[visitKey]int{}, map[groupKey]int32{}
	intern := func(m map[string]int, list *[]string, v string) int {
		id, ok := m[v]
		if !ok {
			id = len(*list)
			m[v] = id
			*list = append(*list, v)
		}
		return id
	}
	for i := range n {
		if err := checkRow(s, i); err != nil {
			return nil, err
		}
		p := intern(paramID, &g.params, s.Param[i])
		a := intern(armID, &g.arms, s.Arm[i])
		vk := visitKey{param: p}
		if s.Visit != nil {
			vk.label = s.Visit[i]
		}
		if vk.label == "" {
			vk.day = s.Day[i] + 0 // -0 → +0
		}
		v, ok := visitID[vk]
		if !ok {
			v = len(g.visits)
			visitID[vk] = v
			g.visits = append(g.visits, vk)
		}
		gk := groupKey{v, a}
		gid, ok := groupID[gk]
		if !ok {
			gid = int32(len(g.groups))
			groupID[gk] = gid
			g.groups = append(g.groups, gk)
		}
		g.group[i] = gid
		sid, ok := subjID[s.Subject[i]]
		if !ok {
			sid = int32(len(subjID))
			subjID[s.Subject[i]] = sid
			subjArm = append(subjArm, a)
		}
		if subjArm[sid] != a {
			return nil, fmt.Errorf("%w: row %d: subject %q is in arm %q here and in arm %q in an earlier row: give each subject one arm", ErrInvalid, i+1, s.Subject[i], s.Arm[i], g.arms[subjArm[sid]])
		}
		g.subject[i] = sid
	}
	g.visitDay = g.nominalDays(s)
	return g, nil
}

func checkRow(s Scores, i int) error {
	bad := func(what string) error {
		return fmt.Errorf("%w: row %d (subject %q, %s): %s", ErrInvalid, i+1, s.Subject[i], s.Param[i], what)
	}
	switch {
	case s.Subject[i] == "":
		return bad("the subject is empty: give every assessment its USUBJID")
	case s.Arm[i] == "":
		return bad("the arm is empty: every subject needs an arm in ADSL (TRT01P)")
	case s.Param[i] == "":
		return bad("the parameter is empty: give every assessment its PARAMCD")
	case math.IsNaN(s.Day[i]) || math.IsInf(s.Day[i], 0):
		return bad(fmt.Sprintf("day %v is not finite: give the study day (ADY)", s.Day[i]))
	case math.IsNaN(s.Value[i]) || math.IsInf(s.Value[i], 0):
		return bad(fmt.Sprintf("score %v is not finite: give the score, or leave the missed assessment out", s.Value[i]))
	}
	return nil
}

// nominalDays is the median day of each visit's assessments.
func (g *grouping) nominalDays(s Scores) []float64 {
	nv := len(g.visits)
	lo, hi := make([]float64, nv), make([]float64, nv)
	for v := range nv {
		lo[v], hi[v] = math.Inf(1), math.Inf(-1)
	}
	for i, gid := range g.group {
		v := g.groups[gid].visit
		lo[v], hi[v] = min(lo[v], s.Day[i]), max(hi[v], s.Day[i])
	}
	days := lo
	spread := map[int][]float64{} // only visits whose days differ
	for i, gid := range g.group {
		if v := g.groups[gid].visit; lo[v] != hi[v] {
			spread[v] = append(spread[v], s.Day[i])
		}
	}
	for v, d := range spread {
		order.Float64s(d)
		m := len(d) / 2
		if len(d)%2 == 1 {
			days[v] = d[m]
		} else {
			days[v] = (d[m-1] + d[m]) / 2
		}
	}
	return days
}

// checkDuplicates reports a subject with two scores in one group, found by
// sorting the (group, subject) keys.
func (g *grouping) checkDuplicates(s Scores) error {
	keys := make([]uint64, len(g.group))
	for i := range keys {
		keys[i] = uint64(g.group[i])<<32 | uint64(g.subject[i])
	}
	order.Uint64s(keys)
	for i := 1; i < len(keys); i++ {
		if keys[i] != keys[i-1] {
			continue
		}
		gid, sid := int32(keys[i]>>32), int32(keys[i]&math.MaxUint32)
		var rows []int
		for j := range g.group {
			if g.group[j] == gid && g.subject[j] == sid {
				rows = append(rows, j+1)
			}
		}
		r := rows[0] - 1
		return fmt.Errorf("%w: rows %d and %d: subject %q has two %s scores at visit %s: keep one assessment per visit (e.g. the one in the visit window)",
			ErrInvalid, rows[0], rows[1], s.Subject[r], s.Param[r], g.visitName(g.groups[gid].visit))
	}
	return nil
}

func (g *grouping) visitName(v int) string {
	if l := g.visits[v].label; l != "" {
		return l
	}
	return "day " + strconv.FormatFloat(g.visits[v].day, 'g', -1, 64)
}

// summarise computes each group's mean (first pass), sum of squared
// deviations (second pass) and interval, and orders the rows.
func (g *grouping) summarise(s Scores, level float64) []VisitMean {
	ng := len(g.groups)
	n := make([]int, ng)
	sum := make([]float64, ng)
	for i, gid := range g.group {
		n[gid]++
		sum[gid] += s.Value[i]
	}
	mean := make([]float64, ng)
	for k := range mean {
		mean[k] = sum[k] / float64(n[k])
	}
	ss := make([]float64, ng)
	corr := make([]float64, ng)
	constant := make([]bool, ng)
	first := make([]float64, ng)
	for k := range constant {
		constant[k] = true
		first[k] = math.NaN()
	}
	for i, gid := range g.group {
		v := s.Value[i]
		d := v - mean[gid]
		ss[gid] += d * d
		corr[gid] += d
		if math.IsNaN(first[gid]) {
			first[gid] = v
		} else if v != first[gid] {
			constant[gid] = false
		}
	}
	out := make([]VisitMean, ng)
	for k, key := range g.groups {
		vk := g.visits[key.visit]
		m := mean[k] + corr[k]/float64(n[k]) // R's mean(): second-pass correction
		d := corr[k]
		if constant[k] {
			m, ss[k], d = first[k], 0, 0
		}
		out[k] = visitMean(g.params[vk.param], g.arms[key.arm], vk.label, g.visitDay[key.visit], n[k], m, ss[k]-d*d/float64(n[k]), level)
	}
	slices.SortFunc(out, func(a, b VisitMean) int {
		return cmp.Or(
			cmp.Compare(slices.Index(g.params, a.Param), slices.Index(g.params, b.Param)),
			cmp.Compare(slices.Index(g.arms, a.Arm), slices.Index(g.arms, b.Arm)),
			cmp.Compare(a.Day, b.Day),
			cmp.Compare(a.Visit, b.Visit),
		)
	})
	return out
}

// visitMean is the summary of n scores with mean m and sum of squared
// deviations ss.
func visitMean(param, arm, visit string, day float64, n int, m, ss, level float64) VisitMean {
	r := VisitMean{Param: param, Arm: arm, Visit: visit, Day: day, N: n, Mean: m}
	if n == 1 {
		r.SD, r.SE, r.Lower, r.Upper = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		r.Status = StatusSingleValue
		return r
	}
	r.SD = math.Sqrt(max(ss, 0) / float64(n-1))
	r.SE = r.SD / math.Sqrt(float64(n))
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-level)/2)
	r.Lower, r.Upper = m-q*r.SE, m+q*r.SE
	r.Status = StatusOK
	if ss == 0 {
		r.Status = StatusConstant
	}
	return r
}
