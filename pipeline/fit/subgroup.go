package fit

import (
	"fmt"
	"slices"
	"sort"

	"github.com/ketcurves/ketcurves/pipeline/adam"
)

// analyzeSubgroups repeats the analysis of endpoint param within each level
// of each subgroup column (sorted levels; rows with an empty value are left
// out). Within a subgroup the subgroup column is dropped from the
// covariates and, if it was the stratification column, the analysis is
// unstratified. This is how per-stratum results are reported, e.g.
// SUSTAIN-1's hazard ratios among stable remitters and stable responders.
func analyzeSubgroups(t *adam.ADTTE, param string, arms []string, control string, opt Options) ([]Endpoint, error) {
	var out []Endpoint
	for _, col := range opt.Subgroups {
		raw := t.Extra[col]
		var levels []string
		for i, p := range t.PARAMCD {
			if p == param && raw[i] != "" {
				levels = append(levels, raw[i])
			}
		}
		levels = distinct(levels)
		sort.Strings(levels)
		sub := opt
		sub.Covariates = slices.DeleteFunc(slices.Clone(opt.Covariates), func(c string) bool { return c == col })
		if sub.Strata == col {
			sub.Strata = ""
		}
		for _, lv := range levels {
			st := subset(t, func(i int) bool { return t.PARAMCD[i] == param && raw[i] == lv })
			var present []string
			for _, a := range arms {
				if slices.Contains(st.TRTP, a) {
					present = append(present, a)
				}
			}
			ctl := control
			if !slices.Contains(present, ctl) {
				// No control-arm rows in this subgroup: no hazard ratio
				// against it; analyseEndpoint reports too_few_arms when
				// fewer than two arms remain.
				if len(present) == 0 {
					continue
				}
				ctl = present[0]
			}
			ep, err := analyzeEndpoint(st, param, present, ctl, sub)
			if err != nil {
				return nil, fmt.Errorf("could not analyse subgroup %s = %s: %w", col, lv, err)
			}
			ep.Subgroup, ep.Level = col, lv
			out = append(out, *ep)
		}
	}
	return out, nil
}

// subset returns the rows of t for which keep is true, as a new table.
func subset(t *adam.ADTTE, keep func(i int) bool) *adam.ADTTE {
	s := &adam.ADTTE{Extra: map[string][]string{}, ExtraNames: t.ExtraNames}
	for _, name := range t.ExtraNames {
		s.Extra[name] = nil
	}
	for i := range t.AVAL {
		if !keep(i) {
			continue
		}
		s.StudyID = append(s.StudyID, t.StudyID[i])
		s.USUBJID = append(s.USUBJID, t.USUBJID[i])
		s.TRTP = append(s.TRTP, t.TRTP[i])
		s.PARAMCD = append(s.PARAMCD, t.PARAMCD[i])
		s.AVAL = append(s.AVAL, t.AVAL[i])
		s.Event = append(s.Event, t.Event[i])
		s.Line = append(s.Line, t.Line[i])
		if t.Entry != nil {
			s.Entry = append(s.Entry, t.Entry[i])
		}
		if t.EvntDesc != nil {
			s.EvntDesc = append(s.EvntDesc, t.EvntDesc[i])
		}
		if t.CnsDtDsc != nil {
			s.CnsDtDsc = append(s.CnsDtDsc, t.CnsDtDsc[i])
		}
		for _, name := range t.ExtraNames {
			s.Extra[name] = append(s.Extra[name], t.Extra[name][i])
		}
	}
	return s
}
