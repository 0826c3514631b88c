package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// NA is shown for a value that is undefined (NaN in Go, NA in R).
const NA = "NA"

// NotReached is shown for a quantile, or a confidence limit of a quantile,
// that the Kaplan–Meier curve does not reach (NA in R's quantile.survfit).
const NotReached = "not reached"

// NotEstimable is shown for a Cox term whose estimate the fit stage marked
// as not estimable (a diverging coefficient, a singular information matrix).
const NotEstimable = "not estimable"

// FormatP formats a p-value the way clinical reports do:
//
//	p < 0.0001          "< 0.0001"
//	0.0001 ≤ p < 0.001  4 decimals, e.g. "0.0004"
//	0.001 ≤ p           3 decimals, e.g. "0.012", "1.000"
//
// A NaN or a value outside [0, 1] gives NA.
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return NA
	case p < 0.0001:
		return "< 0.0001"
	case p < 0.001:
		return strconv.FormatFloat(p, 'f', 4, 64)
	default:
		return strconv.FormatFloat(p, 'f', 3, 64)
	}
}

// FormatSignificant formats x with digits significant digits, keeping
// trailing zeros (1.50 at 3 digits): hazard ratios are shown with
// FormatSignificant(hr, 3). Plain notation is used for 1e-4 ≤ |x| < 1e6,
// scientific notation outside (5.63e-10, as R prints a diverging hazard
// ratio). NaN gives NA; ±Inf gives "Inf" or "-Inf", as R prints them. It
// panics if digits < 1.
func FormatSignificant(x float64, digits int) string {
	if digits < 1 {
		panic("report: FormatSignificant needs digits ≥ 1")
	}
	switch {
	case math.IsNaN(x):
		return NA
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		if digits == 1 {
			return "0"
		}
		return "0." + strings.Repeat("0", digits-1)
	}
	// Round to digits significant digits first, so that 9.996 at 3 digits
	// becomes 10.0 and not 10.00.
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'e', digits-1, 64), 64)
	if err != nil {
		return NA
	}
	exp := int(math.Floor(math.Log10(math.Abs(r))))
	if exp < -4 || exp >= 6 {
		return strconv.FormatFloat(r, 'e', digits-1, 64)
	}
	dec := max(digits-1-exp, 0)
	return strconv.FormatFloat(r, 'f', dec, 64)
}

// FormatHR formats a hazard ratio or its confidence limit with 3
// significant digits.
func FormatHR(hr float64) string { return FormatSignificant(hr, 3) }

// FormatTime formats a time (in the study's time unit, days) with 4
// significant digits and no trailing zeros: 84, 1.5, 0.02778 (40 minutes).
// Times of 10000 or more are rounded to whole units. NaN gives NA.
func FormatTime(t float64) string {
	if math.IsNaN(t) || math.IsInf(t, 0) {
		return FormatSignificant(t, 1)
	}
	if math.Abs(t) >= 1e4 {
		return strconv.FormatFloat(math.Round(t), 'f', 0, 64)
	}
	s := FormatSignificant(t, 4)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// formatTimePtr formats an optional time; nil means not reached.
func formatTimePtr(t *float64) string {
	if t == nil {
		return NotReached
	}
	return FormatTime(*t)
}

// formatStat formats a test statistic or log-likelihood: 2 decimals when
// |x| ≥ 1, 4 significant digits below.
func formatStat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return FormatSignificant(x, 1)
	}
	if math.Abs(x) >= 1 || x == 0 {
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return FormatSignificant(x, 3)
}

// formatPercent formats a confidence level 0.95 as "95%".
func formatPercent(level float64) string {
	if math.IsNaN(level) || level <= 0 || level >= 1 {
		return ""
	}
	return strconv.FormatFloat(math.Round(level*1e6)/1e4, 'f', -1, 64) + "%"
}

// markdownSpecial lists the characters EscapeMarkdown escapes with a
// backslash. CommonMark lets any ASCII punctuation be escaped; these are the
// ones that start emphasis, code, links, HTML, tables (GFM), strikethrough,
// math (GitHub), headings and entities. Parentheses are left alone: with
// brackets escaped they cannot form a link.
const markdownSpecial = "\\`*_{}[]<>#+!|~$&"

// EscapeMarkdown escapes s for use as inline text in Markdown, including a
// table cell: the characters \ ` * _ { } [ ] < > # + ! | ~ $ & get a
// backslash, and line breaks and other control characters become spaces, so
// that a label can neither break a table nor inject HTML or links.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			// Drop other control characters.
		case r < 0x80 && strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeFence returns a backtick fence longer than any run of backticks in s,
// so that s can sit in a fenced code block without closing it.
func codeFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// formatCoef formats a Cox coefficient or its standard error with 4
// significant digits, as R's print.coxph does.
func formatCoef(x float64) string { return FormatSignificant(x, 4) }

// formatHoursPtr formats an optional time in days as hours, "4 h" for
// 0.1667 days; nil means not reached.
func formatHoursPtr(t *float64) string {
	if t == nil {
		return NotReached
	}
	return FormatTime(*t*24) + " h"
}

// QuantileTimes returns the unit and the formatter of the quartile times of
// endpoint ep in a study timed in timeUnit: hours ("4 h") where the
// endpoint's figure has its time axis in hours (time_scale log, a first
// positive time below one day, a study in days), else timeUnit (days when
// empty) and FormatTime. A nil time is NotReached.
func QuantileTimes(ep schema.Endpoint, timeUnit string) (unit string, format func(*float64) string) {
	if timeUnit == "" {
		timeUnit = "days"
	}
	if axisInHours(ep, timeUnit) {
		return "hours", formatHoursPtr
	}
	return timeUnit, formatTimePtr
}
