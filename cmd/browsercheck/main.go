// Command browsercheck opens the project index and every report in headless
// Chromium, driven by github.com/chromedp/chromedp, and fails when a page
// shows a console error, makes a failed or external request, has an image
// that does not load, or a figure that renders at zero size. It saves a
// screenshot of each page, and it renders a small adversarial report (an
// arm label, the title and PARAM holding <script>, </style>, an <img
// onerror> and template syntax) to check that the label shows as text and
// nothing runs.
//
// Usage:
//
//	browsercheck [-reports reports] [-out build/browser] [-chromium /usr/bin/chromium]
//
// Run browsercheck -h for the full description; .ci/browser-check installs
// chromium with apt-get when it is absent and runs this program.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

const usage = `browsercheck opens reports/index.html and every reports/<study>/report.html in
headless Chromium and fails on a console error, a failed or external request,
an image that does not load, or a figure that renders at zero size.

Usage:
  browsercheck [-reports DIR] [-out DIR] [-chromium PATH] [-timeout D]

Flags:
  -reports DIR    the reports folder, served read-only from a file server on
                  127.0.0.1 (default reports): DIR/index.html (make index) and
                  DIR/*/report.html are opened
  -out DIR        folder for the screenshots, one PNG per page, and the
                  adversarial report (default build/browser)
  -chromium PATH  the browser (default $CHROMIUM, else /usr/bin/chromium)
  -timeout D      time allowed per page (default 60s)
  -h              show this help

Chromium runs with --headless --no-sandbox --disable-gpu --disable-quic
--no-first-run --disable-background-networking --disable-component-update
--disable-sync and a fresh --user-data-dir, removed at the end.

The adversarial report (DIR/adversarial/report.html under -out) is rendered
from the first study's results with hostile labels; the check asserts that
the arm label containing <script> is shown as text, that the page has no
script element and that no injected handler ran.

Exit status: 0 when every page passes, 1 on a failure or error, 2 on a
usage error.
`

func main() {
	err := run(os.Args[1:], os.Stdout)
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "browsercheck: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		os.Exit(2)
	}
	os.Exit(1)
}

// usageError is an error in the command line.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("browsercheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	defaultChromium := os.Getenv("CHROMIUM")
	if defaultChromium == "" {
		defaultChromium = "/usr/bin/chromium"
	}
	var (
		reportsDir = fs.String("reports", "reports", "the reports folder")
		outDir     = fs.String("out", "build/browser", "folder for screenshots and the adversarial report")
		chromium   = fs.String("chromium", defaultChromium, "the browser")
		timeout    = fs.Duration("timeout", 60*time.Second, "time allowed per page")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, werr := io.WriteString(stdout, usage)
			return werr
		}
		return usageError{fmt.Errorf("%w (run browsercheck -h for help)", err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (run browsercheck -h for help)", fs.Arg(0))}
	}
	if *timeout <= 0 {
		return usageError{fmt.Errorf("-timeout %v: give a positive duration, e.g. 60s", *timeout)}
	}
	if _, err := os.Stat(*chromium); err != nil {
		return fmt.Errorf("no browser at %s: %w (install it with apt-get install -y chromium, run .ci/browser-check, or give -chromium)", *chromium, err)
	}
	c := &checker{reportsDir: *reportsDir, outDir: *outDir, chromium: *chromium, timeout: *timeout, stdout: stdout}
	return c.run()
}
