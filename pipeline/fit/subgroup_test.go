package fit

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
)

// TestSubgroupsAgainstR compares subgroups.csv with testdata/ref_veteran_subgroups.csv,
// written by testdata/make_reference.R with, within each level of PRIOR,
//
//	survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = ds)
//	coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + KARNO + CELLTYPE, data = ds, ties = "efron")
//
// The subgroup column is also the strata column, so within a subgroup the
// analysis is unstratified.
func TestSubgroupsAgainstR(t *testing.T) {
	path := filepath.Join("testdata", "veteran_adtte.csv")
	tab, rep, err := adam.ReadADTTE(path, adam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(tab, rep, Options{Control: "STANDARD", Covariates: []string{"KARNO", "CELLTYPE"}, Strata: "PRIOR", Subgroups: []string{"PRIOR"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Err(res); err != nil {
		t.Fatal(err)
	}
	if n := len(res.Endpoints[0].Subgroups); n != 2 {
		t.Fatalf("%d subgroup analyses, want 2 (PRIOR = NO, YES)", n)
	}
	var b bytes.Buffer
	if err := WriteSubgroups(&b, res); err != nil {
		t.Fatal(err)
	}
	compareCSV(t, "ref_veteran_subgroups.csv", readCSV(t, filepath.Join("testdata", "ref_veteran_subgroups.csv")), parseCSV(t, "subgroups.csv", b.Bytes()))
	// The pooled analysis stays stratified.
	if res.Endpoints[0].Cox.Strata != "PRIOR" || res.Endpoints[0].Subgroups[0].Cox.Strata != "" {
		t.Errorf("strata: pooled %q, subgroup %q; want PRIOR and none", res.Endpoints[0].Cox.Strata, res.Endpoints[0].Subgroups[0].Cox.Strata)
	}
}

func TestSubgroupStatusFails(t *testing.T) {
	// In subgroup G=2 arm B has no events: the subgroup's status must fail
	// the analysis unless allowed, while the pooled analysis is fine.
	tab, rep := readTable(t, `STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,G
S,1,A,T,1,0,1
S,2,A,T,2,0,1
S,3,B,T,3,0,1
S,4,B,T,1,1,1
S,5,A,T,1,0,2
S,6,A,T,2,0,2
S,7,B,T,3,1,2
S,8,B,T,4,1,2
S,9,B,T,2,0,1
`)
	res, err := Analyze(tab, rep, Options{Control: "A", Subgroups: []string{"G"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Endpoints[0].Status != "ok" {
		t.Errorf("pooled status %q, want ok", res.Endpoints[0].Status)
	}
	sg := res.Endpoints[0].Subgroups
	if len(sg) != 2 || sg[1].Level != "2" || sg[1].Status != "zero_events_in_arm" {
		t.Fatalf("subgroups %+v", sg)
	}
	if Err(res) == nil {
		t.Error("a non-allowed subgroup status does not fail the analysis")
	}
}
