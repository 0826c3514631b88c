package cox

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// zphRow is one event of cox.zph's output: stratum label, time, x and y.
type zphRow struct {
	stratum string
	time, x float64
	y       []float64
}

// loadZPHResiduals reads zph_residuals.csv (case,row,time,stratum,x,term,y)
// into case -> rows, terms in the order of the file.
func loadZPHResiduals(t *testing.T) map[string][]zphRow {
	out := map[string][]zphRow{}
	for _, r := range rtest.ReadCSV(t, "testdata/zph_residuals.csv") {
		c := r["case"]
		i := int(r.Float(t, "row")) - 1
		if i == len(out[c]) {
			out[c] = append(out[c], zphRow{stratum: r["stratum"], time: r.Float(t, "time"), x: r.Float(t, "x")})
		}
		out[c][i].y = append(out[c][i].y, r.Float(t, "y"))
	}
	return out
}

// canonical sorts rows by stratum and time, and tied events by their
// residuals: R lists the tied events of counting-process data in reverse
// row order, we in row order.
func canonical(rows []zphRow) {
	slices.SortStableFunc(rows, func(a, b zphRow) int {
		if c := cmp.Compare(a.stratum, b.stratum); c != 0 {
			return c
		}
		if c := cmp.Compare(a.time, b.time); c != 0 {
			return c
		}
		for j := range a.y {
			if c := cmp.Compare(a.y[j], b.y[j]); c != 0 {
				return c
			}
		}
		return 0
	})
}

func TestZPHAgainstR(t *testing.T) {
	lung := loadLungInst(t)
	heart := loadHeart(t)
	sim := extData{dataset: loadSim(t, "sim.csv")}
	lungTerms := []string{"age", "sex", "ph.ecog"}
	simTerms := []string{"ARMKetamine", "ARMEsketamine", "AGE", "SEXM"}
	heartTerms := []string{"age", "year", "surgery", "transplant"}
	tests := []struct {
		extCase
		transform Transform
	}{
		{extCase{name: "lung_zph_km", rCall: `cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "km", terms = FALSE)`,
			data: lung, terms: lungTerms}, TransformKM},
		{extCase{name: "lung_zph_rank", rCall: `cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "rank", terms = FALSE)`,
			data: lung, terms: lungTerms}, TransformRank},
		{extCase{name: "lung_zph_identity", rCall: `cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "identity", terms = FALSE)`,
			data: lung, terms: lungTerms}, TransformIdentity},
		{extCase{name: "lung_zph_breslow_km", rCall: `cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, ties = "breslow"), transform = "km", terms = FALSE)`,
			data: lung, terms: lungTerms, opt: Options{Ties: Breslow}}, TransformKM},
		{extCase{name: "lung_zph_strata_km", rCall: `cox.zph(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst), transform = "km", terms = FALSE)`,
			data: lung, terms: []string{"age", "ph.ecog"}, strata: "sex"}, TransformKM},
		{extCase{name: "sim_zph_strata_rank", rCall: `cox.zph(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim), transform = "rank", terms = FALSE)`,
			data: sim, terms: simTerms, strata: "STRATUM"}, TransformRank},
		{extCase{name: "sim_zph_km", rCall: `cox.zph(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim), transform = "km", terms = FALSE)`,
			data: sim, terms: simTerms}, TransformKM},
		{extCase{name: "heart_zph_km", rCall: `cox.zph(coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart), transform = "km", terms = FALSE)`,
			data: heart, terms: heartTerms, entry: true}, TransformKM},
		// surgery is constant within each stratum of strata(surgery) only
		// as a stratum: the terms here all vary.
		{extCase{name: "heart_zph_strata_identity", rCall: `cox.zph(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart, ties = "breslow"), transform = "identity", terms = FALSE)`,
			data: heart, terms: []string{"age", "year", "transplant"}, strata: "surgery", entry: true, opt: Options{Ties: Breslow}}, TransformIdentity},
		{extCase{name: "lung_entry_zph_rank", rCall: `cox.zph(coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "rank", terms = FALSE)`,
			data: lung, terms: lungTerms, entry: true}, TransformRank},
	}
	ref := loadReferenceFile(t, "reference_ext.csv")
	resid := loadZPHResiduals(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var worst float64
			defer func() { t.Logf("max relative error against R: %.2g", worst) }()
			check := func(what string, got, want float64) {
				t.Helper()
				if !math.IsNaN(want) {
					worst = math.Max(worst, maxRelErr(got, want))
				}
				if !closeRel(got, want, relTol) {
					t.Errorf("%s = %.17g, want %.17g (R: %s)", what, got, want, tc.rCall)
				}
			}
			x := make([][]float64, len(tc.terms))
			for j, term := range tc.terms {
				x[j] = tc.data.cols[term]
			}
			var strata []int
			if tc.strata != "" {
				strata = tc.data.strata[tc.strata]
			}
			opt := tc.opt
			if tc.entry {
				opt.Entry = tc.data.entry
			}
			fit, err := CoxPH(tc.data.time, tc.data.event, x, tc.terms, strata, opt)
			if err != nil {
				t.Fatal(err)
			}
			z, err := ZPH(fit, tc.data.time, tc.data.event, x, strata, opt, tc.transform)
			if err != nil {
				t.Fatal(err)
			}
			if z.Status != StatusOK {
				t.Errorf("Status %q: %q", z.Status, z.Messages)
			}
			for j, term := range tc.terms {
				check("chisq["+term+"]", z.Tests[j].Statistic, ref.get(t, tc.name, "chisq", term))
				check("p["+term+"]", z.Tests[j].P, ref.get(t, tc.name, "p", term))
				if z.Tests[j].DF != int(ref.get(t, tc.name, "df", term)) {
					t.Errorf("df[%s] = %d", term, z.Tests[j].DF)
				}
			}
			check("chisq[GLOBAL]", z.Global.Statistic, ref.get(t, tc.name, "chisq", "GLOBAL"))
			check("p[GLOBAL]", z.Global.P, ref.get(t, tc.name, "p", "GLOBAL"))
			if z.Global.DF != int(ref.get(t, tc.name, "df", "GLOBAL")) {
				t.Errorf("df[GLOBAL] = %d", z.Global.DF)
			}

			want := resid[tc.name]
			if len(z.Time) != len(want) {
				t.Fatalf("%d residual rows, want %d", len(z.Time), len(want))
			}
			got := make([]zphRow, len(z.Time))
			for i := range got {
				got[i] = zphRow{time: z.Time[i], x: z.X[i]}
				if z.Strata != nil {
					got[i].stratum = fmt.Sprintf("%s=%d", tc.strata, z.Strata[i])
				}
				for j := range z.Y {
					got[i].y = append(got[i].y, z.Y[j][i])
				}
			}
			canonical(got)
			canonical(want)
			for i := range got {
				if got[i].stratum != want[i].stratum {
					t.Fatalf("row %d: stratum %q, want %q", i, got[i].stratum, want[i].stratum)
				}
				check(fmt.Sprintf("time[%d]", i), got[i].time, want[i].time)
				check(fmt.Sprintf("x[%d]", i), got[i].x, want[i].x)
				for j, term := range tc.terms {
					check(fmt.Sprintf("y[%d, %s]", i, term), got[i].y[j], want[i].y[j])
				}
			}
		})
	}
}
