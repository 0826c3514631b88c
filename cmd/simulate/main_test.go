package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(scen, []byte(`study_id: T
seed: 3
scale: {paramcd: MADRS, max: 60, remission_max: 10, relapse_min: 22, noise_sd: 2}
demographics: {age: {mean: 45, sd: 10, min: 18, max: 80}, female_fraction: 0.5}
visits: [{name: BASELINE, days: 0}, {name: DAY1, days: 1}]
followup: {fixed: {days: 1}}
endpoints: [TTRESP]
cohorts:
  - {arm: A, n: 5, baseline: {mean: 30, sd: 4, min: 24, max: 40}, response: {fraction: 0.5, time: {exponential: {median_days: 1}}}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run([]string{"-scenario", scen}, &out, &errb); err != nil {
		t.Fatalf("run: %v (%s)", err, errb.String())
	}
	first := map[string][]byte{}
	for _, f := range []string{"adsl.csv", "adqs.csv", "adtte_latent.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		first[f] = b
	}
	if err := run([]string{"-scenario", scen, "-out", dir}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for f, b := range first {
		again, _ := os.ReadFile(filepath.Join(dir, f))
		if !bytes.Equal(b, again) {
			t.Errorf("%s differs between two runs", f)
		}
	}
	if !strings.Contains(out.String(), "not patient data") {
		t.Errorf("stdout %q does not say the data are synthetic", out.String())
	}

	for _, test := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{nil, true, "-scenario is required"},
		{[]string{"-scenario", scen, "extra"}, true, "unexpected argument"},
		{[]string{"-bogus"}, true, "flag provided but not defined"},
		{[]string{"-scenario", filepath.Join(dir, "missing.yaml")}, false, "could not read scenario"},
	} {
		errb.Reset()
		err := run(test.args, &out, &errb)
		if err == nil {
			t.Errorf("%v: no error", test.args)
			continue
		}
		if errors.Is(err, errUsage) != test.usage {
			t.Errorf("%v: usage error %v, want %v", test.args, errors.Is(err, errUsage), test.usage)
		}
		if msg := err.Error() + errb.String(); !strings.Contains(msg, test.want) {
			t.Errorf("%v: message %q does not contain %q", test.args, msg, test.want)
		}
	}
	errb.Reset()
	if err := run([]string{"-h"}, &out, &errb); err != nil || !strings.Contains(errb.String(), "adtte_latent.csv") {
		t.Errorf("-h: %v, %q", err, errb.String())
	}
}
