package xport

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Temporal is what a numeric variable's values count, by its SAS format.
type Temporal uint8

// Kinds of temporal values.
const (
	NotTemporal Temporal = iota // an ordinary number
	Date                        // days since 1960-01-01
	Datetime                    // seconds since 1960-01-01T00:00:00
	Time                        // seconds since midnight
)

// Formats by what their values count (SAS 9.4 Formats and Informats:
// Reference, "Formats by Category": Date and Time). The ISO 8601 formats
// come in basic (B8601…) and extended (E8601…, IS8601…) forms.
var (
	// DateFormats are the format names whose values are days since 1960-01-01.
	DateFormats = []string{
		"DATE", "DAY", "DDMMYY", "DDMMYYB", "DDMMYYC", "DDMMYYD", "DDMMYYN", "DDMMYYP", "DDMMYYS",
		"DOWNAME", "E8601DA", "B8601DA", "IS8601DA", "JULDAY", "JULIAN",
		"MMDDYY", "MMDDYYB", "MMDDYYC", "MMDDYYD", "MMDDYYN", "MMDDYYP", "MMDDYYS",
		"MMYY", "MMYYC", "MMYYD", "MMYYN", "MMYYP", "MMYYS", "MONNAME", "MONTH", "MONYY",
		"NENGO", "MINGUO", "NLDATE", "QTR", "QTRR", "WEEKDATE", "WEEKDATX", "WEEKDAY",
		"WEEKU", "WEEKV", "WEEKW", "WORDDATE", "WORDDATX", "YEAR",
		"YYMM", "YYMMC", "YYMMD", "YYMMN", "YYMMP", "YYMMS",
		"YYMMDD", "YYMMDDB", "YYMMDDC", "YYMMDDD", "YYMMDDN", "YYMMDDP", "YYMMDDS",
		"YYMON", "YYQ", "YYQC", "YYQD", "YYQN", "YYQP", "YYQS",
		"YYQR", "YYQRC", "YYQRD", "YYQRN", "YYQRP", "YYQRS",
	}
	// DatetimeFormats are the format names whose values are seconds since
	// 1960-01-01T00:00:00.
	DatetimeFormats = []string{
		"DATETIME", "DATEAMPM", "DTDATE", "DTMONYY", "DTWKDATX", "DTYEAR", "DTYYQC", "MDYAMPM",
		"E8601DT", "E8601DN", "E8601DX", "E8601DZ", "E8601LX", "B8601DT", "B8601DN", "B8601DX",
		"B8601DZ", "B8601LX", "IS8601DT", "IS8601DN", "NLDATM",
	}
	// TimeFormats are the format names whose values are seconds since midnight.
	TimeFormats = []string{
		"TIME", "TIMEAMPM", "TOD", "HHMM", "HOUR", "MMSS",
		"E8601TM", "E8601TX", "E8601TZ", "E8601LZ", "B8601TM", "B8601TX", "B8601TZ", "B8601LZ",
		"IS8601TM", "IS8601TZ", "NLTIME",
	}
)

var temporalByName = func() map[string]Temporal {
	m := make(map[string]Temporal)
	for _, n := range DateFormats {
		m[n] = Date
	}
	for _, n := range DatetimeFormats {
		m[n] = Datetime
	}
	for _, n := range TimeFormats {
		m[n] = Time
	}
	return m
}()

// TemporalKind returns what values with the SAS format name count: Date,
// Datetime, Time or NotTemporal. The name is compared without regard to
// case and without a width ("DATE9." and "date" are both Date).
func TemporalKind(format string) Temporal {
	name := strings.ToUpper(strings.TrimRight(format, "0123456789."))
	return temporalByName[name]
}

func temporalKind(name string) Temporal { return temporalByName[strings.ToUpper(name)] }

// Temporal returns what the column's values count, by its format.
func (c *Column) Temporal() Temporal {
	if c.Type != Numeric {
		return NotTemporal
	}
	return temporalKind(c.Format.Name)
}

// sasEpoch is SAS's day 0 and second 0.
var sasEpoch = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)

// Days from 1960-01-01 to 0001-01-01 and to 9999-12-31.
const (
	minDay = -715509
	maxDay = 2936549
)

// isoDate renders floor(days) as YYYY-MM-DD, if the year is in 1–9999.
func isoDate(days float64) (string, bool) {
	d := math.Floor(days)
	if d < minDay || d > maxDay {
		return "", false
	}
	return sasEpoch.AddDate(0, 0, int(d)).Format("2006-01-02"), true
}

// micros rounds seconds to whole microseconds.
func micros(seconds float64) int64 { return int64(math.Round(seconds * 1e6)) }

// isoDatetime renders seconds since 1960 as YYYY-MM-DDThh:mm:ss[.ffffff].
func isoDatetime(seconds float64) (string, bool) {
	if seconds < minDay*86400 || seconds >= (maxDay+1)*86400 {
		return "", false
	}
	us := micros(seconds)
	const usPerDay = 86400 * 1e6
	day := us / usPerDay
	if us%usPerDay < 0 {
		day--
	}
	date := sasEpoch.AddDate(0, 0, int(day)).Format("2006-01-02")
	return date + "T" + clock(us-day*usPerDay), true
}

// isoTime renders seconds since midnight as [-]hh:mm:ss[.ffffff].
func isoTime(seconds float64) (string, bool) {
	if math.Abs(seconds) >= 1e12 {
		return "", false
	}
	us := micros(seconds)
	if us < 0 {
		return "-" + clock(-us), true
	}
	return clock(us), true
}

// clock formats a non-negative number of microseconds as hh:mm:ss with a
// fraction only when there is one, trailing zeros removed.
func clock(us int64) string {
	sec, frac := us/1e6, us%1e6
	s := fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	if frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
	}
	return s
}
