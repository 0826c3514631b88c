//go:build ignore

// gen_fixture writes testdata/fixture/{adsl,adqs,adce}.csv: 300 random
// subjects with irregular, missing, missed and unscheduled visits, rescue
// medication, randomization and clinical events, for the comparison of
// Derive with the independent base-R derivation in derive_ref.R.
//
//	go run gen_fixture.go && Rscript derive_ref.R
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

func main() {
	rng := rand.New(rand.NewPCG(20261125, 4))
	var adsl, adqs, adce strings.Builder
	adsl.WriteString("STUDYID,USUBJID,TRT01P,AGE,SEX,RANDDY,EOSDY,DCSREAS,RESCDY\n")
	adqs.WriteString("STUDYID,USUBJID,PARAMCD,AVISIT,ADY,AVAL\n")
	adce.WriteString("STUDYID,USUBJID,ADY,CETERM\n")
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for i := range 300 {
		id := fmt.Sprintf("FIX-%03d", i+1)
		arm := []string{"A", "B"}[i%2]
		rand, resc, reason := "", "", ""
		if rng.Float64() < 0.9 {
			rand = "28"
		}
		if rng.Float64() < 0.15 {
			resc = f(float64(10 + rng.IntN(70)))
		}
		last := 84.0
		if rng.Float64() < 0.2 {
			last = float64(7 * (1 + rng.IntN(11)))
			reason = "WITHDRAWAL BY SUBJECT"
		}
		fmt.Fprintf(&adsl, "FIX,%s,%s,%d,%s,%s,%s,%s,%s\n", id, arm, 20+rng.IntN(50), []string{"F", "M"}[rng.IntN(2)], rand, f(last), reason, resc)
		base := float64(20 + rng.IntN(25))
		if rng.Float64() < 0.03 {
			base = 0
		}
		if rng.Float64() > 0.05 { // 5% have no baseline row
			fmt.Fprintf(&adqs, "FIX,%s,MADRS,BASELINE,-1,%s\n", id, f(base))
		}
		if base == 0 {
			base = 30
		}
		x := base
		days := []float64{0.02778}
		for d := 7.0; d <= last; d += 7 {
			days = append(days, d)
		}
		for k, d := range days {
			x = math.Max(0, math.Min(60, math.Round(x+rng.NormFloat64()*7-1)))
			u := rng.Float64()
			switch {
			case u < 0.08: // visit not done: no row
			case u < 0.13: // missed assessment: empty AVAL
				fmt.Fprintf(&adqs, "FIX,%s,MADRS,V%d,%s,\n", id, k, f(d))
			default:
				fmt.Fprintf(&adqs, "FIX,%s,MADRS,V%d,%s,%s\n", id, k, f(d), f(x))
			}
			if rng.Float64() < 0.08 && d+3.5 < last { // an unscheduled visit in between
				y := math.Max(0, math.Min(60, math.Round(x+rng.NormFloat64()*5)))
				fmt.Fprintf(&adqs, "FIX,%s,MADRS,UNSCHED,%s,%s\n", id, f(d+0.5+float64(rng.IntN(6))), f(y))
			}
		}
		if rng.Float64() < 0.1 {
			fmt.Fprintf(&adce, "FIX,%s,%s,HOSPITALIZATION\n", id, f(float64(1+rng.IntN(90))+0.25))
		}
		if rng.Float64() < 0.05 {
			fmt.Fprintf(&adce, "FIX,%s,%s,SUICIDE_ATTEMPT\n", id, f(float64(1+rng.IntN(90))+0.75))
		}
	}
	for name, b := range map[string]*strings.Builder{"adsl.csv": &adsl, "adqs.csv": &adqs, "adce.csv": &adce} {
		if err := os.WriteFile("fixture/"+name, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
