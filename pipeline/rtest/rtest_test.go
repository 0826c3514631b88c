package rtest

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestReadCSVAndNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ref.csv")
	if err := os.WriteFile(path, []byte("term,coef,n\nTRT,0.5,3\nAGE,NA,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := ReadCSV(t, path)
	if len(rows) != 2 || rows[0]["term"] != "TRT" || rows[0].Float(t, "coef") != 0.5 || rows[1].Int(t, "n") != 4 {
		t.Errorf("rows %v", rows)
	}
	if !math.IsNaN(rows[1].Float(t, "coef")) {
		t.Error("NA is not NaN")
	}
}

func TestClose(t *testing.T) {
	for i, test := range []struct {
		got, want float64
		ok        bool
	}{
		{1, 1 + 1e-7, true},
		{1, 1 + 1e-5, false},
		{1e-13, 0, true},
		{math.NaN(), math.NaN(), true},
		{0, math.NaN(), false},
		{math.Inf(1), math.Inf(1), true},
		{math.Inf(1), 1e308, false},
	} {
		if Close(test.got, test.want) != test.ok {
			t.Errorf("test %d: Close(%v, %v) = %v", i, test.got, test.want, !test.ok)
		}
	}
	if RelErr(1.1, 1) < 0.09 || RelErr(math.NaN(), math.NaN()) != 0 {
		t.Error("RelErr")
	}
}
