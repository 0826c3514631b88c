package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/fit"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// confTypeText describes each confidence-interval type with the defaults of
// R and SAS, which differ.
var confTypeText = map[string]string{
	"log-log": "log-log %s confidence intervals (SAS PROC LIFETEST default, CONFTYPE=LOGLOG; R survfit default is log)",
	"log":     "log %s confidence intervals (R survfit default; SAS PROC LIFETEST default is log-log)",
	"plain":   "plain (linear) %s confidence intervals (R survfit conf.type = \"plain\", SAS CONFTYPE=LINEAR; neither program's default)",
}

// tiesText describes each method for tied event times with the defaults of R
// and SAS, which differ.
var tiesText = map[string]string{
	"efron":   "Efron ties (R coxph default; SAS PHREG default is Breslow)",
	"breslow": "Breslow ties (SAS PHREG default; R coxph default is Efron)",
}

// Methods returns the Methods paragraph of a report, generated from the
// conventions recorded by the fit stage: time unit and censoring, the
// Kaplan–Meier variance and confidence-interval type and level, the quantile
// method, the log-rank test, the Cox ties method, reference arm, covariates
// and strata, and the statuses the analysis plan allows. Each convention on
// which R and SAS differ names both defaults. The text is plain (not
// escaped); conventions left empty are said to be unrecorded.
func Methods(c schema.Conventions) string {
	var b strings.Builder
	level := formatPercent(c.ConfLevel)
	if level == "" {
		level = "(level unrecorded)"
	}

	unit := orUnrecorded(c.TimeUnit)
	fmt.Fprintf(&b, "Times are in %s", unit)
	if c.Censoring != "" {
		fmt.Fprintf(&b, " (%s)", c.Censoring)
	}
	b.WriteString(". ")

	b.WriteString("Survival curves were estimated by Kaplan–Meier")
	if c.Variance != "" {
		fmt.Fprintf(&b, " with %s variance", c.Variance)
	} else {
		b.WriteString(" with variance of unrecorded type")
	}
	if t, ok := confTypeText[c.ConfType]; ok {
		fmt.Fprintf(&b, " and "+t, level)
	} else {
		fmt.Fprintf(&b, " and %s confidence intervals of type %s", level, orUnrecorded(c.ConfType))
	}
	b.WriteString(". ")

	fmt.Fprintf(&b, "Medians and quartiles (the times by which 25%%, 50%% and 75%% of subjects had the event) are given with %s confidence intervals", level)
	if c.QuantileMethod != "" {
		fmt.Fprintf(&b, " by %s", c.QuantileMethod)
	}
	b.WriteString("; a quantile the curve does not reach is reported as not reached. ")

	b.WriteString("Arms were compared by the log-rank test")
	if c.Strata != "" {
		fmt.Fprintf(&b, " stratified by %s", c.Strata)
	}
	b.WriteString(". ")

	b.WriteString("Hazard ratios were estimated by Cox regression with ")
	if t, ok := tiesText[c.Ties]; ok {
		b.WriteString(t)
	} else {
		fmt.Fprintf(&b, "%s ties", orUnrecorded(c.Ties))
	}
	fmt.Fprintf(&b, ", reference arm %s", orUnrecorded(c.ReferenceArm))
	if len(c.Covariates) > 0 {
		fmt.Fprintf(&b, ", adjusted for %s", joinAnd(c.Covariates))
	} else {
		b.WriteString(", with the arm as the only covariate")
	}
	if c.Strata != "" {
		fmt.Fprintf(&b, ", stratified by %s", c.Strata)
	} else {
		b.WriteString(", without strata")
	}
	b.WriteString("; the Wald, likelihood-ratio and score tests of the model are reported.")
	if len(c.Subgroups) > 0 {
		fmt.Fprintf(&b, " Subgroup analyses repeated the log-rank test and the Cox model within each level of %s (without that column as covariate or stratum).", joinAnd(c.Subgroups))
	}

	if len(c.Allow) > 0 {
		fmt.Fprintf(&b, " The analysis plan allows the statuses %s: an endpoint with such a status is reported but does not fail the pipeline.", joinAnd(c.Allow))
	}
	return b.String()
}

func orUnrecorded(s string) string {
	if s == "" {
		return "(unrecorded)"
	}
	return s
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

var (
	rName   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._]*$`)
	sasName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,31}$`)
)

// oneLine replaces line breaks and other control characters by spaces, so
// that a name cannot break a line of generated code.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// rSym quotes a column name for an R formula when it is not syntactic.
func rSym(s string) string {
	s = oneLine(s)
	if rName.MatchString(s) {
		return s
	}
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "`", "\\`") + "`"
}

// sasSym quotes a column name as a SAS name literal when needed.
func sasSym(s string) string {
	s = oneLine(s)
	if sasName.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'n"
}

