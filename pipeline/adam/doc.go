// Package adam reads and validates CDISC-ADaM-style data files — ADSL
// (subjects), ADQS (visit-level scores), ADCE (qualifying clinical events)
// and ADTTE (time-to-event) — and converts them to typed columns. The
// ingest stage and the derivation (pipeline/derive) read them with the same
// readers, so both report a bad row with the same message.
//
// # Formats
//
// Every reader takes CSV and, told by the file extension (FormatOf,
// without regard to case), SAS XPORT version 5 or 8 (.xpt, decoded by
// package xport) and CDISC Dataset-JSON v1.1 (.json, and its NDJSON form
// .ndjson, decoded by package datasetjson). A decoded table is turned into
// the header and the cells a CSV export of it would have (missing numbers
// "", numbers in shortest round-trip form, SAS dates as ISO 8601; see
// xport.Column.Cell) and goes through the same header and row checks, with
// the same reasons. An XPT file may hold several members: Options.Member
// names one; by default the only member is read or, in a file of several,
// the one named like the dataset (ADTTE, ADSL, ADQS, ADCE). Text is UTF-8
// or, with Options.Encoding Latin1, latin1 (CSV and XPT; Dataset-JSON is
// UTF-8 by specification). Report.SHA256 is of the file's bytes, and
// Report.Format and Report.Reader say how it was read.
//
// The data contract is documented in datasets/README.md. In short:
//
//	adsl.csv   STUDYID, USUBJID, TRT01P [, AGE, SEX, DIAG, STRATUM, RANDDY, EOSDY, DCSREAS, RESCDY, ...]
//	adqs.csv   STUDYID, USUBJID, PARAMCD, ADY, AVAL [, AVISIT, ...]
//	adce.csv   STUDYID, USUBJID, ADY, CETERM [, ...]            (a header alone is valid: no event)
//	adtte.csv  STUDYID, USUBJID, TRTP, PARAMCD, AVAL, CNSR [, ENTRY, EVNTDESC, CNSDTDSC, covariates ...]
//
// AVAL, ADY and ENTRY are in days and may be fractional (40 min = 0.02778).
// CNSR follows ADaM: 0 = event, 1 = censored.
//
// # Nothing is lost
//
// Every data row is either accepted or rejected with its reason; a Report
// counts rows read, accepted and rejected, and RowsRead == Accepted +
// Rejected always holds. A rejected row is one Problem: file, line, column,
// value and reason. Problems are of two kinds. Fatal problems make the file
// unusable and the reader returns an error naming the first one (file, line,
// column, how to fix it) together with the full list: a missing required
// column, an unknown arm, a duplicate subject+endpoint, CNSR other than 0/1,
// a negative, non-numeric or non-finite AVAL, a non-finite ADY, an empty
// CETERM, a subject absent from ADSL, a malformed row, a row of another
// study, an empty file, a text field that is not valid UTF-8 (in the
// chosen encoding), a number in hexadecimal or with underscores (Go syntax
// that strconv accepts), and an ADQS score outside its instrument's range
// (ScoreRanges: MADRS 0–60, MADRS10 0–6, QIDSSR16 0–27, SSI 0–38, BSL23
// 0–4; Options.ScoreRanges adds a plan's instruments). A file with CR-only
// line ends (classic Mac OS) is rejected at line 1 with that reason. Non-fatal problems drop the row and go on:
// a PARAMCD that study.yaml does not declare, an empty AVAL in ADQS (a missed
// assessment, kept in ADQS.Missed for the derivation), a row whose fields
// are all empty.
//
// A subject whose ADSL row has a fatal problem of another column is in
// ADSL.Rejected; checking the other files against ADSL.Listed, rather than
// ADSL.Subjects, reports that subject once, at its ADSL row.
//
// A malformed row (bad quoting, which encoding/csv cannot parse) is one
// fatal problem, and reading goes on with the next row, so that every
// problem of the file is listed and the counts reconcile. A quoted field
// left open runs to the end of the file: the rest of the file is then that
// one malformed row.
//
// # Where a problem is
//
// Lines are 1-based lines of the file (the header is line 1; a row with a
// quoted line break spans several). Columns are named by their 1-based
// number in the header and their name. Messages take one of these forms:
//
//	FILE: line L, column N (NAME): reason           a cell (rejects.csv: line L, column NAME)
//	FILE: line 1, column NAME (absent): reason      a required column missing from the header
//	FILE: line 1, column N: reason                  an empty or duplicated column name
//	FILE: line 1, character C: reason               a header that cannot be parsed
//	FILE: line 1: reason                            an empty file, a header without data rows
//	FILE: line L: reason                            a whole row: all fields empty, or more fields than columns
//
// In an XPT or Dataset-JSON file a row is an observation or a row, the
// header is the member or the dataset, and a decoder error gives the byte
// offset:
//
//	FILE: observation L (byte B), column N (NAME): reason   an XPT cell; B is the offset of its bytes
//	FILE: row L, column N (NAME): reason                    a Dataset-JSON cell
//	FILE: member M, column NAME (absent): reason            (dataset M for Dataset-JSON)
//	FILE: header: reason                                    a member or dataset without rows
//	FILE: byte B (member M, variable V): reason             a file package xport rejects
//	FILE: line L, column C (byte B), row R, column NAME: reason   a file package datasetjson rejects
//
// Reasons that name another row use the same unit ("already appears at
// observation 3"); Report.Place formats it, and the Line fields of the
// tables count in it. Decoder errors wrap ErrInvalid and the decoder's
// sentinel error (xport.ErrCPORT, datasetjson.ErrType, …).
//
// A row with fewer fields than the header is named by the first column
// without a field. A malformed row is named by the field that could not be
// parsed and its reason gives the character of the line ("character C of
// line L"); when that field is beyond the header's columns, the reason
// names the field number instead of a column.
//
// # Limits
//
// A header has at most MaxColumns (32767) columns. XPT and Dataset-JSON
// files are read into memory whole and may have at most MaxWholeFileSize
// (2 GiB) bytes; their decoders bound memory by the file size whatever the
// headers declare (xport.MaxVariables, datasetjson.MaxColumns). CSV files
// are streamed and have no size limit; memory grows with the accepted rows.
// The readers set no limit on the number of distinct values (levels) of a
// column: repeated values are interned, and arms are limited by study.yaml
// when a study is given.
//
// In the ADTTE table the text columns but USUBJID (STUDYID, TRTP,
// PARAMCD, EVNTDESC, CNSDTDSC and the extra columns) are column.Text:
// codes into the column's distinct values, one byte a row up to 256 of
// them. The source places (Line) are column.Lines: runs of rows one line
// apart, a single run for a file without blank lines, multi-line cells or
// rejected rows. A million-row table of two arms, one endpoint and three
// covariates then holds 15 bytes a row (AVAL, Event, six one-byte codes),
// plus about 23 for USUBJID unless Options.DropSubjects, and the collector
// has few pointers to scan.
//
// # Readers
//
// Small files (the bundled studies) are loaded through gota, the project's
// dataframe at the ingest boundary, with explicit string types, no type
// detection and no NA conversion, and converted to typed columns right after
// validation. gota keeps every cell as a struct and costs about 3 s and
// 790 MB for a 1e6-row file, so files larger than StreamThreshold are read
// by a streaming parser that validates each record as it is read and keeps
// only typed columns. An ADTTE file is validated block by block on all cores
// and the blocks are merged in file order, so the table, the report and
// every message are those of one goroutine. Both readers apply the same
// per-row validation and give identical results (tested).
//
// Options.KeepColumn keeps only some of the columns beyond those a reader
// interprets: the others are still validated and listed, not held (fit
// keeps the columns its analyses name, fit.KeepColumn). Options.DropSubjects
// drops USUBJID once duplicates are checked (fit keeps it only for the
// multi-state model, fit.KeepSubjects).
package adam
