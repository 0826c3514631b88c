package main

import (
	"fmt"
	"os"
	"runtime"
)

func init() {
	if os.Getenv("BENCHCMP_MEMSTATS") != "" {
		memStats = func(where string) {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			fmt.Fprintf(os.Stderr, "%s: HeapAlloc %d MB HeapSys %d MB HeapReleased %d MB Sys %d MB StackSys %d MB GCSys %d MB\n", where, m.HeapAlloc>>20, m.HeapSys>>20, m.HeapReleased>>20, m.Sys>>20, m.StackSys>>20, m.GCSys>>20)
		}
	}
}
