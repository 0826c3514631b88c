package fit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Convention profiles: each switches together every default that differs
// between R survival and SAS. An explicit setting (a flag, or the study's
// analysis section) always wins over the profile.
//
//	                       ""  (ketcurves)   "r"                    "sas"
//	KM / quantile CI       log-log           log (survfit)          log-log (LIFETEST CONFTYPE=LOGLOG)
//	Cox ties               efron             efron (coxph)          breslow (PHREG TIES=BRESLOW)
//	reference arm          study, else       study, else first      study, else last sorted
//	                       first sorted      sorted (factor level)  (CLASS ... REF=LAST default)
//	categorical reference  first sorted      first sorted           last sorted (CLASS default)
//	quantile CI            Brookmeyer–Crowley from the CI of S(t), as quantile.survfit, in every
//	                       profile; SAS's test inversion can differ at the ends of flat stretches
const (
	ProfileDefault = ""
	ProfileR       = "r"
	ProfileSAS     = "sas"
)

// Profiles lists the valid profile names (besides the default "").
var Profiles = []string{ProfileR, ProfileSAS}

// resolve fills the defaults: explicit options, then the study's analysis
// section, then the profile's defaults.
func (opt Options) resolve() (Options, error) {
	opt = opt.WithStudyDefaults()
	if opt.Profile != ProfileDefault && !slices.Contains(Profiles, opt.Profile) {
		return opt, fmt.Errorf("conventions %q: use r or sas", opt.Profile)
	}
	if opt.ConfType == "" {
		opt.ConfType = km.LogLog
		if opt.Profile == ProfileR {
			opt.ConfType = km.Log
		}
	}
	if opt.ConfLevel == 0 {
		opt.ConfLevel = 0.95
	}
	for _, a := range opt.Allow {
		if err := CheckAllow(a); err != nil {
			return opt, fmt.Errorf("allowed statuses: %v", err)
		}
	}
	if opt.Ties == "" {
		opt.Ties = cox.Efron
		if opt.Profile == ProfileSAS {
			opt.Ties = cox.Breslow
		}
	}
	return opt, nil
}

// CheckAllow checks an entry of the allowed statuses: a status, or
// method:status for the status flagged by that method only.
func CheckAllow(entry string) error {
	st := entry
	if m, after, ok := strings.Cut(entry, ":"); ok {
		if _, known := methodByName(m); !known {
			return fmt.Errorf("%q: unknown method %q: use one of %s", entry, m, strings.Join(MethodNames(), ", "))
		}
		st = after
	}
	if _, err := schema.ParseStatus(st); err != nil {
		return fmt.Errorf("%q: %v", entry, err)
	}
	return nil
}

// reference is the rule for categorical reference levels.
func (opt Options) reference() design.RefLevel {
	if opt.Profile == ProfileSAS {
		return design.RefLast
	}
	return design.RefFirst
}

// WithStudyDefaults returns opt with empty fields filled from the study's
// analysis section. Explicit options win.
func (opt Options) WithStudyDefaults() Options {
	if opt.Study == nil {
		return opt
	}
	a := opt.Study.Analysis
	if opt.ConfType == "" {
		opt.ConfType = km.ConfType(a.ConfType)
	}
	if opt.ConfLevel == 0 {
		opt.ConfLevel = a.ConfLevel
	}
	if opt.Ties == "" {
		opt.Ties = cox.Ties(a.Ties)
	}
	if opt.Covariates == nil {
		opt.Covariates = a.Covariates
	}
	if opt.Strata == "" {
		opt.Strata = a.Strata
	}
	if opt.Subgroups == nil {
		opt.Subgroups = a.Subgroups
	}
	if opt.Allow == nil {
		opt.Allow = a.Allow
	}
	if opt.Profile == "" {
		opt.Profile = a.Conventions
	}
	if opt.EventColumn == "" {
		opt.EventColumn = a.EventColumn
	}
	if opt.EventOfInterest == "" {
		opt.EventOfInterest = a.EventOfInterest
	}
	if opt.Methods == nil && len(a.Methods) > 0 {
		opt.Methods = a.Methods
		opt.MethodsOrigin = fmt.Sprintf("%s: line %d", opt.Study.File, a.MethodsLine)
	}
	for name, s := range a.Options {
		if _, given := opt.Settings[name]; given {
			continue
		}
		if opt.Settings == nil {
			opt.Settings = Settings{}
		}
		opt.Settings[name] = Setting{Value: s.Value, Origin: fmt.Sprintf("%s: line %d", opt.Study.File, s.Line)}
	}
	return opt
}
