// Package synthesis provides the cross-trial evidence synthesis of the
// bundled studies: it reads the fit stage's results of several studies
// (schema.Results) and sets them side by side on one time axis — the
// time-to-response curves (1 − KM) of every arm by arm class, the
// relapse-free curves, milestone response rates, the cure models'
// responder fraction and latency — and pools like with like: the studies'
// Cox log hazard ratios within one contrast of arm classes (package meta,
// REML with and without the Hartung–Knapp–Sidik–Jonkman adjustment) and,
// where the individual rows are given, the one-stage Cox model stratified
// by study with its treatment-by-study heterogeneity test (package ipd).
//
// Build computes the synthesis (values only); Figures draws it with
// gonum/plot; Document turns it into a report (headings, generated plain
// words with their caveats, tables and figures) that WriteMarkdown and
// WriteHTML render. Every output depends only on the inputs: studies are
// sorted by id, and nothing records a time or a path of this machine.
package synthesis
