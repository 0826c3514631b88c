// Command meta pools published study estimates (hazard ratios with 95% CIs,
// or log-scale estimates with standard errors) by fixed-effect and
// random-effects meta-analysis and writes meta.csv, leave_one_out.csv,
// meta.json and a forest plot. See -h for the input and output columns.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `usage: meta -in FILE -out DIR [flags]

Pool study estimates by inverse-variance fixed effect (FE) and random
effects with DerSimonian-Laird (DL), REML and Paule-Mandel (PM) tau^2, each
also with the Hartung-Knapp-Sidik-Jonkman adjustment (hksj), as R metafor's
rma(method = ..., test = "z" | "knha"), confint() and predict().

Input: a CSV with a study column (unique names) and either
  hr,lower,upper   a ratio (hazard, odds, risk) with its 95% CI, pooled on the log scale
  yi,sei           an estimate on the analysis scale with its standard error
and at least 2 studies. Other columns are ignored.

Output, in DIR:
  meta.csv           one row per method and adjustment: method,adjustment,k,
                     estimate,lower,upper,tau2,tau2_lower,tau2_upper,i2,q,q_p,
                     pi_lower,pi_upper (ratio scale when the input was hr,lower,upper;
                     tau2 on the log scale; NA where a value does not apply)
  leave_one_out.csv  the same fits leaving out each study in turn (k >= 3)
  meta.json          the studies, all results with their statuses, Egger's test
                     (k >= 10) and warnings
  forest.FORMAT      forest plot: studies, pooled FE, REML and REML-HKSJ diamonds,
                     REML prediction interval

With fewer than 5 studies the z-based intervals are anti-conservative: meta
warns (stderr and meta.json) and lists the HKSJ rows first.

Flags:
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "meta: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("meta", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	in := fs.String("in", "", "input CSV file (required)")
	out := fs.String("out", "", "output folder (required)")
	confLevel := fs.Float64("conf-level", 0.95, "confidence level of the pooled and tau^2 intervals, in (0,1)")
	format := fs.String("plot-format", "svg", "forest plot format: svg, png or pdf")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"-in and -out are required and no other arguments are accepted"}
	}
	if !(*confLevel > 0 && *confLevel < 1) {
		return usageError{fmt.Sprintf("-conf-level %v: must be strictly between 0 and 1, e.g. 0.95", *confLevel)}
	}
	switch *format {
	case "svg", "png", "pdf":
	default:
		return usageError{fmt.Sprintf("-plot-format %q: use svg, png or pdf", *format)}
	}
	studies, err := readStudies(*in)
	if err != nil {
		return err
	}
	a, err := analyze(studies, *confLevel)
	if err != nil {
		return err
	}
	for _, w := range a.Warnings {
		fmt.Fprintf(stderr, "meta: warning: %s\n", w)
	}
	if err := writeOutputs(*out, a, *format); err != nil {
		return err
	}
	first := a.Rows[0]
	fmt.Fprintf(stdout, "%d studies; %s %s: estimate %.4g (%.4g, %.4g)\n", a.Studies.K(), first.Method, first.Adjustment, first.Estimate, first.Lower, first.Upper)
	return nil
}
