// Package ingest is the first stage of the pipeline: it validates a study
// folder — study.yaml, adsl.csv, adqs.csv and an ADTTE file — and writes the
// ingest report (ingest.json) and the rejected rows (rejects.csv).
//
// Every data row of every file ends up accepted or in rejects.csv with file,
// line, column, value and reason; ingest.json states, per file and in total,
// rows read = accepted + rejected. A fatal problem (see package adam) makes
// Run return an error naming the file, line and column of the first one; the
// report and rejects file are still written, complete, so that every problem
// can be fixed in one pass.
package ingest
