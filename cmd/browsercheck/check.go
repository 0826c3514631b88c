package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// checker runs the browser check.
type checker struct {
	reportsDir, outDir, chromium string
	timeout                      time.Duration
	stdout                       io.Writer
}

// page is one page to open: its URL path on the file server, the name of
// its screenshot and, for the adversarial report, the label that must show
// as text.
type page struct {
	path, shot string
	textLabel  string
}

// servePrefix and adversarialPrefix are where the file server serves the
// reports folder and the adversarial report.
const (
	servePrefix       = "/reports/"
	adversarialPrefix = "/adversarial/"
)

func (c *checker) run() error {
	pages, err := c.pages()
	if err != nil {
		return err
	}
	advDir := filepath.Join(c.outDir, "adversarial")
	label, err := writeAdversarial(c.reportsDir, advDir)
	if err != nil {
		return fmt.Errorf("could not build the adversarial report: %w", err)
	}
	pages = append(pages, page{path: adversarialPrefix + "report.html", shot: "adversarial.png", textLabel: label})

	base, stop, err := serve(c.reportsDir, advDir)
	if err != nil {
		return err
	}
	defer stop()

	userData, err := os.MkdirTemp("", "browsercheck-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(userData)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(c.chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(userData),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx); err != nil { // start the browser
		return fmt.Errorf("could not start %s: %w", c.chromium, err)
	}
	if err := os.MkdirAll(c.outDir, 0o755); err != nil {
		return err
	}
	var failed []string
	for _, p := range pages {
		problems, err := c.checkPage(browserCtx, base, p)
		if err != nil {
			problems = append(problems, err.Error())
		}
		if len(problems) == 0 {
			fmt.Fprintf(c.stdout, "ok   %s (screenshot %s)\n", p.path, filepath.Join(c.outDir, p.shot))
			continue
		}
		fmt.Fprintf(c.stdout, "FAIL %s\n", p.path)
		for _, pr := range problems {
			fmt.Fprintf(c.stdout, "     %s\n", pr)
		}
		failed = append(failed, p.path)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d pages failed: %s", len(failed), len(pages), strings.Join(failed, ", "))
	}
	fmt.Fprintf(c.stdout, "browsercheck: %d pages passed\n", len(pages))
	return nil
}

// pages lists index.html, every <study>/report.html of the reports
// folder, in name order, and the cross-trial synthesis when it exists.
// The index must exist.
func (c *checker) pages() ([]page, error) {
	if _, err := os.Stat(filepath.Join(c.reportsDir, "index.html")); err != nil {
		return nil, fmt.Errorf("no project index: %w (run make index first)", err)
	}
	out := []page{{path: servePrefix + "index.html", shot: "index.png"}}
	reports, err := filepath.Glob(filepath.Join(c.reportsDir, "*", "report.html"))
	if err != nil {
		return nil, err
	}
	if len(reports) == 0 {
		return nil, fmt.Errorf("no report in %s/*/report.html: run make first", c.reportsDir)
	}
	for _, r := range reports { // Glob sorts
		study := filepath.Base(filepath.Dir(r))
		out = append(out, page{path: servePrefix + study + "/report.html", shot: study + ".png"})
	}
	if _, err := os.Stat(filepath.Join(c.reportsDir, "synthesis", "synthesis.html")); err == nil {
		out = append(out, page{path: servePrefix + "synthesis/synthesis.html", shot: "synthesis.png"})
	}
	return out, nil
}

// serve starts a file server on 127.0.0.1 for the reports folder and the
// adversarial report; it returns the base URL and a function to stop it.
func serve(reportsDir, advDir string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("could not start the file server: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(servePrefix, http.StripPrefix(servePrefix, http.FileServer(http.Dir(reportsDir))))
	mux.Handle(adversarialPrefix, http.StripPrefix(adversarialPrefix, http.FileServer(http.Dir(advDir))))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// events collects what the page did, from the listener of its tab.
type events struct {
	mu       sync.Mutex
	base     string
	problems []string
}

func (e *events) add(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.problems = append(e.problems, fmt.Sprintf(format, args...))
}

// listen records console errors, exceptions, browser log errors (a
// Content-Security-Policy violation is one), requests that leave the file
// server, failed requests and HTTP errors.
func (e *events) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			e.add("console %s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		e.add("uncaught exception: %s", exceptionText(ev.ExceptionDetails))
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			e.add("browser log error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if !strings.HasPrefix(u, e.base+"/") && !strings.HasPrefix(u, "data:") {
			e.add("external request: %.120s", u)
		}
	case *network.EventLoadingFailed:
		e.add("failed request (%s): %s %s", ev.Type, ev.ErrorText, ev.BlockedReason)
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			e.add("HTTP %d for %.120s", ev.Response.Status, ev.Response.URL)
		}
	}
}

