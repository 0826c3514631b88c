package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Status is the outcome of an analysis of one endpoint: StatusOK, or one of
// the numerical statuses of Statuses. A status other than ok fails the fit
// stage unless the analysis plan allows it (analysis.allow in study.yaml,
// or -allow).
type Status string

// The statuses. Every one is documented in reports/README.md.
const (
	StatusOK = Status("ok")
	// StatusNotConverged: an iterative fit did not converge within its
	// iteration limit.
	StatusNotConverged = Status("not_converged")
	// StatusMonotoneLikelihood: a coefficient diverges (e.g. no events in
	// one arm).
	StatusMonotoneLikelihood = Status("monotone_likelihood")
	// StatusZeroEvents: an arm has no events for this endpoint.
	StatusZeroEvents = Status("zero_events_in_arm")
	// StatusSingular: the information matrix is singular (collinear
	// covariates).
	StatusSingular = Status("singular")
	// StatusTooFewArms: fewer than two arms, no comparison possible.
	StatusTooFewArms = Status("too_few_arms")
	// StatusNotEstimable: a test or model could not be computed, or gave a
	// number that is not finite, for another reason (the messages say why).
	StatusNotEstimable = Status("not_estimable")
	// StatusNoPlateau: a cure model's data have no plateau long enough to
	// identify the cured fraction.
	StatusNoPlateau = Status("no_plateau")
	// StatusBeyondFollowUp: a requested time (milestone, RMST horizon)
	// lies after the last observation of an arm.
	StatusBeyondFollowUp = Status("beyond_follow_up")
)

// Statuses lists every status besides ok, in documentation order.
var Statuses = []Status{
	StatusNotConverged, StatusMonotoneLikelihood, StatusZeroEvents, StatusSingular,
	StatusTooFewArms, StatusNotEstimable, StatusNoPlateau, StatusBeyondFollowUp,
}

// StatusNames returns the names of Statuses.
func StatusNames() []string {
	out := make([]string, len(Statuses))
	for i, s := range Statuses {
		out[i] = string(s)
	}
	return out
}

// ParseStatus returns the status named s, or an error listing the valid
// names. "ok" is not a status that can be allowed and is rejected.
func ParseStatus(s string) (Status, error) {
	if st := Status(s); slices.Contains(Statuses, st) {
		return st, nil
	}
	return "", fmt.Errorf("unknown status %q: use one of %s", s, strings.Join(StatusNames(), ", "))
}
