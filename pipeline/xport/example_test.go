package xport_test

import (
	"fmt"
	"log"

	"github.com/ketcurves/ketcurves/pipeline/xport"
)

// Read survival::lung as ADTTE, written by haven::write_xpt(version = 5).
func Example() {
	t, err := xport.ReadFile("testdata/lung_v5.xpt", xport.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s): %d rows\n", t.Name, t.Label, t.Rows)
	aval, _ := t.Column("AVAL")
	fmt.Printf("%s %q %s: %v\n", aval.Name, aval.Label, aval.Format, aval.Float[:3])
	for _, rec := range t.Records()[:3] {
		fmt.Println(rec)
	}
	// Output:
	// ADTTE (Time to death (survival::lung)): 228 rows
	// AVAL "Analysis Value" 8.: [306 455 1010]
	// [STUDYID USUBJID TRTP PARAMCD AVAL AVALM CNSR AGE SEX PHECOG WTLOSS]
	// [LUNG LUNG-001 ARM A TTDEATH 306 10.053388090349076 0 74 M 1 ]
	// [LUNG LUNG-002 ARM A TTDEATH 455 14.948665297741274 0 68 M 0 15]
}

// Special missing values and dates.
func ExampleColumn_Cell() {
	t, err := xport.ReadFile("testdata/special_v5.xpt", xport.Options{})
	if err != nil {
		log.Fatal(err)
	}
	adt, _ := t.Column("ADT")
	x, _ := t.Column("X")
	for i := range 4 {
		fmt.Printf("ADT %-10s (%v days)  X %-4q missing %q\n", adt.Cell(i), adt.Float[i], x.Cell(i), x.Missing[i])
	}
	// Output:
	// ADT 2024-01-15 (23390 days)  X "1.5" missing ""
	// ADT 1959-12-31 (-1 days)  X ""   missing "."
	// ADT 1960-01-01 (0 days)  X ""   missing ".A"
	// ADT            (NaN days)  X ""   missing ".Z"
}
