// Package figure provides publication-grade figures for the endpoints of a
// results.json written by the fit stage (schema.Results), built from that
// data alone: the package imports schema, never the fit stage or the
// estimators (except the visit summaries of package trajectory, which the
// trajectory figures draw).
//
// # Figure kinds
//
// Each kind of figure is a Kind in the registry Kinds: its public name, the
// fit methods whose results it draws (Needs, checked against
// Conventions.Methods), whether an endpoint holds them (Applies), and Build,
// which returns a Drawing (Render, WriteCSV, Caption). The plot program
// draws every applicable kind of every endpoint, to PARAMCD+Suffix.svg,
// .png, .pdf and .csv:
//
//	km            PARAMCD.*               Kaplan–Meier curves, band, censoring, numbers at risk (Curves)
//	forest        PARAMCD-forest.*        Cox HRs: treatment, covariates, each subgroup level (NewForest)
//	nelson_aalen  PARAMCD-nelson_aalen.*  Nelson–Aalen H(t) per arm with band (CumulativeHazard)
//	rmst          PARAMCD-rmst.*          area between the KM curves up to τ (RMSTArea)
//	zph           PARAMCD-zph.*           scaled Schoenfeld residuals per Cox term, smooth, ±2 SE band, cox.zph p (NewZPH)
//	loglog        PARAMCD-loglog.*        log(−log S) against log t per arm (LogLog)
//	aft           PARAMCD-aft.*           KM with the best-AIC AFT model's S(t) and band, dashed (AFTOverlay)
//	cure          PARAMCD-cure.*          KM with the cure model's 1 − π + π S_u(t), dashed (CureOverlay)
//	cif           PARAMCD-cif.*           cumulative incidence per cause, band of the event of interest, 1 − KM, numbers at risk (CumulativeIncidence)
//
// Kind.Build applies the plan's settings of the endpoint's figures
// (study.yaml endpoints[].figure, carried as schema.Endpoint.Figure:
// x_ticks, x_range, annotate, median_lines, test; see PlanOptions) before
// the options it is given, so that an explicit option, such as a plot
// flag, wins over the plan. The figures drawn from the subjects' data
// (NewTrajectory, NewSwimmer) are not of one endpoint: the plan sets them
// by figure name (study.yaml figures: MADRS-trajectory, MADRS-spaghetti,
// swimmer …, carried as schema.Results.Figures: x_ticks, x_range,
// y_label), and FigureOptions gives the options to put before the
// explicit ones.
//
// The KM figure also draws, by default, dashed lines to each arm's median
// (quantiles, WithMedianLines) and an in-panel annotation with the Cox
// model's treatment HR (CI) and the p-value of a test (WithAnnotation,
// WithTest). The time axis can be set as a plan would (WithXTicks,
// WithXRange, WithYLabel; the endpoint's y_label is used otherwise).
//
// Three figures are drawn from subject-level data instead of results.json
// (the plot program's -adqs and -adtte inputs): NewTrajectory, the mean
// score by visit and arm with t intervals from package trajectory
// (PARAMCD-trajectory.*) or, with the subjects' own trajectories, the
// spaghetti figure (PARAMCD-spaghetti.*); and NewSwimmer, one lane per
// subject with response, relapse, discontinuation and censoring marked
// (swimmer.*). The last two are for small studies (WithSmallStudy,
// DefaultSmallStudy subjects).
//
// Adding a kind is one file defining a *Kind and its Drawing, and one line
// in Kinds. The drawings share one page layout (title, legend, plot, table
// under the axis, notes) and these plot.Plotter types, one file each:
// StepCurves (post-step curves with step bands), CensorMarks, RiskTable
// (counts under the x axis, placed by the plot's own x transform so they
// cannot drift from the curves), PointCIs (point and interval rows, cut with
// an arrowhead at the axis), TextColumns (text beside the data area, one
// cell per row at the row's y) and VLine (reference lines).
//
// # House style
//
// An arm's colour and dash pattern come from its class (ClassStyles,
// ArmStyles): Okabe–Ito colours, which stay apart for the common colour
// vision deficiencies, and a distinct dash pattern per class, which keeps
// them apart in greyscale. A second arm of the same class takes the first
// unused spare colour and dash pattern. The styles depend only on the
// study's arm list, so an arm looks the same in every figure of a study.
//
// # Kaplan–Meier figure
//
// A figure shows, for one endpoint, one step curve per arm with its pointwise
// confidence band and censoring marks, a legend with the arm labels and sizes,
// and a numbers-at-risk table drawn below the plot on the same time axis, in
// the manner of R survminer::ggsurvplot(fit, risk.table = TRUE, conf.int = TRUE).
// The package only consumes estimates; it computes nothing statistical except
// the display transform and the numbers at risk at the axis ticks.
//
// Display scale (by study endpoint kind):
//
//	response, remission, si-resolution   y = 1 − S(t)   band [1 − upper, 1 − lower]
//	relapse                              y = S(t)       (relapse-free proportion)
//	other                                y = S(t)
//
// Time axis: time is in days. A linear axis starts at 0 and uses weekly ticks
// (multiples of 7 days) when the follow-up exceeds 28 days. A log axis (the
// endpoint's time_scale "log", or WithTimeScale(TimeLog)) has human tick
// labels (40 min, 4 h, 1 d, 7 d, 28 d, …) and starts at the largest such tick
// at or below the first positive time; every point with a smaller time (in
// particular the curve's start at t = 0 and events or censorings at t = 0) is
// drawn at that first tick, and the CSV reports it there.
//
// Numbers at risk at a tick t are, as in survminer (summary.survfit with
// times = ticks, extend = TRUE), the number of subjects with time ≥ t: the
// n_risk of the first Kaplan–Meier row of the arm with time ≥ t, or 0 after
// the arm's last time. This relies on the km rows listing every distinct time,
// censoring-only times included, as R summary(survfit(...), censored = TRUE)
// does.
//
// Every drawn point can be written as CSV by (*Figure).WriteCSV so that a
// reviewer can re-plot the figure. Rendering is deterministic: the same
// figure gives byte-identical SVG, PNG and PDF files. To make PDF files
// reproducible, importing this package sets the process-wide default
// creation and modification dates of codeberg.org/go-pdf/fpdf documents to
// 2000-01-01 00:00:00 UTC and turns on its catalog sorting.
//
// Manifest is the content of figures.json, which the plot program writes
// beside the figures: the SHA-256 of the results.json drawn, the program,
// Go version and module versions that drew it (Software), the SHA-256
// of every file written, and each figure's kind, files and caption (the
// report's alt text).
//
// PDF text is encoded in code page 1252 (the encoding of the fonts fpdf
// embeds): ≥, ≤ and − are spelled >=, <= and -, and other characters outside
// code page 1252 are drawn as '?'. SVG and PNG draw every character of the
// Liberation fonts.
package figure
