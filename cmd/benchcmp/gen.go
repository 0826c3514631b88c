package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// Benchmark file layout: two arms, age, sex and a baseline score, one row per
// subject, one endpoint. About 48 bytes a row. The competing-events file
// adds EVNTTYPE (RESPONSE or DROPOUT on CNSR = 0 rows, empty on censored
// rows), about 55 bytes a row.
const (
	benchHeader          = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE,SEX,BASEMADRS\n"
	benchCompetingHeader = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,AGE,SEX,BASEMADRS,EVNTTYPE\n"
)

// Event types of the competing-events file (EVNTTYPE).
const (
	eventResponse = "RESPONSE"
	eventDropout  = "DROPOUT"
)

// Arms of the benchmark file; the control arm sorts first.
var benchArms = [2]string{"ESCITALOPRAM", "KETAMINE"}

// generate writes an n-row ADTTE CSV to path, the same bytes for the same
// (n, seed). Row i draws from rand.New(rand.NewPCG(seed, i)):
//
//	arm       KETAMINE with probability 1/2
//	AGE       uniform integer 18..75
//	SEX       F with probability 0.6
//	BASEMADRS uniform integer 20..50
//	hazard    exp(-0.5 ketamine + 0.01 (AGE-45) + 0.2 male + 0.03 (BASEMADRS-35)) / 30 per day
//	event     exponential with that hazard; censoring uniform on (0, 120) days
//
// AVAL has four decimals, so ties are rare, as in real cohorts with
// fractional days.
//
// With competing events, each row then draws a dropout time (after every
// other draw, so the other columns are those of the plain file):
//
//	dropout   exponential with hazard exp(0.3 ketamine) / 90 per day
//	AVAL      the first of response, dropout and censoring
//	EVNTTYPE  RESPONSE or DROPOUT when CNSR = 0, empty when censored
func generate(path string, n int, seed uint64, competing bool) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		return writeBench(w, n, seed, competing)
	})
}

func writeBench(w io.Writer, n int, seed uint64, competing bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	header := benchHeader
	if competing {
		header = benchCompetingHeader
	}
	if _, err := bw.WriteString(header); err != nil {
		return err
	}
	var buf []byte
	for i := range n {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		arm := 0
		if rng.Float64() < 0.5 {
			arm = 1
		}
		age := 18 + rng.IntN(58)
		male := rng.Float64() >= 0.6
		score := 20 + rng.IntN(31)
		lp := -0.5*float64(arm) + 0.01*float64(age-45) + 0.03*float64(score-35)
		if male {
			lp += 0.2
		}
		ev := rng.ExpFloat64() * 30 / math.Exp(lp)
		cens := rng.Float64() * 120
		aval, cnsr, evntType := ev, 0, eventResponse
		if competing {
			if drop := rng.ExpFloat64() * 90 / math.Exp(0.3*float64(arm)); drop < aval {
				aval, evntType = drop, eventDropout
			}
		}
		if cens < aval {
			aval, cnsr, evntType = cens, 1, ""
		}
		aval = math.Max(math.Round(aval*1e4)/1e4, 1e-4)
		sex := "F"
		if male {
			sex = "M"
		}
		buf = buf[:0]
		buf = append(buf, "BENCH,B"...)
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		buf = append(buf, ',')
		buf = append(buf, benchArms[arm]...)
		buf = append(buf, ",TTRESP,"...)
		buf = strconv.AppendFloat(buf, aval, 'f', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(cnsr), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(age), 10)
		buf = append(buf, ',')
		buf = append(buf, sex...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(score), 10)
		if competing {
			buf = append(buf, ',')
			buf = append(buf, evntType...)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("could not write row %d: %w", i+1, err)
		}
	}
	return bw.Flush()
}