// RCode returns the R calls (package survival) that reproduce the analysis
// of one endpoint under conventions c; file is the ADTTE file as shown in
// the report.
func RCode(c schema.Conventions, file string) string {
	var b strings.Builder
	b.WriteString("library(survival)\n")
	fmt.Fprintf(&b, "adtte <- read.csv(%s, na.strings = c(\"\", \"NA\", \".\"))\n", strconv.Quote(file))
	b.WriteString("d <- subset(adtte, PARAMCD == \"<PARAMCD>\")\n")
	fmt.Fprintf(&b, "d$TRTP <- relevel(factor(d$TRTP), ref = %s)\n", strconv.Quote(c.ReferenceArm))
	if c.CategoricalReference == "last" {
		b.WriteString("# categorical covariates compared with their last level, as SAS CLASS:\n")
		b.WriteString("# for each such column X: d$X <- relevel(factor(d$X), ref = tail(sort(unique(d$X)), 1))\n")
	}
	conf := c.ConfType
	if conf == "" {
		conf = "log-log"
	}
	level := c.ConfLevel
	if !(level > 0 && level < 1) {
		level = 0.95
	}
	surv := "Surv(AVAL, CNSR == 0)"
	if c.EntryColumn != "" {
		surv = "Surv(" + rSym(c.EntryColumn) + ", AVAL, CNSR == 0)"
	}
	fmt.Fprintf(&b, "km <- survfit(%s ~ TRTP, data = d, conf.type = %s, conf.int = %s)\n",
		surv, strconv.Quote(conf), strconv.FormatFloat(level, 'g', -1, 64))
	b.WriteString("quantile(km, probs = c(0.25, 0.5, 0.75))\n")
	strata := ""
	if c.Strata != "" {
		strata = " + strata(" + rSym(c.Strata) + ")"
	}
	fmt.Fprintf(&b, "survdiff(Surv(AVAL, CNSR == 0) ~ TRTP%s, data = d)\n", strata)
	terms := "TRTP"
	for _, cv := range c.Covariates {
		terms += " + " + rSym(cv)
	}
	ties := c.Ties
	if ties == "" {
		ties = "efron"
	}
	cluster := ""
	if cl := c.Options["cluster"]; cl != "" {
		cluster = ", cluster = " + rSym(cl)
	}
	fmt.Fprintf(&b, "fit <- coxph(%s ~ %s%s, data = d, ties = %s%s)\nsummary(fit)\n", surv, terms, strata, strconv.Quote(ties), cluster)
	for _, name := range c.Methods {
		if m, ok := fit.Lookup(name); ok && m.RCode != nil {
			b.WriteString(m.RCode(c))
		}
	}
	return b.String()
}

// SASCode returns the SAS procedures (PROC LIFETEST, PROC PHREG) that
// reproduce the analysis under conventions c; categorical lists the
// covariates that are class variables. Their reference level is the first
// (ref=first), as R's factor default, whereas SAS's default is the last.
func SASCode(c schema.Conventions, categorical []string) string {
	conf := map[string]string{"log-log": "loglog", "log": "log", "plain": "linear", "": "loglog"}[c.ConfType]
	if conf == "" {
		conf = c.ConfType
	}
	level := c.ConfLevel
	if !(level > 0 && level < 1) {
		level = 0.95
	}
	alpha := strconv.FormatFloat(math1e6Round(1-level), 'g', -1, 64)
	var b strings.Builder
	b.WriteString("proc sort data=adtte; by paramcd; run;\n")
	fmt.Fprintf(&b, "proc lifetest data=adtte conftype=%s alpha=%s;\n", conf, alpha)
	b.WriteString("  by paramcd;\n  time aval*cnsr(1);\n")
	if c.Strata != "" {
		// Curves and quartiles per arm; the log-rank test stratified, in a
		// second call (with GROUP= the curves would be per stratum).
		b.WriteString("  strata trtp / notest;\nrun;\n")
		b.WriteString("proc lifetest data=adtte notable;\n  by paramcd;\n  time aval*cnsr(1);\n")
		fmt.Fprintf(&b, "  strata %s / group=trtp test=logrank;\n", sasSym(c.Strata))
	} else {
		b.WriteString("  strata trtp / test=logrank;\n")
	}
	b.WriteString("run;\n")
	b.WriteString("proc phreg data=adtte;\n  by paramcd;\n")
	fmt.Fprintf(&b, "  class trtp(ref=%s)", sasString(c.ReferenceArm))
	for _, cv := range categorical {
		fmt.Fprintf(&b, " %s(ref=first)", sasSym(cv))
	}
	b.WriteString(";\n")
	terms := "trtp"
	for _, cv := range c.Covariates {
		terms += " " + sasSym(cv)
	}
	ties := c.Ties
	if ties == "" {
		ties = "efron"
	}
	fmt.Fprintf(&b, "  model aval*cnsr(1) = %s / ties=%s risklimits alpha=%s;\n", terms, ties, alpha)
	if c.Strata != "" {
		fmt.Fprintf(&b, "  strata %s;\n", sasSym(c.Strata))
	}
	b.WriteString("run;\n")
	return b.String()
}

func sasString(s string) string { return "'" + strings.ReplaceAll(oneLine(s), "'", "''") + "'" }

// math1e6Round rounds x to 6 decimals, so that 1-0.95 prints as 0.05.
func math1e6Round(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 6, 64), 64)
	return v
}
