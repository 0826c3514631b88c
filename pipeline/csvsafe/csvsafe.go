package csvsafe

import "strings"

// triggers are the first characters that make a spreadsheet read a cell
// as a formula (or, for TAB and CR, hide one after them).
const triggers = "=+-@\t\r"

// Cell returns the CSV cell for s: s itself when numeric is true (a
// number column), when s is a plain decimal number or when it does not
// start with one of = + - @ TAB CR; otherwise s with a single quote in
// front (a cell already quoted, such as '=1, gets one more quote, so that
// Raw gives it back). See the package documentation for the policy.
func Cell(s string, numeric bool) string {
	if numeric || !NeedsEscape(s) {
		return s
	}
	return "'" + s
}

// NeedsEscape reports whether Cell prefixes the text cell s: s starts
// with a trigger and is not a plain decimal number, or s is a quote
// followed by such a cell (so that Raw is the exact inverse of Cell).
func NeedsEscape(s string) bool {
	for len(s) > 0 && s[0] == '\'' {
		s = s[1:]
	}
	return s != "" && strings.IndexByte(triggers, s[0]) >= 0 && !isDecimal(s)
}

// Raw undoes Cell: it removes the quote that Cell put in front of a text
// cell, and returns any other cell unchanged.
func Raw(s string) string {
	if len(s) >= 2 && s[0] == '\'' && NeedsEscape(s[1:]) {
		return s[1:]
	}
	return s
}

// Row applies Cell to each cell of rec in place, numeric[i] saying
// whether column i is numeric (columns beyond numeric are text), and
// returns rec. With raw true it returns rec unchanged.
func Row(rec []string, numeric []bool, raw bool) []string {
	if raw {
		return rec
	}
	for i, s := range rec {
		rec[i] = Cell(s, i < len(numeric) && numeric[i])
	}
	return rec
}

// isDecimal reports whether s is a plain decimal number: an optional
// sign, digits with at most one decimal point (at least one digit), and
// an optional exponent (e or E, optional sign, digits). Inf, NaN,
// hexadecimal and underscores are not plain decimal numbers.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, point := 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			goto exponent
		}
	}
exponent:
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != 'e' && s[i] != 'E' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	exp := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		exp++
	}
	return exp > 0 && i == len(s)
}
