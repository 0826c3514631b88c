// Package column provides Text, a column of text cells held as integer
// codes into the column's distinct values, and Lines, a column of source
// places (file lines) held as runs.
//
// A clinical table of a million rows repeats a few values in its text
// columns: a handful of arms and endpoints, one study identifier, two
// sexes, a few dozen ages. Held as Go strings, each cell costs a 16-byte
// header that the garbage collector must scan; held as a code, one byte of
// plain data (four once a column has more than 256 distinct values). Consumers that work per distinct value (parse a covariate,
// map an arm to its index) do that work once per level and then look up
// codes, instead of once per row.
//
// Levels are kept in order of first appearance, so a column built from the
// same cells in the same order has the same codes: codes are deterministic.
// A column of distinct values (an identifier) costs a code more per row
// than plain strings; use Text for columns whose values repeat.
package column
