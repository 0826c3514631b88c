package fit

import "slices"

// KeepColumn returns the rule, for adam.Options.KeepColumn, of the ADTTE
// columns beyond those adam interprets whose values the analyses of opt
// (with the study plan's defaults) read: the covariates, subgroups,
// strata and cluster columns, the event-type column (EVNTTYPE unless
// -event-column names another), the origin day of the multi-state model
// (ORIGDY) and the visit interval of the interval-censored methods (ILOWER,
// IUPPER). Every other column is still read and validated, but its values
// are not held: fit on a wide file of a million rows then holds only what
// it analyses.
func KeepColumn(opt Options) func(name string) bool {
	opt = opt.WithStudyDefaults()
	keep := map[string]bool{DefaultEventColumn: true, OriginColumn: true, "ILOWER": true, "IUPPER": true}
	for _, c := range slices.Concat(opt.Covariates, opt.Subgroups, []string{opt.Strata, opt.EventColumn, opt.Settings["cluster"].Value}) {
		if c != "" {
			keep[c] = true
		}
	}
	return func(name string) bool { return keep[name] }
}
