// Package adam reads and validates CDISC-ADaM-style CSV files — ADSL
// (subjects), ADQS (visit-level scores) and ADTTE (time-to-event) — and
// converts them to typed columns.
//
// The data contract is documented in datasets/README.md. In short:
//
//	adsl.csv   STUDYID, USUBJID, TRT01P [, AGE, SEX, DIAG, STRATUM, RANDDY, EOSDY, DCSREAS, RESCDY, ...]
//	adqs.csv   STUDYID, USUBJID, PARAMCD, ADY, AVAL [, AVISIT, ...]
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
// a negative, non-numeric or non-finite AVAL, a malformed row, a row of
// another study, an empty file. Non-fatal problems drop the row and go on:
// a PARAMCD that study.yaml does not declare, an empty AVAL in ADQS (a missed
// assessment), a row whose fields are all empty.
//
// # Readers
//
// Small files (the bundled studies) are loaded through gota, the project's
// dataframe at the ingest boundary, with explicit string types, no type
// detection and no NA conversion, and converted to typed columns right after
// validation. gota keeps every cell as a struct and costs about 3 s and
// 790 MB for a 1e6-row file, so files larger than StreamThreshold are read
// by a streaming parser that validates each record as it is read and keeps
// only typed columns. Both readers apply the same per-row validation and give
// identical results (tested).
package adam
