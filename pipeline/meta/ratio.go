package meta

import (
	"fmt"
	"math"
)

// Z975 is Φ⁻¹(0.975) to the digits R prints with qnorm(0.975), the
// quantile behind a published 95% confidence interval.
const Z975 = 1.959963984540054

// FromRatio converts a ratio (hazard, odds or risk ratio) with its 95%
// confidence interval to the log scale:
//
//	yi  = log(ratio)
//	sei = (log upper - log lower) / (2 · 1.959964)
//
// It returns an error, saying what is wrong, when a value is not finite
// and positive, when lower >= upper, or when the interval does not contain
// the ratio. Published intervals are rounded, so an interval that is not
// symmetric on the log scale is accepted as long as it contains the ratio.
func FromRatio(ratio, lower, upper float64) (yi, sei float64, err error) {
	for _, c := range []struct {
		name string
		v    float64
	}{{"ratio", ratio}, {"lower limit", lower}, {"upper limit", upper}} {
		if !(c.v > 0) || math.IsInf(c.v, 0) {
			return 0, 0, fmt.Errorf("%s %v must be a finite number > 0 (give ratios, not log ratios, with hr,lower,upper; use yi,sei for log-scale estimates)", c.name, c.v)
		}
	}
	if !(lower < upper) {
		return 0, 0, fmt.Errorf("lower limit %v must be below upper limit %v", lower, upper)
	}
	if ratio < lower || ratio > upper {
		return 0, 0, fmt.Errorf("confidence interval [%v, %v] does not contain the estimate %v: check the columns are in the order estimate, lower, upper", lower, upper, ratio)
	}
	return math.Log(ratio), (math.Log(upper) - math.Log(lower)) / (2 * Z975), nil
}
