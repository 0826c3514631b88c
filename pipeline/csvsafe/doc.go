// Package csvsafe escapes the text cells of the CSV files ketcurves
// writes, so that a spreadsheet opening them does not run a formula
// planted in the input (CSV or formula injection).
//
// # Policy
//
// A text cell whose first character is one of
//
//	=  +  -  @  TAB (U+0009)  CR (U+000D)
//
// is written with a single quote (') in front, as the OWASP "CSV
// Injection" page recommends (https://owasp.org/www-community/attacks/CSV_Injection):
// spreadsheets show such a cell as text. Other cells are written as they
// are. Numbers are not text and are never prefixed: a numeric column's
// cell, and a text cell that is a plain decimal number (-0.5, +3, 1e-9),
// which a spreadsheet reads as that number and not as a formula.
//
// The programs that write CSV from input text (ingest's rejects.csv,
// derive's adtte.csv and exclusions) apply Cell to their text columns,
// and take a flag -raw-csv to write every cell raw, e.g. for a
// downstream program that does not expect the prefix. Raw undoes Cell
// for readers that receive escaped files.
package csvsafe
