// Package fit is the modelling stage of the pipeline: a driver that runs a
// set of analyses ("methods") on every endpoint (PARAMCD) of an ADTTE
// table and writes their tables and results.json (columns in
// reports/README.md).
//
// # Methods
//
// The methods are registered in Methods, in the order they run and their
// tables are written. Their names are a public contract, the same in the
// -methods flag of cmd/fit, in study.yaml's analysis.methods and as the keys
// of results.json: km, quantiles, tests, cox, nelson_aalen, rmst,
// milestones, … (MethodNames). Without a choice the Default methods run;
// giving an option of a method (e.g. -milestones 1,7) also selects it.
//
// Each method is one unit (a file analysis_<name>.go): a *Method value that
// declares its options, validates them (Configure), runs on one endpoint
// (Analysis.Run, with a Context holding the endpoint's rows, arms, the
// shared model matrix of package design and shared fits), and returns its
// tables, its methods sentence and its report section, the last three
// from results.json alone, so that the report stage needs nothing else.
//
// # Adding a method
//
//  1. Write the estimator in its own package under pipeline/ (depending
//     on gonum and the small shared primitives only), validated against R.
//  2. Declare its results.json section type in pipeline/schema (a file
//     sections_<name>.go), unless an existing type fits.
//  3. Write pipeline/fit/analysis_<name>.go with a *Method: Name, Summary,
//     Default, Comparative, Options (each option is a flag of cmd/fit and
//     a key of study.yaml's analysis section), Configure.
//  4. In Run, read the data through the Context (ctx.Time(), ctx.curve,
//     ctx.Design for covariates, ctx.coxModel …), call the estimator and
//     store the result with ep.SetSection(name, v); flag numerical trouble
//     with ctx.Flag(schema.Status…, message).
//  5. Add its Tables (file, header, rows from the section).
//  6. Add its Methods sentence and its Report section.
//  7. Register it: one line in methods.go.
//  8. Test it: a table-driven test of Run on committed data against the R
//     values, a bad-option test, and the golden reports.
//  9. Document its tables in reports/README.md and its options in README.md.
//
// The last method added this way, milestones, touched
// analysis_milestones.go, schema/sections_km.go (its row type), methods.go
// (one line) and the docs.
//
// # Conventions
//
//   - CNSR: 0 = event, 1 = censored (ADaM). AVAL in days. ENTRY, when
//     present, is a delayed-entry time: Surv(ENTRY, AVAL, 1 - CNSR).
//   - Missing values: the empty cell, NA and . (design.MissingTokens).
//   - Confidence intervals: log-log by default, as SAS PROC LIFETEST
//     (CONFTYPE=LOGLOG); R survfit's default is log. Level 0.95.
//   - Ties in Cox: Efron by default, as R coxph; SAS PROC PHREG defaults to
//     Breslow.
//   - Convention profiles (Options.Profile, analysis.conventions,
//     -conventions): "r" or "sas" switch every default that differs
//     together; see Profiles.
//   - Reference arm: Options.Control, else the study's control arm, else
//     the first TRTP in sorted (byte) order (the last with the sas profile).
//   - Covariates: see package design (numeric or categorical, named
//     reference level, complete cases).
//   - Rows: each analysis uses the rows it needs and reports its n. KM, the
//     quantiles, Nelson–Aalen, RMST and the unadjusted tests use every row
//     of the endpoint, as survfit and survdiff do (a stratified test leaves
//     out rows with a missing stratum); covariate-adjusted models use the
//     complete cases and say how many rows they left out.
//   - Strata: stratified tests (survdiff with strata()) and a stratified
//     Cox model (coxph with strata()).
//
// # Numerical trouble
//
// An endpoint whose analysis meets trouble — an arm without events, a fit
// that does not converge, a monotone likelihood, a singular information
// matrix, fewer than two arms, a number that is not finite, a milestone
// beyond follow-up — gets an explicit status (schema.Statuses) with
// messages. Numbers that are not estimable are never printed: they are null
// in results.json and empty cells in the tables. Err reports every status
// that the plan does not allow, so that the make target fails. Analyze
// returns an error wrapping ErrNoRows for a table without accepted rows.
package fit
