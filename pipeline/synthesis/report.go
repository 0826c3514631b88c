package synthesis

import (
	"fmt"
	"math"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// Document assembles the synthesis report from the synthesis and its
// figures (from Figures). extra blocks (e.g. the reconstructed published
// curves) are placed before the comparability section.
func (s *Synthesis) Document(figs []*Rendered, extra ...Block) *Document {
	doc := &Document{Title: "Evidence synthesis: ketamine and conventional antidepressants across the bundled trials"}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	fig := func(name string) {
		for _, f := range figs {
			if f.Name == name {
				add(&FigureBlock{Figure: f})
			}
		}
	}
	add(&Paragraph{Text: s.syntheticSentence()})
	add(&Heading{Level: 2, Text: "Studies"}, s.studyTable())
	add(&Heading{Level: 2, Text: "Time to response on one time axis"})
	fig("response_curves")
	add(&Heading{Level: 2, Text: "Relapse-free curves after response"})
	fig("relapse_curves")
	add(&Heading{Level: 2, Text: "Milestone response rates"}, s.milestoneTable())
	add(&Heading{Level: 2, Text: "How many respond, and how fast: cure models"}, s.cureTable())
	add(&Heading{Level: 2, Text: "Pooled effects by drug class"})
	for _, c := range s.Contrasts {
		add(c.blocks()...)
		if c.Pooled != nil {
			fig(fmt.Sprintf("forest_%s_%s_vs_%s", c.Kind, c.Treated, c.Control))
		}
	}
	add(extra...)
	add(&Heading{Level: 2, Text: "What can and cannot be compared"}, &List{Items: s.Comparability()})
	if len(s.Warnings) > 0 {
		add(&Heading{Level: 2, Text: "Warnings"}, &List{Items: s.Warnings})
	}
	return doc
}

func (s *Synthesis) syntheticSentence() string {
	var synth, real []string
	for _, st := range s.Studies {
		if st.Synthetic {
			synth = append(synth, st.ID)
		} else {
			real = append(real, st.ID)
		}
	}
	if len(real) == 0 {
		return fmt.Sprintf("All %d studies are synthetic (study.synthetic in every results.json): simulated data calibrated to published summaries, not patient data. The numbers below show what the pipeline does; they are not evidence about ketamine.", len(synth))
	}
	return fmt.Sprintf("%d of %d studies are synthetic (%s); %s are not.", len(synth), len(s.Studies), strings.Join(synth, ", "), strings.Join(real, ", "))
}

func (s *Synthesis) studyTable() *Table {
	t := &Table{Caption: "Bundled studies: arms (class), endpoints with their definitions and follow-up",
		Header: []string{"Study", "Design", "Arms (class)", "Endpoints", "Longest follow-up (days)"}}
	for _, st := range s.Studies {
		var arms, eps []string
		for _, a := range st.Arms {
			arms = append(arms, fmt.Sprintf("%s (%s)", a.Name, a.Class))
		}
		fu := 0.0
		for _, e := range st.Endpoints {
			eps = append(eps, fmt.Sprintf("%s: %s", e.Paramcd, e.Definition))
			fu = math.Max(fu, e.FollowUp)
		}
		design := "single arm"
		if st.Randomized {
			design = "randomized"
		}
		t.Rows = append(t.Rows, []string{st.ID, design, strings.Join(arms, "; "), strings.Join(eps, "; "), fmtNum(fu, 3)})
	}
	return t
}

func (s *Synthesis) milestoneTable() *Table {
	h := []string{"Study", "Endpoint", "Arm (class)"}
	for _, l := range MilestoneLabels {
		h = append(h, "Event by "+l)
	}
	t := &Table{Caption: "Proportion with the event by 24 h, day 7 and week 6: 1 − S(t) of each arm's Kaplan–Meier curve (number at risk at t); \"not observed\" when t is beyond the arm's follow-up", Header: h}
	for _, m := range s.Milestones {
		row := []string{m.Study, fmt.Sprintf("%s (%s)", m.Paramcd, m.Kind), fmt.Sprintf("%s (%s)", m.ArmLabel, m.Class)}
		for i := range Milestones {
			if !m.Observed[i] {
				row = append(row, "not observed")
				continue
			}
			row = append(row, fmt.Sprintf("%s (%d at risk)", pct(m.Rate[i]), m.NRisk[i]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (s *Synthesis) cureTable() *Table {
	t := &Table{Caption: "Mixture cure models (results section \"cure\"): fraction who ever respond and latency median among them (days), with 95% CIs",
		Header: []string{"Study", "Endpoint", "Arm (class)", "Responder fraction", "Latency median (days)", "Status"}}
	for _, c := range s.Cure {
		row := []string{c.Study, c.Paramcd, fmt.Sprintf("%s (%s)", c.ArmLabel, c.Class)}
		if !c.Fitted {
			t.Rows = append(t.Rows, append(row, "not fitted", "not fitted", "no cure model in results.json (method cure not run)"))
			continue
		}
		f := c.Fraction
		status := c.Status
		if c.PlateauStatus != "" && c.PlateauStatus != "ok" {
			status += "; plateau: " + c.PlateauStatus
		}
		t.Rows = append(t.Rows, append(row, ci(f.Fraction, f.FractionLower, f.FractionUpper, pct),
			ci(f.Median, f.MedianLower, f.MedianUpper, func(v float64) string { return fmtNum(v, 3) }), status))
	}
	return t
}

func ci(est, lo, hi *float64, f func(float64) string) string {
	if est == nil {
		return "not estimable"
	}
	if lo == nil || hi == nil {
		return f(*est) + " (CI not estimable)"
	}
	return fmt.Sprintf("%s (%s to %s)", f(*est), f(*lo), f(*hi))
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

// fmtNum formats v with sig significant digits.
func fmtNum(v float64, sig int) string {
	return fmt.Sprintf("%.*g", sig, v)
}

func hrCI(hr, lo, hi float64) string {
	return fmt.Sprintf("%.2f (%.2f to %.2f)", hr, lo, hi)
}

// blocks are the contrast's heading, study and pooling tables and its
// caveats.
func (c *Contrast) blocks() []Block {
	out := []Block{&Heading{Level: 3, Text: fmt.Sprintf("Time to %s: %s vs %s", c.Kind, c.Treated, c.Control)}}
	t := &Table{Caption: "Each study's Cox hazard ratio (treated vs control, > 1 means the event sooner on the treated arm)",
		Header: []string{"Study", "Endpoint", "Treated vs control", "HR (95% CI)", "Adjusted for"}}
	for _, s := range c.Studies {
		adj := "nothing"
		if len(s.Covariates) > 0 {
			adj = strings.Join(s.Covariates, ", ")
		}
		t.Rows = append(t.Rows, []string{s.Study, s.Paramcd, s.Arm + " vs " + s.Reference, hrCI(s.Term.HR, s.Term.HRLower, s.Term.HRUpper), adj})
	}
	out = append(out, t)
	if c.Pooled == nil {
		return append(out, &Paragraph{Text: fmt.Sprintf("One study (%s) makes this comparison: nothing is pooled.", c.Studies[0].Study)})
	}
	k := len(c.Studies)
	if k < SmallMeta {
		out = append(out, &Paragraph{Text: fmt.Sprintf("With %d studies (fewer than %d) the z-based confidence interval of the random-effects model is anti-conservative: the Hartung–Knapp–Sidik–Jonkman (HKSJ) interval, on Student's t with %d degree(s) of freedom, is shown first and is the one to read. τ² from %d studies is itself very uncertain (see its interval).", k, SmallMeta, k-1, k)})
	}
	pt := &Table{Caption: "Pooled hazard ratio (two-stage: the studies' log HRs pooled with package meta, as metafor rma)",
		Header: []string{"Method", "k", "HR (95% CI)", "Prediction interval", "τ² (95% CI)", "I²", "Q (p)"}}
	for _, r := range c.Pooled {
		rr := r.Ratio()
		pi := "—"
		if !math.IsNaN(r.PILower) {
			pi = fmt.Sprintf("%.2f to %.2f", math.Exp(r.PILower), math.Exp(r.PIUpper))
		}
		tau := "—"
		if r.Method != meta.FixedEffect {
			tau = fmt.Sprintf("%.3g (%.3g to %.3g)", r.Tau2, r.Tau2Lower, r.Tau2Upper)
		}
		pt.Rows = append(pt.Rows, []string{poolLabel(r), fmt.Sprint(r.K), hrCI(rr.Estimate, rr.Lower, rr.Upper), pi, tau,
			fmt.Sprintf("%.0f%%", r.I2), fmt.Sprintf("%.2f (p = %.3g)", r.Q, r.QP)})
	}
	out = append(out, pt)
	return append(out, c.ipdBlocks()...)
}

func (c *Contrast) ipdBlocks() []Block {
	var out []Block
	if c.OneStage == nil {
		msg := "The one-stage IPD analysis needs the individual rows of at least two studies."
		if len(c.Notes) > 0 {
			msg += " " + strings.Join(c.Notes, "; ") + "."
		}
		return []Block{&Paragraph{Text: msg}}
	}
	one, two := c.OneStage, c.TwoStage
	t := &Table{Caption: fmt.Sprintf("One-stage IPD Cox model stratified by study (%s; %d subjects, %d events) against the two-stage REML pooling of the same studies' unadjusted Cox models",
		strings.Join(c.OneStageStudies, ", "), one.N, one.Events),
		Header: []string{"Analysis", "HR (95% CI)", "Status"}}
	t.Rows = append(t.Rows, []string{"one-stage: coxph(Surv(AVAL, 1 - CNSR) ~ trt + strata(study))", hrCI(one.Effect.HR, one.Effect.Lower, one.Effect.Upper), one.Status})
	if two.Pooled != nil {
		rr := two.Pooled.Ratio()
		t.Rows = append(t.Rows, []string{"two-stage: REML pooling of the per-study log HRs", hrCI(rr.Estimate, rr.Lower, rr.Upper), two.Status})
	}
	out = append(out, t)
	h := one.Heterogeneity
	if !math.IsNaN(h.Statistic) {
		words := "no evidence against a common treatment effect"
		if h.P < 0.1 {
			words = "evidence that the treatment effect differs between studies"
		}
		out = append(out, &Paragraph{Text: fmt.Sprintf("Treatment-by-study interaction (likelihood-ratio test of one treatment term per study against the common term): χ² = %.2f on %d df, p = %.3g: %s; with %d studies this test has little power, so a large p does not show that the effects agree.",
			h.Statistic, h.DF, h.P, words, len(c.OneStageStudies))})
	}
	if len(c.Notes) > 0 {
		out = append(out, &List{Items: c.Notes})
	}
	return out
}
