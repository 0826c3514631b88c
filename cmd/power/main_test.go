package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const design = "examples/ketamine-vs-ssri.yaml"

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("power %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	if errb.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet power wrote to it: %q", errb.String())
	}
	return out.String()
}

// TestShardsAndWorkers runs a study whole with 1 and 2 workers and as 4
// shards merged: the three result files must be byte-identical.
func TestShardsAndWorkers(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	runOK(t, "-design", design, "-trials", "700", "-seed", "5", "-workers", "1", "-out", path("w1.json"))
	runOK(t, "-design", design, "-trials", "700", "-seed", "5", "-workers", "2", "-out", path("w2.json"))
	var parts []string
	for _, s := range []string{"2/4", "0/4", "3/4", "1/4"} {
		p := path("part-" + s[:1] + ".json")
		out := runOK(t, "-design", design, "-trials", "700", "-seed", "5", "-shard", s, "-out", p)
		if !strings.Contains(out, "shard "+s) {
			t.Errorf("shard output %q", out)
		}
		parts = append(parts, p)
	}
	summary := runOK(t, append([]string{"merge", "-out", path("merged.json")}, parts...)...)
	if !strings.Contains(summary, "power (two-sided alpha 0.05): log-rank") {
		t.Errorf("merge summary %q", summary)
	}
	w1, _ := os.ReadFile(path("w1.json"))
	for _, other := range []string{"w2.json", "merged.json"} {
		b, _ := os.ReadFile(path(other))
		if len(w1) == 0 || !bytes.Equal(w1, b) {
			t.Errorf("%s differs from the 1-worker result", other)
		}
	}
	// A missing shard is an error that names the missing blocks.
	var out bytes.Buffer
	err := run(context.Background(), []string{"merge", "-out", path("bad.json"), parts[0], parts[1]}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("merge of 2 of 4 shards: %v", err)
	}
}

func TestCoverageCheck(t *testing.T) {
	out := runOK(t, "-design", design, "-trials", "300", "-check-coverage", "0.5,1")
	if strings.Count(out, "coverage check") != 4 || strings.Contains(out, "OUTSIDE") {
		t.Errorf("coverage check output:\n%s", out)
	}
	var b bytes.Buffer
	err := run(context.Background(), []string{"-design", design, "-trials", "300", "-check-coverage", "0.99,1"}, &b, &b)
	if err == nil || !strings.Contains(err.Error(), "coverage outside [0.99, 1]") || !strings.Contains(b.String(), "OUTSIDE") {
		t.Errorf("strict coverage check: %v\n%s", err, b.String())
	}
}

func TestProgressBar(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"-design", design, "-trials", "200", "-progress", "always"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errb.String(), "200/200 trials") || !strings.HasSuffix(errb.String(), "\n") {
		t.Errorf("progress bar %q", errb.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-design", design, "extra"},
		{"-design", design, "-trials", "0"},
		{"-design", design, "-shard", "4/4", "-out", "x.json"},
		{"-design", design, "-shard", "1/4"},
		{"-design", design, "-shard", "a/b", "-out", "x.json"},
		{"-design", design, "-check-coverage", "0.96,0.94"},
		{"-design", design, "-progress", "sometimes"},
		{"merge"},
		{"merge", "-out", "x.json"},
	} {
		var b bytes.Buffer
		err := run(context.Background(), args, &b, &b)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("power %q: %v, want a usage error", args, err)
		}
	}
	var b bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &b, &b); !errors.Is(err, flag.ErrHelp) || !strings.Contains(b.String(), "Slurm") {
		t.Errorf("-h: %v", err)
	}
}

func TestDataErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "design.yaml")
	os.WriteFile(bad, []byte("name: x\ncontrol: {name: A, n: 10, median: -3}\nexperimental: {name: B, n: 10, hr: 2}\n"), 0o644)
	notPart := filepath.Join(dir, "part.json")
	os.WriteFile(notPart, []byte(`{"format": "something else"}`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-design", filepath.Join(dir, "missing.yaml")}, "could not read design file"},
		{[]string{"-design", bad}, "line 2: control.median is -3"},
		{[]string{"merge", "-out", filepath.Join(dir, "r.json"), notPart}, "format is \"something else\""},
	} {
		var b bytes.Buffer
		err := run(context.Background(), c.args, &b, &b)
		var ue usageError
		if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("power %q: %v, want a data error containing %q", c.args, err, c.want)
		}
	}
}
