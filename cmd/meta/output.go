package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/meta"
	"gonum.org/v1/plot/vg"
)

// writeOutputs writes meta.csv, leave_one_out.csv, meta.json and the forest
// plot into dir, each atomically.
func writeOutputs(dir string, a *analysis, format string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("could not create output folder: %w", err)
	}
	for _, o := range []struct {
		name string
		data func() ([]byte, error)
	}{
		{"meta.csv", a.metaCSV},
		{"leave_one_out.csv", a.leaveOneOutCSV},
		{"meta.json", a.json},
		{"forest." + format, func() ([]byte, error) { return a.forest(format) }},
	} {
		b, err := o.data()
		if err != nil {
			return fmt.Errorf("could not write %s: %w", o.name, err)
		}
		if err := atomicfile.WriteBytes(filepath.Join(dir, o.name), b); err != nil {
			return fmt.Errorf("could not write %s: %w", o.name, err)
		}
	}
	return nil
}

// fmtNum formats a number for the CSV files with 10 significant digits,
// NA for NaN.
func fmtNum(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

func writeCSV(records [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(records); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var metaHeader = []string{"method", "adjustment", "k", "estimate", "lower", "upper", "tau2", "tau2_lower", "tau2_upper", "i2", "q", "q_p", "pi_lower", "pi_upper"}

func (a *analysis) metaCSV() ([]byte, error) {
	recs := [][]string{metaHeader}
	for _, r := range a.Rows {
		res := r.Result
		recs = append(recs, []string{string(r.Method), string(r.Adjustment), strconv.Itoa(res.K),
			fmtNum(r.Estimate), fmtNum(r.Lower), fmtNum(r.Upper),
			fmtNum(res.Tau2), fmtNum(res.Tau2Lower), fmtNum(res.Tau2Upper), fmtNum(res.I2),
			fmtNum(res.Q), fmtNum(res.QP), fmtNum(r.PILower), fmtNum(r.PIUpper)})
	}
	return writeCSV(recs)
}

func (a *analysis) leaveOneOutCSV() ([]byte, error) {
	recs := [][]string{{"method", "adjustment", "omitted", "k", "estimate", "lower", "upper", "tau2", "i2", "q", "q_p"}}
	for _, r := range a.Rows {
		for i, res := range r.LeaveOneOut {
			recs = append(recs, []string{string(r.Method), string(r.Adjustment), a.Studies.Names[i], strconv.Itoa(res.K),
				fmtNum(a.scale(res.Estimate)), fmtNum(a.scale(res.Lower)), fmtNum(a.scale(res.Upper)),
				fmtNum(res.Tau2), fmtNum(res.I2), fmtNum(res.Q), fmtNum(res.QP)})
		}
	}
	return writeCSV(recs)
}

// number marshals NaN as JSON null.
type number float64

func (x number) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(x), 'g', 10, 64)), nil
}

type jsonStudy struct {
	Study string  `json:"study"`
	Yi    number  `json:"yi"`
	Sei   number  `json:"sei"`
	HR    *number `json:"hr,omitempty"`
	Lower *number `json:"lower,omitempty"`
	Upper *number `json:"upper,omitempty"`
}

type jsonResult struct {
	Method     string `json:"method"`
	Adjustment string `json:"adjustment"`
	K          int    `json:"k"`
	Estimate   number `json:"estimate"`
	Lower      number `json:"lower"`
	Upper      number `json:"upper"`
	LogEst     number `json:"analysis_estimate"`
	SE         number `json:"analysis_se"`
	Stat       number `json:"statistic"`
	DF         int    `json:"df,omitempty"`
	P          number `json:"p"`
	Tau2       number `json:"tau2"`
	Tau2Lower  number `json:"tau2_lower"`
	Tau2Upper  number `json:"tau2_upper"`
	I2         number `json:"i2"`
	I2Lower    number `json:"i2_lower"`
	I2Upper    number `json:"i2_upper"`
	H2         number `json:"h2"`
	H2Lower    number `json:"h2_lower"`
	H2Upper    number `json:"h2_upper"`
	Q          number `json:"q"`
	QDF        int    `json:"q_df"`
	QP         number `json:"q_p"`
	PILower    number `json:"pi_lower"`
	PIUpper    number `json:"pi_upper"`
	Iterations int    `json:"iterations,omitempty"`
	Status     string `json:"status"`
	Message    string `json:"message,omitempty"`
}

