package cmprsk

import (
	"fmt"
	"strconv"
)

// IncidenceOptions configures CumulativeIncidence.
type IncidenceOptions struct {
	// Causes is the number of causes K (status codes 1…K); 0 means the
	// largest status code in the data. A cause without events has a
	// cumulative incidence of 0.
	Causes int
	// Entry is nil (every subject at risk from time 0) or the delayed-entry
	// (left-truncation) time of each subject: at risk on (Entry[i], time[i]].
	Entry     []float64
	ConfType  ConfType  // "" means Log, R's default
	ConfLevel float64   // 0 means 0.95
	Tau       []float64 // restricted mean times, as MultiStateOptions.Tau
}

// CumulativeIncidence estimates the cumulative incidence function of each
// cause of failure in one group (the caller splits by arm) by the
// Aalen–Johansen estimator. status[i] is 0 for a censoring and 1…K for a
// failure from that cause at time[i].
//
// With n_j at risk and d_kj failures from cause k at the distinct failure
// times t_j, and Ŝ the Kaplan–Meier estimate of remaining event-free (all
// causes),
//
//	F_k(t) = Σ_{t_j <= t} Ŝ(t_j-) d_kj/n_j
//
// The result is a StateCurve with States "(s0)" (event-free, PState[0] =
// Ŝ) and "1" … "K" (PState[k] = F_k), its infinitesimal-jackknife standard
// errors and log-scale limits by default, as AalenJohansen. Delayed entry
// uses n_j = #{i : Entry[i] < t_j <= time[i]}.
//
// R equivalent: survfit(Surv(time, factor(status, 0:K)) ~ 1) — with entry,
// survfit(Surv(entry, time, factor(status, 0:K)) ~ 1, id = id) — columns of
// $pstate, $std.err, $lower, $upper. cmprsk::cuminc gives the same F_k with
// a different (delta-method) variance. SAS: PROC LIFETEST with EVENTCODE=k
// (CIF by the same estimator).
//
// Reference: Aalen & Johansen (1978); Kalbfleisch & Prentice (2002)
// section 8.2.
//
// It returns an error for empty input, a non-finite time, a status code
// outside 0…K, or an entry not before its time. It panics if the lengths
// differ, if opt.Causes < 0, or on an invalid ConfType or ConfLevel.
func CumulativeIncidence(time []float64, status []int, opt IncidenceOptions) (*StateCurve, error) {
	if len(time) != len(status) {
		panic(fmt.Sprintf("cmprsk: len(time) = %d != len(status) = %d", len(time), len(status)))
	}
	if opt.Entry != nil && len(opt.Entry) != len(time) {
		panic(fmt.Sprintf("cmprsk: len(Entry) = %d != len(time) = %d", len(opt.Entry), len(time)))
	}
	if opt.Causes < 0 {
		panic(fmt.Sprintf("cmprsk: Causes = %d < 0", opt.Causes))
	}
	k := opt.Causes
	if k == 0 {
		for _, s := range status {
			k = max(k, s)
		}
	}
	to := make([]int, len(status))
	for i, s := range status {
		if s < 0 || s > k {
			return nil, fmt.Errorf("could not estimate cumulative incidence: status[%d] = %d: use 0 for a censoring and 1…%d for the cause of failure", i, s, k)
		}
		to[i] = s
		if s == 0 {
			to[i] = Censored
		}
	}
	states := make([]string, k+1)
	states[0] = "(s0)"
	for j := 1; j <= k; j++ {
		states[j] = strconv.Itoa(j)
	}
	d := MultiStateData{States: states, Start: opt.Entry, Stop: time, From: make([]int, len(time)), To: to}
	c, err := AalenJohansen(d, MultiStateOptions{ConfType: opt.ConfType, ConfLevel: opt.ConfLevel, Tau: opt.Tau})
	if err != nil {
		return nil, err
	}
	return c, nil
}
