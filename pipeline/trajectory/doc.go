// Package trajectory provides the visit-by-visit summary of a repeated
// score (MADRS, a suicidal-ideation scale, …): per parameter, arm and
// analysis visit, the number of subjects assessed, the mean score and its
// Student t confidence interval (Means), and each subject's own trajectory
// (Individuals) for a spaghetti plot.
//
// The input is typed columns (Scores), one entry per assessment, as the
// ADQS reader of pipeline/adam returns them joined with each subject's arm;
// the package knows nothing of files. Missed assessments are simply absent:
// every summary is of the subjects assessed at that visit (observed cases,
// no imputation), as R aggregate(AVAL ~ PARAMCD + AVISIT + ARM, FUN = mean)
// and t.test(AVAL)$conf.int on each group.
package trajectory
