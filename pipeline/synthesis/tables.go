package synthesis

import "math"

// MilestonesCSV is milestones.csv: study, paramcd, kind, arm, class,
// time (days), observed, rate (empty when not observed), n_risk.
func MilestonesCSV(s *Synthesis) []byte {
	t := &csvTable{}
	t.add("study", "paramcd", "kind", "arm", "class", "time", "observed", "rate", "n_risk")
	for _, m := range s.Milestones {
		for i, tm := range Milestones {
			obs := "false"
			rate := ""
			if m.Observed[i] {
				obs, rate = "true", num(m.Rate[i])
			}
			t.add(m.Study, m.Paramcd, m.Kind, m.Arm, m.Class, num(tm), obs, rate, num(float64(m.NRisk[i])))
		}
	}
	return t.bytes()
}

// PooledCSV is pooled.csv: one row per contrast and analysis (each study,
// each pooling method, the one-stage IPD model): contrast, analysis,
// k, hr, lower, upper, pi_lower, pi_upper, tau2, i2, status.
func PooledCSV(s *Synthesis) []byte {
	t := &csvTable{}
	t.add("contrast", "analysis", "k", "hr", "lower", "upper", "pi_lower", "pi_upper", "tau2", "i2", "het_lr", "het_df", "het_p", "status")
	for _, c := range s.Contrasts {
		for _, st := range c.Studies {
			t.add(c.Name(), "study:"+st.Study, "1", num(st.Term.HR), num(st.Term.HRLower), num(st.Term.HRUpper), "", "", "", "", "", "", "", "ok")
		}
		for _, r := range c.Pooled {
			rr := r.Ratio()
			t.add(c.Name(), "two-stage:"+poolLabel(r), num(float64(r.K)), num(rr.Estimate), num(rr.Lower), num(rr.Upper),
				optNum(math.Exp(r.PILower)), optNum(math.Exp(r.PIUpper)), num(r.Tau2), num(r.I2), "", "", "", r.Status)
		}
		if o := c.OneStage; o != nil {
			h := o.Heterogeneity
			t.add(c.Name(), "one-stage:stratified Cox", num(float64(len(c.OneStageStudies))), num(o.Effect.HR), num(o.Effect.Lower), num(o.Effect.Upper),
				"", "", "", "", optNum(h.Statistic), num(float64(h.DF)), optNum(h.P), o.Status)
		}
	}
	return t.bytes()
}
