package report

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// notices collects the Warnings section: for the study, its status when
// not ok, its warnings and the count mismatches with ingest.json; for each
// endpoint, every non-ok status (of the endpoint, its Cox model and its
// subgroup analyses) and every message. Groups with nothing to say are
// left out; views are the endpoint views, in the order of res.Endpoints.
func notices(res *schema.Results, countNotes []string, views []endpointView) []noticeGroup {
	var out []noticeGroup
	study := noticeGroup{Scope: "Study"}
	if res.Status != "" && res.Status != "ok" {
		study.Items = append(study.Items, fmt.Sprintf("Analysis status %s: the first non-ok status of an endpoint.", res.Status))
	}
	study.Items = append(study.Items, res.Warnings...)
	for _, n := range countNotes {
		study.Items = append(study.Items, "Count mismatch: "+n)
	}
	if len(study.Items) > 0 {
		out = append(out, study)
	}
	for i, ep := range res.Endpoints {
		g := noticeGroup{Scope: "Endpoint " + ep.Paramcd, Items: endpointNotices(ep, "")}
		if ep.Label != "" {
			g.Scope += ": " + ep.Label
		}
		if i < len(views) {
			g.Anchor = views[i].Anchor
		}
		for _, sg := range ep.Subgroups {
			g.Items = append(g.Items, endpointNotices(sg, "Subgroup "+sg.Subgroup+" = "+sg.Level+": ")...)
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// endpointNotices lists the non-ok statuses and the messages of one
// endpoint (or subgroup analysis), each prefixed by prefix.
func endpointNotices(ep schema.Endpoint, prefix string) []string {
	var items []string
	allowed := "not allowed by the analysis plan"
	if ep.Allowed {
		allowed = "allowed by the analysis plan"
	}
	statuses := ep.Statuses
	if len(statuses) == 0 && ep.Status != "" && ep.Status != "ok" {
		statuses = []schema.Status{ep.Status}
	}
	for _, st := range statuses {
		if st != "ok" {
			items = append(items, fmt.Sprintf("%sStatus %s (%s).", prefix, st, allowed))
		}
	}
	if c := ep.Cox; c != nil {
		if c.Status != "" && c.Status != "ok" {
			items = append(items, fmt.Sprintf("%sCox model status %s: terms marked %s have no trustworthy estimate.", prefix, c.Status, NotEstimable))
		}
		if !c.Converged {
			items = append(items, fmt.Sprintf("%sCox model did not converge after %d iterations.", prefix, c.Iterations))
		}
	}
	for _, m := range ep.Messages {
		items = append(items, prefix+m)
	}
	return items
}
