package cmprsk

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// ajData loads the data set named as in testdata/make_aj_reference.R for
// one curve ("all" or a group value), ready for CumulativeIncidence or
// AalenJohansen.
func ajData(t *testing.T, dataset, curve string) MultiStateData {
	t.Helper()
	keep := func(r map[string]string, col string) bool { return curve == "all" || r[col] == curve }
	var d MultiStateData
	switch dataset {
	case "mgus2_cr", "cr_entry":
		file, col, tcol, scol := "mgus2_cr.csv", "sex", "etime", "event"
		if dataset == "cr_entry" {
			file, col, tcol, scol = "cr_entry.csv", "arm", "time", "status"
			d.Start = []float64{}
		}
		d.States = []string{"(s0)", "1", "2"}
		for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", file)) {
			if !keep(r, col) {
				continue
			}
			if d.Start != nil {
				d.Start = append(d.Start, r.Float(t, "entry"))
			}
			d.Stop = append(d.Stop, r.Float(t, tcol))
			d.From = append(d.From, 0)
			to := r.Int(t, scol)
			if to == 0 {
				to = Censored
			}
			d.To = append(d.To, to)
		}
	case "mgus2_ms", "response":
		file, col, censor := "mgus2_ms.csv", "sex", 0
		d.States = []string{"(s0)", "pcm", "death"}
		if dataset == "response" {
			file, col, censor = "response.csv", "", -1
			d.States = []string{"nonresp", "response", "relapse", "dropout"}
		}
		d.Start = []float64{}
		for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", file)) {
			if col != "" && !keep(r, col) {
				continue
			}
			d.ID = append(d.ID, r.Int(t, "id"))
			d.Start = append(d.Start, r.Float(t, "tstart"))
			d.Stop = append(d.Stop, r.Float(t, "tstop"))
			d.From = append(d.From, r.Int(t, "from"))
			to := r.Int(t, "to")
			if to == censor {
				to = Censored
			}
			d.To = append(d.To, to)
		}
	default:
		t.Fatalf("unknown data set %q", dataset)
	}
	return d
}

