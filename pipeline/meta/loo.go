package meta

import "fmt"

// LeaveOneOut pools the studies K times, leaving out each study in turn,
// with the same options: the i-th result omits study i. As metafor's
// leave1out(fit), each fit estimates its own τ², Q, I² and H² (the
// Q-profile intervals, which leave1out does not give, are computed too).
//
// It returns an error for fewer than 3 studies or invalid data, as Pool.
func LeaveOneOut(yi, sei []float64, opt Options) ([]*Result, error) {
	if len(yi) != len(sei) {
		panic(fmt.Sprintf("meta: len(yi) = %d != len(sei) = %d", len(yi), len(sei)))
	}
	opt = opt.withDefaults()
	if err := checkStudies(yi, sei); err != nil {
		return nil, fmt.Errorf("could not run leave-one-out analysis: %w", err)
	}
	if len(yi) < 3 {
		return nil, fmt.Errorf("could not run leave-one-out analysis: %w, got %d: leaving one out needs at least 3", ErrTooFewStudies, len(yi))
	}
	k := len(yi)
	y := make([]float64, 0, k-1)
	v := make([]float64, 0, k-1)
	out := make([]*Result, k)
	for i := range k {
		y, v = y[:0], v[:0]
		for j := range k {
			if j != i {
				y = append(y, yi[j])
				v = append(v, sei[j]*sei[j])
			}
		}
		out[i] = pool(y, v, opt)
	}
	return out, nil
}
