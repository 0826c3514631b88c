package datasetjson_test

import (
	"fmt"
	"log"

	"github.com/ketcurves/ketcurves/pipeline/datasetjson"
)

// Read survival::lung as ADTTE from NDJSON.
func Example() {
	t, err := datasetjson.ReadFile("testdata/lung.ndjson")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s (%s): %d rows\n", t.Form, t.Name, t.Label, t.Rows)
	adt, _ := t.Column("ADT")
	fmt.Printf("%s %s %s: %q is SAS day %v\n", adt.Name, adt.DataType, adt.TargetDataType, adt.Cell(0), adt.Float[0])
	rec := t.Records()
	fmt.Println(rec[0][:8])
	fmt.Println(rec[1][:8])
	// Output:
	// ndjson ADTTE (Time to death (survival::lung)): 228 rows
	// ADT date integer: "2020-11-02" is SAS day 22221
	// [STUDYID USUBJID TRTP PARAMCD AVAL AVALM AVALC CNSR]
	// [LUNG LUNG-001 ARM A TTDEATH 306 10.053388090349076 43.71 0]
}
