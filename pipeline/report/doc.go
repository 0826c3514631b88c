// Package report provides the report stage of ketcurves: it turns the
// results of the fit stage (results.json), the figures of the plot stage and,
// when given, the summary of the ingest stage (ingest.json) into a Markdown
// report, report.md, and a self-contained HTML report, report.html.
//
// A report states the study, its arms and control arm, and says prominently
// when the data are synthetic. A Warnings section lists every non-ok status
// (of the analysis, each endpoint, its Cox model and its subgroup analyses)
// and every message, per endpoint. For each endpoint it shows the numerical
// status, its figures, medians and quartiles with confidence intervals (the
// table states the unit; in hours, "4 h", where the figure's time axis is:
// time_scale log and a first time below one day), the log-rank test and the
// Cox model in the layout of SAS PROC PHREG and R's summary.coxph
// (coefficient, SE, robust SE when the fit has one, z, hazard ratio with
// its CI, p), then the sections of the other methods. A Tables section
// links every CSV of the fit stage's tables folder and results.json.
//
// Every figure listed in figures.json (figures[]: paramcd, kind, caption,
// files) is embedded, numbered, with its caption as caption and alt text
// and links to its SVG, PNG, PDF and CSV. A figure sits next to its
// method's section: forest in the Cox regression, nelson_aalen, rmst and
// any kind named as a method in that method's section; km and kinds
// without a section at the top of the endpoint. Without figures[] (an older
// manifest, or none), <PARAMCD>.svg is the endpoint's km figure.
//
// Its Methods paragraph is generated from
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
// EscapeMarkdown; a test puts <script>, </style>, <img onerror> and
// template syntax into labels, the title and PARAM and checks the output is
// inert, and another that no USUBJID of a bundled study reaches its report.
// The HTML file loads nothing, enforced by its Content-Security-Policy meta
// tag (ContentSecurityPolicy), and has a print style sheet. Its style sheet is inline and
// figures are embedded as base64 data URIs (SVG preferred, PNG otherwise), so
// that it can be archived or mailed as one file. An SVG in an <img> element
// cannot run scripts, which is why figures are not pasted in as markup.
//
// Output is deterministic: no timestamps, no absolute paths (paths are shown
// relative to the output folder), sorted map iteration. The same inputs give
// byte-identical files.
package report
