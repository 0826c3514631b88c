package datasetjson

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// lungLike returns a Dataset-JSON (NDJSON if nd) document of n ADTTE rows
// from a seeded PCG, with the lung.json columns.
func lungLike(n int, nd bool) []byte {
	rng := rand.New(rand.NewPCG(uint64(n), 2026))
	var b bytes.Buffer
	cols := []string{col("STUDYID", "string"), col("USUBJID", "string"), col("TRTP", "string"), col("PARAMCD", "string"),
		col("AVAL", "integer"), col("AVALM", "double"), col("AVALC", "decimal"), col("CNSR", "integer"),
		col("AGE", "integer"), col("PHECOG", "integer"), col("ADT", "date", `"targetDataType": "integer"`)}
	fmt.Fprintf(&b, `{"datasetJSONCreationDateTime": "2026-01-01T00:00:00", "datasetJSONVersion": "1.1.0", "itemGroupOID": "IG.ADTTE", "records": %d, "name": "ADTTE", "label": "", "columns": [`, n)
	for j, c := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c)
	}
	if nd {
		b.WriteString("]}\n")
	} else {
		b.WriteString("], \"rows\": [\n")
	}
	for i := range n {
		aval := math.Ceil(rng.ExpFloat64() * 60)
		ecog := strconv.Itoa(rng.IntN(4))
		if rng.IntN(20) == 0 {
			ecog = "null"
		}
		sep := ",\n"
		if nd || i == n-1 {
			sep = "\n"
		}
		fmt.Fprintf(&b, `["KETCURVE", "KET-%07d", "%s", "TTRESP", %v, %s, "%.2f", %d, %d, %s, "2024-%02d-%02d"]%s`,
			i+1, []string{"KETAMINE", "SSRI"}[rng.IntN(2)], aval, strconv.FormatFloat(aval/30.4375, 'g', -1, 64),
			aval/7, rng.IntN(2), 18+rng.IntN(60), ecog, 1+rng.IntN(12), 1+rng.IntN(28), sep)
	}
	if !nd {
		b.WriteString("]}\n")
	}
	return b.Bytes()
}

func BenchmarkRead(b *testing.B) {
	sizes := []int{1e3, 1e5, 1e6}
	if testing.Short() {
		sizes = []int{1e3, 1e5}
	}
	for _, n := range sizes {
		for _, nd := range []bool{false, true} {
			data := lungLike(n, nd)
			form := "json"
			if nd {
				form = "ndjson"
			}
			b.Run(fmt.Sprintf("%s/rows=%d", form, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					t, err := Read(bytes.NewReader(data))
					if err != nil || t.Rows != n {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
