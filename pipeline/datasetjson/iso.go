package datasetjson

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

var (
	decimalPattern  = regexp.MustCompile(`^[+-]?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]*)?|\.[0-9]+)$`)
	datePattern     = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)
	timePattern     = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?$`)
	datetimePattern = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)(Z|[+-][0-9]{2}:[0-9]{2})?$`)
)

var sasEpoch = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)

// sasNumber converts a complete ISO 8601 date (YYYY-MM-DD), datetime
// (YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]) or time (hh:mm:ss[.f]) to the SAS
// number targetDataType "integer" asks for: days since 1960-01-01, seconds
// since 1960-01-01T00:00:00, seconds since midnight. A datetime's UTC
// offset is dropped: SAS datetimes are local clock times. Partial values
// ("2012-12") cannot be converted and are an error.
func sasNumber(dt DataType, s string) (float64, error) {
	switch dt {
	case TypeDate:
		days, ok := isoDays(s)
		if !ok {
			return 0, fmt.Errorf(`%q is not a complete ISO 8601 date (YYYY-MM-DD), which targetDataType "integer" needs`, s)
		}
		return days, nil
	case TypeTime:
		sec, ok := isoSeconds(s)
		if !ok {
			return 0, fmt.Errorf(`%q is not an ISO 8601 time (hh:mm:ss), which targetDataType "integer" needs`, s)
		}
		return sec, nil
	}
	m := datetimePattern.FindStringSubmatch(s)
	if m != nil {
		days, ok1 := isoDays(m[1])
		sec, ok2 := isoSeconds(m[2])
		if ok1 && ok2 && sec < 86400 {
			return days*86400 + sec, nil
		}
	}
	return 0, fmt.Errorf(`%q is not a complete ISO 8601 datetime (YYYY-MM-DDThh:mm:ss), which targetDataType "integer" needs`, s)
}

// isoDays returns the days from 1960-01-01 to the date s.
func isoDays(s string) (float64, bool) {
	if !datePattern.MatchString(s) {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, false
	}
	return float64((t.Unix() - sasEpoch.Unix()) / 86400), true
}

// isoSeconds returns the seconds since midnight of the time s (hh < 24,
// mm and ss < 60).
func isoSeconds(s string) (float64, bool) {
	m := timePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.ParseFloat(m[3]+m[4], 64)
	if h > 23 || mi > 59 || sec >= 60 {
		return 0, false
	}
	return float64(h*3600+mi*60) + sec, true
}
