package synthesis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/ipd"
	"github.com/ketcurves/ketcurves/pipeline/meta"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// SmallMeta is the number of studies below which the z-based CI of a
// random-effects meta-analysis is anti-conservative and the HKSJ result is
// shown first (IntHout, Ioannidis & Borm 2014, BMC Med Res Methodol 14:25).
const SmallMeta = 5

// Contrast is one comparison of arm classes on one endpoint kind (e.g.
// ketamine vs active-control on time to response), with every study's
// Cox hazard ratio of it and their pooling.
type Contrast struct {
	Kind, Treated, Control string // endpoint kind; arm classes
	Studies                []StudyEffect
	// Pooled are the REML random-effects results, HKSJ first when fewer
	// than SmallMeta studies, then the z-based one, then fixed effect;
	// nil with a single study.
	Pooled []*meta.Result
	// OneStage and TwoStage are the IPD analyses of the studies whose
	// rows were given (OneStageStudies); nil with fewer than two.
	OneStage        *ipd.OneStageResult
	TwoStage        *ipd.TwoStageResult
	OneStageStudies []string
	// Notes explain what was left out of the IPD analysis.
	Notes []string
}

// Name is e.g. "response: ketamine vs active-control".
func (c *Contrast) Name() string {
	return fmt.Sprintf("%s: %s vs %s", c.Kind, c.Treated, c.Control)
}

// StudyEffect is one study's Cox hazard ratio of the contrast.
type StudyEffect struct {
	Study, Paramcd, Label string
	Arm, Reference        string
	Term                  schema.CoxTerm
	Covariates            []string
	// Rows are the study's ADTTE rows of the endpoint and the two arms,
	// nil when not given.
	Rows []Row
}

type contrastKey struct{ kind, treated, control string }

// buildContrasts groups the studies' estimable treatment terms by
// contrast and pools each.
func buildContrasts(in []Input) ([]*Contrast, error) {
	byKey := map[contrastKey]*Contrast{}
	for _, st := range in {
		for i := range st.Results.Endpoints {
			ep := &st.Results.Endpoints[i]
			if ep.Subgroup != "" || ep.Cox == nil || ep.Cox.Status != "ok" {
				continue
			}
			for _, term := range ep.Cox.Terms {
				arm, isArm := strings.CutPrefix(term.Term, "TRTP:")
				if !isArm || !term.Estimable {
					continue
				}
				k := contrastKey{ep.Kind, armInfo(st.Results.Study, arm).Class, armInfo(st.Results.Study, term.Reference).Class}
				c := byKey[k]
				if c == nil {
					c = &Contrast{Kind: k.kind, Treated: k.treated, Control: k.control}
					byKey[k] = c
				}
				c.Studies = append(c.Studies, StudyEffect{Study: st.Results.Study.ID, Paramcd: ep.Paramcd, Label: ep.Label,
					Arm: arm, Reference: term.Reference, Term: term, Covariates: st.Results.Conventions.Covariates,
					Rows: rowsOf(st.Rows, ep.Paramcd, arm, term.Reference)})
			}
		}
	}
	var out []*Contrast
	for _, c := range byKey {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Contrast) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Treated, b.Treated), cmp.Compare(a.Control, b.Control))
	})
	for _, c := range out {
		if err := c.pool(); err != nil {
			return nil, fmt.Errorf("could not pool %s: %w", c.Name(), err)
		}
	}
	return out, nil
}

func kindOrder(kind string) int {
	i := slices.Index([]string{KindResponse, KindRemission, KindSIRes, KindRelapse}, kind)
	if i < 0 {
		return 99
	}
	return i
}

func rowsOf(rows []Row, paramcd, arm, ref string) []Row {
	if rows == nil {
		return nil
	}
	out := []Row{}
	for _, r := range rows {
		if r.Paramcd == paramcd && (r.Arm == arm || r.Arm == ref) {
			out = append(out, r)
		}
	}
	return out
}

// pool runs the two-stage pooling of the studies' log hazard ratios and,
// with rows, the one- and two-stage IPD analyses.
func (c *Contrast) pool() error {
	if len(c.Studies) < 2 {
		return nil
	}
	yi, sei := c.LogHRs()
	methods := []meta.Options{{Method: meta.REML, Adjustment: meta.HKSJ}, {Method: meta.REML}, {Method: meta.FixedEffect}}
	if len(c.Studies) >= SmallMeta {
		methods[0], methods[1] = methods[1], methods[0]
	}
	for _, o := range methods {
		r, err := meta.Pool(yi, sei, o)
		if err != nil {
			return err
		}
		c.Pooled = append(c.Pooled, r)
	}
	return c.poolIPD()
}

// LogHRs are the studies' log hazard ratios and standard errors.
func (c *Contrast) LogHRs() (yi, sei []float64) {
	for _, s := range c.Studies {
		yi, sei = append(yi, s.Term.Coef), append(sei, s.Term.SE)
	}
	return yi, sei
}

func (c *Contrast) poolIPD() error {
	var d ipd.Data
	for _, s := range c.Studies {
		if s.Rows == nil {
			c.Notes = append(c.Notes, fmt.Sprintf("%s is left out of the one-stage analysis: its ADTTE rows were not available", s.Study))
			continue
		}
		if len(s.Covariates) > 0 {
			c.Notes = append(c.Notes, fmt.Sprintf("%s's own Cox model is adjusted for %s; the one-stage model is not", s.Study, strings.Join(s.Covariates, ", ")))
		}
		idx := len(d.Studies)
		d.Studies = append(d.Studies, s.Study)
		for _, r := range s.Rows {
			d.Time, d.Event = append(d.Time, r.Time), append(d.Event, r.Event)
			d.Treated, d.Study = append(d.Treated, r.Arm == s.Arm), append(d.Study, idx)
		}
	}
	if len(d.Studies) < 2 {
		return nil
	}
	one, err := ipd.OneStage(d, ipd.Options{})
	if err != nil {
		return err
	}
	two, err := ipd.TwoStage(d, ipd.Options{Pool: meta.Options{Method: meta.REML}})
	if err != nil {
		return err
	}
	c.OneStage, c.TwoStage, c.OneStageStudies = one, two, d.Studies
	return nil
}