// TestAalenJohansenReference compares every curve of aj_reference.csv,
// written by testdata/make_aj_reference.R with
//
//	survfit(Surv(etime, factor(event, 0:2)) ~ 1, data = dd, conf.type = ct)            # mgus2_cr
//	survfit(Surv(entry, time, factor(status, 0:2)) ~ 1, data = dd, id = id)            # cr_entry
//	survfit(Surv(tstart, tstop, st) ~ 1, data = dd, id = id)                           # mgus2_ms
//	survfit(Surv(tstart, tstop, st) ~ 1, data = resp, id = id, istate = ist)           # response
//
// column by column: fit$time, n.risk, n.event, n.censor, pstate, std.err,
// lower, upper. The competing-risks data go through CumulativeIncidence, the
// multi-state data through AalenJohansen.
func TestAalenJohansenReference(t *testing.T) {
	type key struct{ dataset, curve, conftype string }
	type ref struct {
		state                  int
		time                   float64
		nrisk, nevent, ncensor int
		p, se, lower, upper    float64
	}
	refs := map[key][]ref{}
	var keys []key
	for _, r := range rtest.ReadCSV(t, "testdata/aj_reference.csv") {
		k := key{r["dataset"], r["curve"], r["conftype"]}
		if _, ok := refs[k]; !ok {
			keys = append(keys, k)
		}
		refs[k] = append(refs[k], ref{
			state: r.Int(t, "state"), time: r.Float(t, "time"),
			nrisk: r.Int(t, "n.risk"), nevent: r.Int(t, "n.event"), ncensor: r.Int(t, "n.censor"),
			p: r.Float(t, "pstate"), se: r.Float(t, "std.err"), lower: r.Float(t, "lower"), upper: r.Float(t, "upper"),
		})
	}
	worst := map[string]float64{}
	for _, k := range keys {
		d := ajData(t, k.dataset, k.curve)
		var c *StateCurve
		var err error
		if k.dataset == "mgus2_cr" || k.dataset == "cr_entry" {
			status := make([]int, len(d.To))
			for i, to := range d.To {
				status[i] = max(to, 0)
			}
			c, err = CumulativeIncidence(d.Stop, status, IncidenceOptions{Entry: d.Start, Causes: 2, ConfType: ConfType(k.conftype)})
		} else {
			c, err = AalenJohansen(d, MultiStateOptions{ConfType: ConfType(k.conftype)})
		}
		if err != nil {
			t.Fatalf("%v: %v", k, err)
		}
		rs := refs[k]
		nt := len(c.Time)
		if len(rs) != nt*len(c.States) {
			t.Fatalf("%v: %d reference rows, want %d times x %d states", k, len(rs), nt, len(c.States))
		}
		for idx, r := range rs {
			i, j := idx%nt, r.state
			name := fmt.Sprintf("%v state %d time %v", k, j, r.time)
			if c.Time[i] != r.time || c.NRisk[j][i] != r.nrisk || c.NEvent[j][i] != r.nevent || c.NCensor[i] != r.ncensor {
				t.Fatalf("%s: time %v n.risk %d n.event %d n.censor %d; R %v %d %d %d", name,
					c.Time[i], c.NRisk[j][i], c.NEvent[j][i], c.NCensor[i], r.time, r.nrisk, r.nevent, r.ncensor)
			}
			for _, v := range []struct {
				what      string
				got, want float64
			}{
				{"pstate", c.PState[j][i], r.p},
				{"std.err", c.StdErr[j][i], r.se},
				{"lower", c.Lower[j][i], r.lower},
				{"upper", c.Upper[j][i], r.upper},
			} {
				if !rtest.Close(v.got, v.want) {
					t.Errorf("%s %s = %v, R %v", name, v.what, v.got, v.want)
				}
				worst[v.what] = math.Max(worst[v.what], rtest.RelErr(v.got, v.want))
			}
		}
	}
	t.Logf("max relative error against R: %v", worst)
}

// TestRestrictedMeanReference compares aj_rmean.csv, written by
// testdata/make_aj_reference.R with summary(fit, rmean = tau)$table on the
// fits above with influence = TRUE (columns rmean and se(rmean)).
func TestRestrictedMeanReference(t *testing.T) {
	worst := 0.0
	type key struct{ dataset, curve string }
	taus := map[key][]float64{}
	want := map[key]map[float64][][2]float64{}
	var keys []key
	for _, r := range rtest.ReadCSV(t, "testdata/aj_rmean.csv") {
		k := key{r["dataset"], r["curve"]}
		tau := r.Float(t, "tau")
		if want[k] == nil {
			want[k] = map[float64][][2]float64{}
			keys = append(keys, k)
		}
		if want[k][tau] == nil {
			taus[k] = append(taus[k], tau)
		}
		want[k][tau] = append(want[k][tau], [2]float64{r.Float(t, "rmean"), r.Float(t, "se")})
	}
	for _, k := range keys {
		d := ajData(t, k.dataset, k.curve)
		c, err := AalenJohansen(d, MultiStateOptions{Tau: taus[k]})
		if err != nil {
			t.Fatal(err)
		}
		for _, rm := range c.RMean {
			for j, w := range want[k][rm.Tau] {
				if !rtest.Close(rm.Mean[j], w[0]) || !rtest.Close(rm.SE[j], w[1]) {
					t.Errorf("%v tau %v state %d: rmean %v se %v; R %v %v", k, rm.Tau, j, rm.Mean[j], rm.SE[j], w[0], w[1])
				}
				worst = math.Max(worst, math.Max(rtest.RelErr(rm.Mean[j], w[0]), rtest.RelErr(rm.SE[j], w[1])))
			}
		}
	}
	t.Logf("max relative error against R: %v", worst)
}
