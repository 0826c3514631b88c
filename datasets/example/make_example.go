//go:build ignore

// make_example writes the small synthetic smoke-test study's adtte.csv.
// Run from the repository root: go run datasets/example/make_example.go
//
// Synthetic data, not patient data. Times are on the visit grid of an IV
// ketamine trial (40 min, 2 h, 4 h, days 1, 2, 3, 7), so there are many ties.
package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
)

var visits = []float64{0.027778, 0.083333, 0.166667, 1, 2, 3, 7}

func main() {
	f, err := os.Create("datasets/example/adtte.csv")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR", "EVNTDESC", "CNSDTDSC", "AGE", "SEX", "STRATUM"})
	rng := rand.New(rand.NewPCG(20261125, 1))
	for i := 0; i < 60; i++ {
		arm, pResp, rate := "KETAMINE", 0.65, 1.2
		if i%2 == 1 {
			arm, pResp, rate = "MIDAZOLAM", 0.30, 0.4
		}
		subj := fmt.Sprintf("EX-%03d", i+1)
		age := strconv.Itoa(25 + rng.IntN(40))
		sex := []string{"F", "M"}[rng.IntN(2)]
		stratum := []string{"TRD", "MDD"}[rng.IntN(2)]
		// Time to response: the first visit at or after a latent exponential time,
		// for responders; others are censored at their last visit (dropout possible).
		last := visits[len(visits)-1]
		if rng.Float64() < 0.1 {
			last = visits[3+rng.IntN(3)]
		}
		aval, cnsr, evnt, cns := last, "1", "", "LAST ASSESSMENT"
		if rng.Float64() < pResp {
			latent := rng.ExpFloat64() / rate
			for _, v := range visits {
				if v >= latent && v <= last {
					aval, cnsr, evnt, cns = v, "0", "MADRS >= 50% REDUCTION", ""
					break
				}
			}
		}
		w.Write([]string{"KET-EX", subj, arm, "TTRESP", strconv.FormatFloat(aval, 'f', -1, 64), cnsr, evnt, cns, age, sex, stratum})
		// Time to relapse, in days from the day-1 visit, weekly follow-up to day 28.
		relapse := 7 * math.Ceil(rng.ExpFloat64()*map[string]float64{"KETAMINE": 18, "MIDAZOLAM": 10}[arm]/7)
		aval, cnsr, evnt, cns = relapse, "0", "MADRS >= 22 TWICE", ""
		if relapse > 28 {
			aval, cnsr, evnt, cns = 28, "1", "", "END OF FOLLOW-UP"
		}
		w.Write([]string{"KET-EX", subj, arm, "TTRELAPSE", strconv.FormatFloat(aval, 'f', -1, 64), cnsr, evnt, cns, age, sex, stratum})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
