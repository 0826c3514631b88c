package cmprsk_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/cmprsk"
)

// Time to response (cause 1) with dropout competing (cause 2), in weeks.
// The printed numbers agree with R: survfit(Surv(weeks, factor(status,
// 0:2)) ~ 1), cuminc(weeks, status, arm)$Tests, crr(weeks, status, arm), and
// survfit(Surv(t1, t2, st) ~ 1, id = id, istate = ist, influence = TRUE)
// with summary(fit, rmean = 10)$table for the multi-state example.
var (
	weeks  = []float64{1, 2, 2, 3, 4, 4, 5, 6, 6, 8, 9, 12}
	status = []int{1, 1, 2, 0, 1, 1, 2, 1, 0, 1, 0, 2}
	arm    = []int{1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0}
)

func ExampleCumulativeIncidence() {
	c, err := cmprsk.CumulativeIncidence(weeks, status, cmprsk.IncidenceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range c.Time {
		fmt.Printf("week %2.0f  response %.3f (se %.3f)  dropout %.3f\n", t, c.PState[1][i], c.StdErr[1][i], c.PState[2][i])
	}
	// Output:
	// week  1  response 0.083 (se 0.080)  dropout 0.000
	// week  2  response 0.167 (se 0.108)  dropout 0.083
	// week  3  response 0.167 (se 0.108)  dropout 0.083
	// week  4  response 0.354 (se 0.143)  dropout 0.083
	// week  5  response 0.354 (se 0.143)  dropout 0.177
	// week  6  response 0.448 (se 0.150)  dropout 0.177
	// week  8  response 0.573 (se 0.158)  dropout 0.177
	// week  9  response 0.573 (se 0.158)  dropout 0.177
	// week 12  response 0.573 (se 0.158)  dropout 0.427
}

func ExampleGrayTest() {
	res, err := cmprsk.GrayTest(weeks, status, arm, cmprsk.GrayOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res {
		fmt.Printf("cause %d: chi2 = %.3f on %d df, p = %.3f\n", r.Cause, r.Stat, r.DF, r.P)
	}
	// Output:
	// cause 1: chi2 = 2.581 on 1 df, p = 0.108
	// cause 2: chi2 = 1.831 on 1 df, p = 0.176
}

func ExampleFineGray() {
	res, err := cmprsk.FineGray(weeks, status, [][]float64{toFloat(arm)}, cmprsk.FineGrayOptions{Names: []string{"ketamine"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Iter)
	fmt.Printf("%s: SHR %.2f (%.2f to %.2f), p = %.2f\n", res.Names[0], res.HR[0], res.HRLower[0], res.HRUpper[0], res.P[0])
	// Output:
	// ok 3
	// ketamine: SHR 3.80 (0.85 to 16.95), p = 0.08
}

// Probability of being in response, for not responding → response →
// relapse with dropout from both, and mean weeks in response up to week 10.
func ExampleAalenJohansen() {
	d := cmprsk.MultiStateData{
		States: []string{"not responding", "response", "relapse", "dropout"},
		ID:     []int{1, 1, 2, 2, 2, 3, 4, 4, 5},
		Start:  []float64{0, 2, 0, 1, 4, 0, 0, 3, 0},
		Stop:   []float64{2, 9, 1, 4, 12, 5, 3, 10, 7},
		From:   []int{0, 1, 0, 1, 2, 0, 0, 1, 0},
		To:     []int{1, cmprsk.Censored, 1, 2, cmprsk.Censored, 3, 1, 2, cmprsk.Censored},
	}
	c, err := cmprsk.AalenJohansen(d, cmprsk.MultiStateOptions{Tau: []float64{10}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range c.Time {
		fmt.Printf("week %2.0f  in response %.3f (se %.3f)\n", t, c.PState[1][i], c.StdErr[1][i])
	}
	fmt.Printf("weeks in response up to 10: %.2f (se %.2f)\n", c.RMean[0].Mean[1], c.RMean[0].SE[1])
	// Output:
	// week  1  in response 0.200 (se 0.179)
	// week  2  in response 0.400 (se 0.219)
	// week  3  in response 0.600 (se 0.219)
	// week  4  in response 0.400 (se 0.219)
	// week  5  in response 0.400 (se 0.219)
	// week  7  in response 0.400 (se 0.219)
	// week  9  in response 0.400 (se 0.219)
	// week 10  in response 0.000 (se 0.000)
	// week 12  in response 0.000 (se 0.000)
	// weeks in response up to 10: 3.60 (se 1.51)
}

func toFloat(x []int) []float64 {
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	return f
}
