// Package derive provides the derivation of time-to-event endpoints (ADTTE)
// from visit-level scores (ADQS), the work R's admiral does with
// derive_param_tte for ADaM.
//
// A study declares, for each endpoint to derive, a plan: the `derive:` block
// of the endpoint in study.yaml (types and validation in pipeline/study,
// Derivation). Derive executes the plans on ADSL, ADQS and optional ADCE
// data; cmd/derive writes the result as adtte.csv and an exclusions file.
// Every subject of ADSL appears, for every derived endpoint, either as one
// ADTTE row or as one exclusion with its reason.
//
// # The plan
//
// Keys of the derive block (defaults in brackets):
//
//	source:          PARAMCD of the score in adqs.csv (MADRS, MADRS10, SSI, CSSRSI). Required.
//	baseline_visit:  AVISIT of the baseline [empty: last adequate assessment at or before day 0]
//	baseline:        required | optional [required for event rules, optional for relapse rules]
//	origin:          dose | randomization | day | anchor   [dose; anchor for relapse rules]
//	origin_day:      study day of the origin when origin is day (e.g. the last infusion)
//	unscheduled:     use | ignore                    [use]   (AVISIT beginning with UNSCHED)
//	missing:         skip | break                    [skip]  (rows with an empty AVAL)
//	event:           (response, remission, resolution; exactly one of event and relapse)
//	  reduction:     fraction in (0, 1]: event when (BASE − AVAL)/BASE ≥ reduction
//	  at_most:       event when AVAL ≤ at_most            (exactly one of reduction, at_most)
//	  sustained:     k ≥ 1 consecutive assessments meeting the criterion [1]
//	relapse:
//	  anchor:        randomization | day | PARAMCD of an endpoint with an event rule
//	  anchor_day:    study day of the anchor when anchor is day (e.g. end of an open-label phase)
//	  in_response:   {reduction: …} or {at_most: …}, checked at the last assessment at or before the anchor
//	  at_least:      relapse threshold: AVAL ≥ at_least. Required.
//	  confirm:       {min_days: 5, max_days: 15}: the next assessment must also be ≥ at_least, 5–15 days later
//	  clinical_events: [HOSPITALIZATION, SUICIDE_ATTEMPT]: CETERM values of adce.csv that are relapses
//	  clinical_events_file: required | optional [required]: may adce.csv be absent (then a warning)
//	censor:
//	  at:            last-assessment | end-of-study   [last-assessment]
//	  rescue:        true: follow-up stops at RESCDY (assessments on or after it are not used) [false]
//	  max_day:       administrative cut-off in days from the origin [none]
//	  after_discontinuation: ignore | use  [ignore]: a discontinued subject's records after EOSDY
//	competing:       [LACK_OF_EFFICACY, ADVERSE_EVENT, RESCUE, OTHER]: types that compete [none]
//	event_type:      EVNTTYPE of the event of interest [RESPONSE, REMISSION, RELAPSE, SI_RESOLUTION by kind]
//	reasons:         {"DCSREAS value": TYPE}: custom discontinuation reasons (needs competing)
//
// Example (a SUSTAIN-1-like relapse endpoint):
//
//	endpoints:
//	  - paramcd: TTRELAPSE
//	    kind: relapse
//	    derive:
//	      source: MADRS
//	      relapse:
//	        anchor: randomization
//	        at_least: 22
//	        confirm: {min_days: 5, max_days: 15}
//	        clinical_events: [HOSPITALIZATION, SUICIDE_ATTEMPT]
//	      censor: {rescue: true}
//
// # Rules
//
// Baseline is the last adequate (non-missing) assessment of the source at or
// before day 0, or the named visit. A subject without baseline is excluded
// from every event endpoint (baseline: required, the default: whether the
// event was already present cannot be told) and from any endpoint whose
// criterion is relative to baseline (reduction, baseline_at_least), also
// when the baseline is ≤ 0 (the reduction is undefined); with baseline:
// optional an absolute threshold evaluates subjects without baseline.
//
// The plan is checked against the data first: its source PARAMCD must have
// adqs.csv rows, its baseline_visit must be an AVISIT of the source, and
// clinical_events need adce.csv (unless clinical_events_file is optional);
// otherwise Derive returns an error naming the study.yaml line of the key.
//
// The assessments used are those strictly after day 0, after the baseline,
// after the time origin and, for relapse, after the anchor; and before the
// cut-offs, whichever comes first:
//
//	discontinued (DCSREAS), after_discontinuation: ignore   ADY ≤ EOSDY
//	censor.rescue                                           ADY < RESCDY
//	censor.max_day m                                        ADY ≤ ORIGDY + m
//
// Clinical events obey the same window. In admiral terms the cut-offs are
// the censor_source dates (EOSDT, RESCDT, a cut-off date) that bound every
// event_source of derive_param_tte; in SAS, WHERE ADY <= EOSDY before the
// DATA step.
//
// Event rule: the event is at the first of `sustained` consecutive used
// assessments that all meet the criterion. Relapse rule: the event is at the
// first used assessment with AVAL ≥ at_least whose next used assessment is
// also ≥ at_least and lies min_days to max_days (inclusive) after it; a
// candidate whose next assessment is outside the window or below the
// threshold is not a relapse and the search goes on. A qualifying clinical
// event after the anchor is a relapse at its ADY when it is strictly earlier
// than the assessed relapse. Relapse subjects must have an anchor: RANDDY,
// the fixed anchor_day, or an event on the anchor endpoint (its event visit
// is the anchor); others are excluded.
//
// AVAL is the event day minus the origin day: ADY for dose, ADY − RANDDY for
// randomization, ADY − origin_day for day, ADY − anchor day for anchor. A relapse endpoint timed from
// an origin earlier than its anchor has delayed entry: ENTRY = anchor day −
// origin day (the ENTRY column is written only when some row has one).
//
// Censoring: a subject without event is censored at the last adequate used
// assessment. CNSDTDSC names every cut-off that ended follow-up (rescue only
// when records lay on or after RESCDY, the window only when records lay
// beyond it, discontinuation with DCSREAS unless the window came first),
// joined by "; ", and whether a candidate event was left unconfirmed or
// unsustained at the end. Without any used assessment the
// subject is censored at time 0 (at the origin), or excluded when entry is
// delayed. With `at: end-of-study` the censoring time is EOSDY (capped by the
// cut-offs) when it is later than the last assessment.
//
// Missing data: values are never imputed. With `missing: skip` a row with
// an empty AVAL is ignored, so "consecutive" means consecutive among the
// available assessments; with `missing: break` such a row interrupts a
// sustained run and cannot confirm a relapse. Absent visits are simply
// absent. Unscheduled visits count as any other unless `unscheduled: ignore`.
// Two assessments of the source parameter on the same day, or two with the
// same scheduled AVISIT, are an error naming both lines.
//
// # Competing events
//
// Why follow-up ended is an event type: a discontinuation, typed from
// DCSREAS (study.Derivation.ReasonType: the plan's reasons, then the CDISC
// NCOMPLT values, case-insensitively) and dated by EOSDY, or rescue
// medication at RESCDY. A plan's competing list names the types that end
// the risk of the event of interest; the others censor. When no event of
// interest lies in the follow-up window, the first competing event after
// the start of the risk period and within the window is the row's outcome:
//
//	CNSR 0, EVNTTYPE = type, AVAL = EOSDY (or RESCDY) − ORIGDY, ILOWER = IUPPER = AVAL
//
// An assessment on EOSDY is used (the event of interest wins that day); one
// on RESCDY is not (rescue wins); rescue wins a tie with a discontinuation.
// Competing RESCUE stops follow-up at RESCDY like censor.rescue. Result.HasEventType
// adds the EVNTTYPE column (after CNSR): the event of interest's type (also
// for endpoints without competing events), the competing type, or empty
// for a censored row. Without any competing list the output is unchanged.
// A DCSREAS that the plan does not know is an error naming adsl.csv, the
// line and the column. This is the data of R's cmprsk::cuminc(ftime,
// fstatus) and of survival's multi-state Surv(time, factor(EVNTTYPE)), with
// censored rows as status 0.
//
// # Traceability
//
// Every row records the record that set its time (SRCDOM ADQS/ADCE/ADSL,
// SRCPARAM, SRCVISIT, SRCADY, SRCAVAL and SRCLINE, its line in the source
// file), the time origin (ORIGDY) and anchor (ANCHDY), the assessment that
// showed a relapse subject in response at the anchor (RSPADY, RSPAVAL,
// RSPLINE), the baseline (BASE,
// BASEADY, BASELINE), the confirming assessment (CNFADY, CNFLINE) and the
// interval (ILOWER, IUPPER] in which the event happened, ready for R's
// Surv(ILOWER, IUPPER, type = "interval2"): ILOWER is the previous adequate
// assessment (empty when the event is at the first used assessment, i.e.
// left-censored in (0, IUPPER]); a censored row has ILOWER = AVAL and an
// empty IUPPER. AVAL = SRCADY − ORIGDY for every row whose SRCDOM is not
// empty, so a reviewer can audit any subject from the output alone.
//
// # Validation
//
// Hand-built subjects cover every rule and edge (event at the first
// post-baseline visit, never an event, exactly 50%, sustained and not,
// relapse confirmed and not, the 5- and 15-day window edges, dropout
// before confirmation, rescue, cut-off, missing and unscheduled visits),
// each with AVAL and CNSR worked out by hand in the test. On a random
// fixture of 300 subjects (testdata/fixture), TestAgainstR compares every
// subject × endpoint with an independent base-R derivation of the same
// plans (testdata/derive_ref.R). For every bundled
// simulated study, TestLatentTruth checks that each derived event is at the
// first attended visit at or after the simulator's latent event time
// (adtte_latent.csv), so that the derived curves equal the latent ones at
// visit resolution.
//
// R equivalent: admiral::derive_param_tte with event_source and
// censor_source objects per rule; SAS: a DATA step over the sorted ADQS.
package derive
