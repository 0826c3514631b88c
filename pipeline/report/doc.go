// Package report provides the report stage of ketcurves: it turns the
// results of the fit stage (results.json), the figures of the plot stage and,
// when given, the summary of the ingest stage (ingest.json) into a Markdown
// report, report.md, and a self-contained HTML report, report.html.
//
// A report states the study, its arms and control arm, and says prominently
// when the data are synthetic. For each endpoint it shows the numerical
// status, the figure, medians and quartiles with confidence intervals, the
// log-rank test and the Cox model. Its Methods paragraph is generated from
// the conventions recorded in results.json (confidence-interval type, ties
// method, reference arm, covariates, strata), with the equivalent R and SAS
// calls, so the text cannot drift from the numbers. The provenance section
// gives the input file and its SHA-256, the schema and the software versions.
//
// When the figures folder holds figures.json, the manifest of the plot stage
// (FiguresManifest), the report checks that the figures were drawn from the
// same results.json (ErrStaleFigures otherwise) and that each figure file
// it uses still has the SHA-256 recorded there, and its provenance names the
// plot program, its Go version and its modules beside those of the fit
// stage.
//
// When the ADTTE file was derived from visit-level scores by cmd/derive, its
// exclusions file (derive_exclusions.csv, read strictly by DecodeExclusions
// and Inputs.LoadExclusions) adds a Derivation section, after the Data
// section: it says that the endpoints were derived by the plan in
// study.yaml, which traceability columns of the ADTTE file let any subject
// be audited (SRCADY, SRCLINE; ILOWER, IUPPER; RSPADY, RSPAVAL, RSPLINE for
// relapse), and counts the excluded subject-endpoint pairs per endpoint, arm
// and reason category (the REASON up to its first ':'), with a link to the
// file and its SHA-256 in the provenance; with no exclusion it says
// "No subject was excluded from any endpoint."
//
// Every data label is escaped: HTML by html/template, Markdown by
// EscapeMarkdown. The HTML file loads nothing: its style sheet is inline and
// figures are embedded as base64 data URIs (SVG preferred, PNG otherwise), so
// that it can be archived or mailed as one file. An SVG in an <img> element
// cannot run scripts, which is why figures are not pasted in as markup.
//
// Output is deterministic: no timestamps, no absolute paths (paths are shown
// relative to the output folder), sorted map iteration. The same inputs give
// byte-identical files.
package report
