package sim

import (
	"strings"
	"testing"
)

const goodScenario = `study_id: TOY
seed: 7
scale: {paramcd: MADRS, max: 60, remission_max: 10, relapse_min: 22, noise_sd: 2}
scores: {madrs10: true}
demographics:
  age: {mean: 45, sd: 10, min: 18, max: 80}
  female_fraction: 0.5
visits:
  - {name: BASELINE, days: 0}
  - {name: 40MIN, minutes: 40}
  - {name: 2H, hours: 2}
  - {name: DAY1, days: 1}
  - {series: {name: "WEEK{n}", first: 1, start_day: 7, step_days: 7, count: 4}}
followup: {fixed: {days: 28}}
endpoints: [TTRESP, TTREMIT, TTRELAPSE]
cohorts:
  - arm: KETAMINE
    n: 50
    baseline: {mean: 32, sd: 5, min: 24, max: 50}
    response: {fraction: 0.6, time: {lognormal: {median_days: 0.1, sdlog: 1}}}
    remission: {fraction: 0.5, time: {exponential: {median_days: 1}}}
    relapse: {origin_day: 1, time: {weibull: {shape: 1.2, scale_days: 10}}}
  - arm: PLACEBO
    n: 50
    baseline: {mean: 32, sd: 5, min: 24, max: 50}
    response: {fraction: 0.3, time: {lognormal: {median_days: 2, sdlog: 1}}}
    dropout: {exponential: {median_days: 60}}
`

func TestParseScenarioGood(t *testing.T) {
	sc, err := ParseScenario("toy.yaml", []byte(goodScenario))
	if err != nil {
		t.Fatal(err)
	}
	vs := sc.Schedule()
	want := []Visit{{"BASELINE", 0}, {"40MIN", 40.0 / 1440}, {"2H", 2.0 / 24}, {"DAY1", 1},
		{"WEEK1", 7}, {"WEEK2", 14}, {"WEEK3", 21}, {"WEEK4", 28}}
	if len(vs) != len(want) {
		t.Fatalf("schedule %v, want %v", vs, want)
	}
	for i := range want {
		if vs[i] != want[i] {
			t.Errorf("visit %d = %v, want %v", i, vs[i], want[i])
		}
	}
	if got := sc.Arms(); len(got) != 2 || got[0] != "KETAMINE" || got[1] != "PLACEBO" {
		t.Errorf("arms %v", got)
	}
	if sc.N() != 100 {
		t.Errorf("N = %d", sc.N())
	}
}

// TestParseScenarioErrors checks that bad scenarios fail with a message that
// names the file and line and says what to do.
func TestParseScenarioErrors(t *testing.T) {
	for _, test := range []struct {
		name, from, to string
		want           []string
	}{
		{"unknown key", "  female_fraction: 0.5\n", "  female_fraction: 0.5\n  femal: 1\n", []string{"toy.yaml", "line 8", "femal", "unknown key"}},
		{"unknown nested key", "relapse: {origin_day: 1,", "relapse: {origin_days: 1,", []string{"line 22", "origin_days"}},
		{"wrong type", "n: 50\n    baseline: {mean: 32, sd: 5, min: 24, max: 50}\n    response: {fraction: 0.6", "n: fifty\n    baseline: {mean: 32, sd: 5, min: 24, max: 50}\n    response: {fraction: 0.6", []string{"line 18", "fifty"}},
		{"fraction out of range", "fraction: 0.6,", "fraction: 1.6,", []string{"line 20", "fraction 1.6", "[0, 1]"}},
		{"two distributions", "time: {lognormal: {median_days: 2, sdlog: 1}}", "time: {lognormal: {median_days: 2, sdlog: 1}, weibull: {shape: 1, scale_days: 1}}", []string{"line 26", "several distributions"}},
		{"no distribution", "dropout: {exponential: {median_days: 60}}", "dropout: {}", []string{"line 27", "no distribution"}},
		{"negative sdlog", "median_days: 0.1, sdlog: 1", "median_days: 0.1, sdlog: -1", []string{"line 20", "sdlog"}},
		{"unknown endpoint", "endpoints: [TTRESP,", "endpoints: [TTRESPONSE,", []string{"line 15", "TTRESPONSE", "TTRESP"}},
		{"no baseline visit", "  - {name: BASELINE, days: 0}\n", "", []string{"baseline visit"}},
		{"visit with two times", "{name: 2H, hours: 2}", "{name: 2H, hours: 2, days: 1}", []string{"line 11", "exactly one"}},
		{"duplicate visit day", "{name: DAY1, days: 1}", "{name: DAY1, hours: 2}", []string{"both at day"}},
		{"baseline too low", "baseline: {mean: 32, sd: 5, min: 24", "baseline: {mean: 32, sd: 5, min: 10", []string{"line 19", "no room"}},
		{"missing seed", "seed: 7\n", "", []string{"seed is missing"}},
		// Strict types (yamlstrict): a quoted string is not a boolean, a
		// fraction is not an integer, a quoted number is not a number.
		{"quoted boolean", "madrs10: true", "madrs10: \"yes\"", []string{"toy.yaml", "line 4", `"yes" is not a boolean`}},
		{"fractional n", "    n: 50\n    baseline: {mean: 32, sd: 5, min: 24, max: 50}\n    response: {fraction: 0.6", "    n: 50.5\n    baseline: {mean: 32, sd: 5, min: 24, max: 50}\n    response: {fraction: 0.6", []string{"line 18", `"50.5" is not a whole number`}},
		{"quoted number", "female_fraction: 0.5", "female_fraction: \"0.5\"", []string{"line 7", `"0.5" is not a number`}},
		{"second document", "seed: 7\n", "seed: 7\n---\nseed: 8\n", []string{"line 3", "second YAML document"}},
		{"missing followup", "followup: {fixed: {days: 28}}\n", "", []string{"followup is missing"}},
		{"origin on response", "response: {fraction: 0.6,", "response: {origin_day: 2, fraction: 0.6,", []string{"line 20", "origin_day"}},
		{"lower-case arm", "arm: PLACEBO", "arm: placebo", []string{"line 23", "upper-case"}},
		{"si scores without si", "scores: {madrs10: true}", "scores: {madrs10: true, cssrsi: true}", []string{"no si block"}},
		{"NaN mean", "baseline: {mean: 32, sd: 5, min: 24", "baseline: {mean: .nan, sd: 5, min: 24", []string{"line 19", "finite"}},
		{"infinite visit time", "{name: DAY1, days: 1}", "{name: DAY1, days: .inf}", []string{"line 12", "finite"}},
		{"relapse events without relapse", "dropout: {exponential: {median_days: 60}}", "dropout: {exponential: {median_days: 60}}\n    relapse_events: {fraction: 0.1}", []string{"line 28", "relapse_events"}},
		{"tab indentation", "  female_fraction: 0.5\n", "\tfemale_fraction: 0.5\n", []string{"toy.yaml", "line 7"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			if !strings.Contains(goodScenario, test.from) {
				t.Fatalf("test setup: %q not in the scenario", test.from)
			}
			bad := strings.Replace(goodScenario, test.from, test.to, 1)
			_, err := ParseScenario("toy.yaml", []byte(bad))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range test.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if _, err := ParseScenario("empty.yaml", nil); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
}
