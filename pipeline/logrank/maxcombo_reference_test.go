package logrank

import (
	"fmt"
	"math"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestMaxComboMatchesR compares with testdata/maxcombo_reference.csv from
// testdata/make_weighted_reference.R, for aml, veteran, lung and their
// delayed-entry versions, plain and stratified. There, for G(0,0), G(1,0),
// G(0,1), G(1,1), the formula loop weighted_test() (checked against
// survdiff(Surv(time, status) ~ arm, rho = RHO) where survdiff applies)
// gives Z = (O_2 - E_2)/sqrt(V_22) and Corr = cov2cor(t(W) %*% (W * v2)),
// and the p-values are
//
//	p       = 1 - P(|Z_a| < max|z| for all a)
//	p_upper = 1 - P(Z_a < max z),   p_lower = 1 - P(Z_a > min z)
//
// by rank3_prob(): nested integrate() over z1 and z2 | z1, the G(0,1)
// constraint Z_3 = a Z_1 + b Z_2 exact (Corr has rank 3), checked against
// pmvnorm(..., algorithm = GenzBretz(maxpts = 2e6, abseps = 1e-9)) to 1e-5
// (GenzBretz's own accuracy on this singular matrix). Z and Corr to 1e-6
// relative, p-values to 1e-8 absolute.
func TestMaxComboMatchesR(t *testing.T) {
	keys, ref := referenceGroups(t, "maxcombo_reference.csv", "dataset", "analysis")
	if len(keys) != 12 {
		t.Fatalf("%d reference tests, want 12", len(keys))
	}
	worstP := 0.0
	for _, key := range keys {
		rows := ref[key]
		t.Run(key, func(t *testing.T) {
			d := loadDataset(t, rows[0]["dataset"])
			data := Data{Time: d.time, Event: d.event, Group: d.group, K: d.k, Entry: d.entry}
			if rows[0]["analysis"] == "strata" {
				data.Strata = d.strata
			}
			res, err := MaxCombo(data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusOK {
				t.Errorf("status %q", res.Status)
			}
			for _, r := range rows {
				want := r.Float(t, "value")
				var got float64
				name, tol := r["quantity"], rtest.RelTol
				switch name {
				case "z":
					i := r.Int(t, "i")
					name, got = fmt.Sprintf("z[%d]", i), res.Z[i]
				case "corr":
					i, j := r.Int(t, "i"), r.Int(t, "j")
					name, got = fmt.Sprintf("corr[%d][%d]", i, j), res.Corr[i][j]
				case "p", "p_upper", "p_lower":
					got = map[string]float64{"p": res.P, "p_upper": res.PUpper, "p_lower": res.PLower}[name]
					worstP = math.Max(worstP, math.Abs(got-want))
					if !scalar.EqualWithinAbs(got, want, 1e-8) {
						t.Errorf("%s = %.12g, R %.12g (difference %.2g, PError %.2g)", name, got, want, got-want, res.PError)
					}
					continue
				default:
					t.Fatalf("unknown quantity %q", name)
				}
				if !scalar.EqualWithinAbsOrRel(got, want, rtest.AbsTol, tol) {
					t.Errorf("%s = %.17g, R %.17g", name, got, want)
				}
			}
		})
	}
	t.Logf("largest absolute p-value difference from R: %.2g", worstP)
}
