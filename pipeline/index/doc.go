// Package index provides the project index of ketcurves: one table, in
// Markdown (index.md) and in self-contained HTML (index.html), with one row
// per study and endpoint of a reports folder, each linking to the study's
// report.
//
// A row gives the study, the endpoint (PARAMCD and PARAM), the subjects and
// events analysed, the median per arm with its confidence interval (in
// hours where the endpoint's figure axis is, as in the report), the hazard
// ratio of each treatment comparison of the Cox model with its confidence
// interval, the log-rank p-value and the endpoint status (with whether the
// analysis plan allows it). It is read from reports/<study>/tables/results.json
// alone, by Build; studies come in the order of their folder names and
// endpoints in the order of results.json.
//
// The HTML page loads nothing (inline style sheet, and the same
// Content-Security-Policy meta tag as the reports) and every label is
// escaped (html/template; report.EscapeMarkdown in Markdown). The same
// results give byte-identical files: no timestamps, no absolute paths.
package index
