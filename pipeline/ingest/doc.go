// Package ingest is the first stage of the pipeline: it validates a study
// folder — study.yaml, adsl.csv, adqs.csv, adce.csv (each when present) and
// an ADTTE file — and writes the ingest report (ingest.json) and the
// rejected rows (rejects.csv).
//
// Every data row of every file ends up accepted or in rejects.csv with file,
// line, column, value and reason; ingest.json states, per file and in total,
// rows read = accepted + rejected. A fatal problem (see package adam) makes
// Run return an error naming the file, line and column of the first one; the
// report and rejects file are still written, complete, so that every problem
// can be fixed in one pass. A subject whose adsl.csv row has a fatal problem
// is reported at that row only, not again at its rows of the other files.
//
// adce.csv (qualifying clinical events, read by cmd/derive for relapse
// rules) is validated and counted like the others; a header alone is
// valid and counts zero rows.
package ingest
