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

// KeepSubjects reports whether the analyses that opt may run read USUBJID
// beyond the reader's duplicate check, for adam.Options.DropSubjects: the
// methods named by opt.Methods or, without it, the default methods and
// those that can be defaults (DefaultWhen), and the methods a setting
// selects. Only the multi-state model does; without it a table of ten
// million rows does not hold ten million identifiers.
func KeepSubjects(opt Options) bool {
	opt = opt.WithStudyDefaults()
	for _, m := range Methods {
		if !m.UsesSubjects {
			continue
		}
		if slices.Contains(opt.Methods, m.Name) || (len(opt.Methods) == 0 && (m.Default || m.DefaultWhen != nil)) {
			return true
		}
		for _, o := range m.Options {
			if _, given := opt.Settings[o.Name]; given && o.Selects {
				return true
			}
		}
	}
	return false
}
