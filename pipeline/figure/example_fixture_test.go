package figure

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// exampleResults reads testdata/example/results.json, the fit stage's
// output on the bundled example study (testdata/example/README.md).
func exampleResults(t testing.TB) *schema.Results {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "example", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res schema.Results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

func exampleEndpoint(t testing.TB, res *schema.Results, paramcd string) *schema.Endpoint {
	t.Helper()
	for i := range res.Endpoints {
		if res.Endpoints[i].Paramcd == paramcd {
			return &res.Endpoints[i]
		}
	}
	t.Fatalf("no endpoint %s in testdata/example/results.json", paramcd)
	return nil
}