// imageInfo is what the page says of one image or figure.
type imageInfo struct {
	Src      string  `json:"src"`
	Complete bool    `json:"complete"`
	Natural  float64 `json:"natural"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
}

// pageState is read from the page after it loaded.
type pageState struct {
	Images  []imageInfo `json:"images"`
	Figures []imageInfo `json:"figures"`
	Scripts int         `json:"scripts"`
	Pwned   bool        `json:"pwned"`
	Text    string      `json:"text"`
	Title   string      `json:"title"`
}

const stateScript = `(() => {
  const box = el => { const r = el.getBoundingClientRect(); return {width: r.width, height: r.height}; };
  return {
    images: Array.from(document.images).map(i => Object.assign({src: (i.getAttribute("src") || "").slice(0, 48), complete: i.complete, natural: i.naturalWidth}, box(i))),
    figures: Array.from(document.querySelectorAll("figure")).map(f => Object.assign({src: f.id, complete: true, natural: 1}, box(f))),
    scripts: document.scripts.length,
    pwned: typeof window.__pwned !== "undefined",
    text: document.body ? document.body.innerText : "",
    title: document.title,
  };
})()`

// checkPage opens one page in a new tab, waits for it to load, checks it
// and saves its screenshot.
func (c *checker) checkPage(parent context.Context, base string, p page) ([]string, error) {
	ev := &events{base: base}
	tab, cancelTab := chromedp.NewContext(parent, chromedp.WithListener(ev.listen))
	defer cancelTab()
	ctx, cancel := context.WithTimeout(tab, c.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+p.path), chromedp.WaitReady("body")); err != nil {
		return nil, fmt.Errorf("could not load %s: %w", p.path, err)
	}
	// Let late events (image decoding, console) arrive.
	if err := chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
		return nil, err
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](stateScript))
	if err != nil {
		return nil, fmt.Errorf("could not read the page: %w", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return nil, fmt.Errorf("could not take the screenshot: %w", err)
	}
	if err := os.WriteFile(filepath.Join(c.outDir, p.shot), shot, 0o644); err != nil {
		return nil, err
	}
	ev.mu.Lock()
	problems := append([]string(nil), ev.problems...)
	ev.mu.Unlock()
	for _, im := range st.Images {
		switch {
		case !im.Complete || im.Natural == 0:
			problems = append(problems, fmt.Sprintf("image does not load: %s…", im.Src))
		case im.Width == 0 || im.Height == 0:
			problems = append(problems, fmt.Sprintf("image renders at %gx%g: %s…", im.Width, im.Height, im.Src))
		}
	}
	for _, f := range st.Figures {
		if f.Width == 0 || f.Height == 0 {
			problems = append(problems, fmt.Sprintf("figure %s renders at %gx%g", f.Src, f.Width, f.Height))
		}
	}
	if p.textLabel != "" {
		problems = append(problems, checkInert(st, p.textLabel)...)
	}
	return problems, nil
}

// checkInert checks that the adversarial label shows as text and that
// nothing from it runs.
func checkInert(st pageState, label string) []string {
	var problems []string
	if !strings.Contains(st.Text, label) {
		problems = append(problems, fmt.Sprintf("the arm label %q is not shown as text", label))
	}
	if !strings.Contains(st.Title, "<script>") {
		problems = append(problems, fmt.Sprintf("the title %q does not show <script> as text", st.Title))
	}
	if st.Scripts != 0 {
		problems = append(problems, fmt.Sprintf("the page has %d script elements", st.Scripts))
	}
	if st.Pwned {
		problems = append(problems, "an injected script or handler ran (window.__pwned is set)")
	}
	return problems
}

var errNoStudy = errors.New("no study with results")

// exceptionText is the message of an uncaught exception.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}
