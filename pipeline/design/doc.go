// Package design builds the model matrix shared by every regression of
// ketcurves — Cox now; AFT, cure and Fine–Gray models alike — from the raw
// columns of an analysis table: treatment dummies against a reference arm,
// numeric covariates as they are, categorical covariates dummy-coded
// against a named reference level, strata and cluster ids, with complete
// cases only.
//
// # Conventions
//
//   - Missing values are the empty cell, "NA" and "." (MissingTokens); the
//     readers of package adam turn the tokens into empty cells, and Build
//     treats any of them as missing. A row with a missing covariate,
//     stratum or cluster is left out (R's na.omit), and counted per column.
//   - A column whose non-missing values all parse as finite numbers is
//     numeric. A column that is mostly numbers (at least half) with some
//     other values is an error naming the first such value: it is almost
//     always a data-entry problem (a unit, a comment, "<5"), and must never
//     silently become categorical. Any other column is categorical.
//   - Categorical reference level: the first level in sorted (byte) order,
//     as R does for a character column (RefFirst), or the last, as SAS's
//     CLASS statement does (RefLast); the term names say which level it is
//     compared with (Column.Reference).
//   - At most MaxLevels levels per categorical column (and arms): more is an
//     error before anything large is allocated.
package design
