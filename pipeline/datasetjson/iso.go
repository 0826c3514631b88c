package datasetjson

import (
	"fmt"
	"strconv"
	"strings"
)

// sasNumber converts a complete ISO 8601 date (YYYY-MM-DD), datetime
// (YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]) or time (hh:mm:ss[.f]) to the SAS
// number targetDataType "integer" asks for: days since 1960-01-01, seconds
// since 1960-01-01T00:00:00, seconds since midnight. A datetime's UTC
// offset is dropped: SAS datetimes are local clock times. Partial values
// ("2012-12") cannot be converted and are an error.
func sasNumber(dt DataType, s string) (float64, error) {
	switch dt {
	case TypeDate:
		if days, ok := isoDays(s); ok {
			return days, nil
		}
		return 0, fmt.Errorf(`%q is not a complete ISO 8601 date (YYYY-MM-DD), which targetDataType "integer" needs`, s)
	case TypeTime:
		if sec, ok := isoSeconds(s); ok {
			return sec, nil
		}
		return 0, fmt.Errorf(`%q is not an ISO 8601 time (hh:mm:ss), which targetDataType "integer" needs`, s)
	}
	if len(s) > 11 && s[10] == 'T' {
		days, ok1 := isoDays(s[:10])
		sec, ok2 := isoSeconds(trimZone(s[11:]))
		if ok1 && ok2 {
			return days*86400 + sec, nil
		}
	}
	return 0, fmt.Errorf(`%q is not a complete ISO 8601 datetime (YYYY-MM-DDThh:mm:ss), which targetDataType "integer" needs`, s)
}

// trimZone removes a trailing "Z" or "±hh:mm".
func trimZone(s string) string {
	if strings.HasSuffix(s, "Z") {
		return s[:len(s)-1]
	}
	if n := len(s); n > 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' && digits(s[n-5:n-3]) && digits(s[n-2:]) {
		return s[:n-6]
	}
	return s
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = 10*n + int(s[i]-'0')
	}
	return n
}

// isoDays returns the days from 1960-01-01 to the date YYYY-MM-DD.
func isoDays(s string) (float64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return 0, false
	}
	y, m, d := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return float64(daysFromCivil(y, m, d) - daysFromCivil(1960, 1, 1)), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", days_from_civil).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// isoSeconds returns the seconds since midnight of hh:mm:ss[.f] (hh < 24,
// mm and ss < 60).
func isoSeconds(s string) (float64, bool) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' || !digits(s[:2]) || !digits(s[3:5]) || !digits(s[6:8]) {
		return 0, false
	}
	h, m := atoi(s[:2]), atoi(s[3:5])
	sec := float64(atoi(s[6:8]))
	if len(s) > 8 {
		if s[8] != '.' || !digits(s[9:]) {
			return 0, false
		}
		f, err := strconv.ParseFloat(s[6:], 64)
		if err != nil {
			return 0, false
		}
		sec = f
	}
	if h > 23 || m > 59 || sec >= 60 {
		return 0, false
	}
	return float64(h*3600+m*60) + sec, true
}

// validDecimal reports whether s is a decimal number: an optional sign,
// digits (with "," between groups of three if any), an optional "."
// fraction; at least one digit.
func validDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && frac != "" && !digits(frac) {
		return false
	}
	if intPart == "" {
		return hasDot && frac != ""
	}
	if !strings.Contains(intPart, ",") {
		return digits(intPart)
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !digits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !digits(g) {
			return false
		}
	}
	return true
}
