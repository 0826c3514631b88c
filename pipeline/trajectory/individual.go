package trajectory

import (
	"cmp"
	"slices"
)

// Subject is one subject's trajectory of one parameter, in day order.
type Subject struct {
	ID, Arm, Param string
	Day, Value     []float64
}

// Individuals returns each subject's trajectory of parameter param, for a
// spaghetti plot: subjects in order of first appearance, each one's
// assessments sorted by day (equal days keep their input order). Rows are
// not validated here; use Means first. It panics if the columns differ in
// length.
func Individuals(s Scores, param string) []Subject {
	checkLen(s)
	index := map[string]int{}
	var out []Subject
	for i := range s.Len() {
		if s.Param[i] != param {
			continue
		}
		k, ok := index[s.Subject[i]]
		if !ok {
			k = len(out)
			index[s.Subject[i]] = k
			out = append(out, Subject{ID: s.Subject[i], Arm: s.Arm[i], Param: param})
		}
		out[k].Day = append(out[k].Day, s.Day[i])
		out[k].Value = append(out[k].Value, s.Value[i])
	}
	for k := range out {
		sortByDay(&out[k])
	}
	return out
}

func sortByDay(sub *Subject) {
	idx := make([]int, len(sub.Day))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(sub.Day[a], sub.Day[b]) })
	day, val := make([]float64, len(idx)), make([]float64, len(idx))
	for j, i := range idx {
		day[j], val[j] = sub.Day[i], sub.Value[i]
	}
	sub.Day, sub.Value = day, val
}