type jsonEgger struct {
	Test       string `json:"test"`
	Status     string `json:"status"`
	K          int    `json:"k"`
	DF         int    `json:"df"`
	Stat       number `json:"t"`
	P          number `json:"p"`
	Limit      number `json:"limit_estimate"`
	LimitLower number `json:"limit_lower"`
	LimitUpper number `json:"limit_upper"`
}

type jsonOutput struct {
	Program   string       `json:"program"`
	Input     string       `json:"input"`
	Scale     string       `json:"scale"`
	ConfLevel float64      `json:"conf_level"`
	K         int          `json:"k"`
	Studies   []jsonStudy  `json:"studies"`
	Results   []jsonResult `json:"results"`
	Egger     jsonEgger    `json:"egger"`
	Warnings  []string     `json:"warnings"`
}

func (a *analysis) json() ([]byte, error) {
	s := a.Studies
	out := jsonOutput{Program: "ketcurves meta", Input: filepath.Base(s.File), Scale: "analysis", ConfLevel: a.ConfLevel, K: s.K(), Warnings: a.Warnings}
	if s.Ratio {
		out.Scale = "ratio"
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for i, n := range s.Names {
		js := jsonStudy{Study: n, Yi: number(s.Yi[i]), Sei: number(s.Sei[i])}
		if s.Ratio {
			h, l, u := number(s.HR[i]), number(s.Lower[i]), number(s.Upper[i])
			js.HR, js.Lower, js.Upper = &h, &l, &u
		}
		out.Studies = append(out.Studies, js)
	}
	for _, r := range a.Rows {
		res := r.Result
		out.Results = append(out.Results, jsonResult{
			Method: string(r.Method), Adjustment: string(r.Adjustment), K: res.K,
			Estimate: number(r.Estimate), Lower: number(r.Lower), Upper: number(r.Upper),
			LogEst: number(res.Estimate), SE: number(res.SE), Stat: number(res.Stat), DF: res.DF, P: number(res.P),
			Tau2: number(res.Tau2), Tau2Lower: number(res.Tau2Lower), Tau2Upper: number(res.Tau2Upper),
			I2: number(res.I2), I2Lower: number(res.I2Lower), I2Upper: number(res.I2Upper),
			H2: number(res.H2), H2Lower: number(res.H2Lower), H2Upper: number(res.H2Upper),
			Q: number(res.Q), QDF: res.QDF, QP: number(res.QP),
			PILower: number(r.PILower), PIUpper: number(r.PIUpper),
			Iterations: res.Iterations, Status: res.Status, Message: res.Message,
		})
	}
	e := a.Egger
	out.Egger = jsonEgger{Test: "Egger regression, metafor regtest(model = \"lm\", predictor = \"sei\")", Status: e.Status, K: e.K, DF: e.DF,
		Stat: number(e.Stat), P: number(e.P), Limit: number(a.scale(e.Limit)), LimitLower: number(a.scale(e.LimitLower)), LimitUpper: number(a.scale(e.LimitUpper))}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// forest draws the studies with the FE, REML and REML-HKSJ pooled results.
func (a *analysis) forest(format string) ([]byte, error) {
	var pooled []*meta.Result
	for _, r := range a.Rows {
		if r.Method == meta.FixedEffect || r.Method == meta.REML {
			pooled = append(pooled, r.Result)
		}
	}
	s := a.Studies
	p, err := meta.Forest(s.Yi, s.Sei, pooled, meta.ForestOptions{Labels: s.Names, Ratio: s.Ratio, Title: filepath.Base(s.File)})
	if err != nil {
		return nil, err
	}
	w, err := p.WriterTo(18*vg.Centimeter, meta.ForestHeight(s.K(), len(pooled)), format)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
