package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckInert: the assertion on the adversarial report fails when the
// label is not shown as text, a script element exists or a handler ran.
func TestCheckInert(t *testing.T) {
	const label = "Arm <script>x</script>"
	ok := pageState{Text: "… " + label + " …", Title: "Study S: <script>"}
	if p := checkInert(ok, label); len(p) != 0 {
		t.Errorf("inert page: %v", p)
	}
	for _, test := range []struct {
		name string
		st   pageState
		want string
	}{
		{"label parsed as markup", pageState{Text: "Arm ", Title: ok.Title}, "not shown as text"},
		{"script element", pageState{Text: ok.Text, Title: ok.Title, Scripts: 1}, "1 script elements"},
		{"handler ran", pageState{Text: ok.Text, Title: ok.Title, Pwned: true}, "window.__pwned"},
	} {
		if p := checkInert(test.st, label); !strings.Contains(strings.Join(p, "\n"), test.want) {
			t.Errorf("%s: problems %v, want one saying %q", test.name, p, test.want)
		}
	}
}

// TestBrowserFindsProblems runs the check in Chromium on pages made to
// fail: an external image, a missing image, a console error, a script and a
// figure of zero size. It is skipped without Chromium and under -short.
func TestBrowserFindsProblems(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no chromium (run .ci/browser-check to install it)")
	}
	reports := filepath.Join(t.TempDir(), "reports")
	study := filepath.Join(reports, "S1")
	copyDir(t, "../../pipeline/report/testdata/S1", study)
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(reports, "index.html"), `<!DOCTYPE html><title>i</title><body><p>index</p><img src="http://192.0.2.1/x.png" alt="external"><img src="missing.png" alt="missing"></body>`)
	write(filepath.Join(study, "report.html"), `<!DOCTYPE html><title>r</title><body><script>console.error("boom")</script><figure id="figure-1" style="display:none"><img alt="x"></figure></body>`)
	var out bytes.Buffer
	c := &checker{reportsDir: reports, outDir: filepath.Join(t.TempDir(), "browser"), chromium: chromium, timeout: 30 * time.Second, stdout: &out}
	err := c.run()
	if err == nil || !strings.Contains(err.Error(), "2 of 3 pages failed") {
		t.Fatalf("run: %v, want 2 of 3 pages failed\n%s", err, out.String())
	}
	for _, want := range []string{
		"external request: http://192.0.2.1/x.png",
		"HTTP 404",
		"image does not load: missing.png",
		"console error: boom",
		"figure figure-1 renders at 0x0",
		"ok   /adversarial/report.html",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(c.outDir, "S1.png")); err != nil {
		t.Errorf("no screenshot: %v", err)
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
