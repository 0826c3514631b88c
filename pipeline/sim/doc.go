// Package sim provides the simulator of ketcurves' synthetic studies: from a
// scenario (datasets/<study>/scenario.yaml) it draws subjects with latent
// event times and writes CDISC-ADaM-style adsl.csv, adqs.csv (visit-level
// scores) and adtte_latent.csv (the true latent event and censoring times).
//
// # Model
//
// Each cohort (arm × stratum) has its own parameters. For a subject:
//
//	responder       ~ Bernoulli(response.fraction)
//	T_resp          = Q_resp(1 − (1−U)^(1/HR))        latency: Weibull, log-normal, …, with hazard ratio HR
//	remitter        ~ Bernoulli(remission.fraction)   among responders
//	T_remit         = T_resp + Q_remit(U)
//	origin          = max(T_resp, relapse.origin_day)
//	T_relapse       = origin + Q_relapse(1 − (1−U)^(1/HR))   with probability relapse.fraction
//	censoring       = min(dropout, administrative end of follow-up)
//
// so that "how many" (fraction), "how fast" (the latency distribution) and
// the treatment effect on the hazard (HR) are separate knobs. Suicidal
// ideation (SI) follows the same pattern: present at baseline, resolution,
// recurrence.
//
// # Scores consistent with the latent events
//
// At each scheduled visit attended (study day <= censoring day) the primary
// score (MADRS or QIDS-SR16) is drawn around a smooth trajectory with
// measurement noise and then confined to the interval implied by the latent
// state at that instant (see scoreBounds): before response it stays above
// 50% of baseline, in response at or below it, in remission at or below
// scale.remission_max, after relapse at or above scale.relapse_min (MADRS 22)
// and above 50% of baseline; in response before relapse it stays below 22.
// The status read off the score at a visit is the latent status at that
// instant. A derivation that reads response, remission or relapse (MADRS >=
// 22 at two consecutive visits, the first being the event) from adqs.csv
// therefore finds each event at the first attended visit at or after the
// latent time, the interval-censored image of the truth in
// adtte_latent.csv, unless the state has already ended by then (a remission
// lost to a relapse before the next visit is never seen) or follow-up ends
// first. SI scores (C-SSRS ideation severity, SSI) are 0, and MADRS item 10
// is 0–1, exactly while SI is resolved. A scenario with relapse_events also
// writes adce.csv: a share of relapses comes with a hospitalization or a
// suicide attempt (CETERM) on the latent relapse day.
//
// # Scenario file
//
// A scenario is decoded strictly (an unknown key is an error naming the file
// and the line). Its keys, with the Go field that documents each:
//
//	study_id, seed, diagnosis, randomization_day         Scenario
//	scale: {paramcd, max, remission_max, relapse_min, noise_sd}   Scale
//	scores: {madrs10, cssrsi, ssi, bsl23: {…}, hamd17: {…}}       Scores, BSL23Spec, HAMDSpec
//	demographics: {age: {mean, sd, min, max}, female_fraction}    Demographics, Normal
//	visits: [{name, minutes|hours|days|weeks} | {series: {name, first, start_day, step_days, count}}]
//	followup: <distribution>                                       study day of administrative censoring
//	endpoints: [TTRESP, TTREMIT, TTRELAPSE, TTSIRES]               latent endpoints written
//	cohorts: [{arm, stratum, n, baseline, response, remission, relapse, relapse_events,
//	           dropout, dropout_origin_day, dropout_reasons, rescue, nonresponder_exit_day, si}]
//	                                                          Cohort, Transition, DropoutReasons, Rescue, SISpec
//
// A distribution (Dist) is one of {weibull: {shape, scale_days}},
// {lognormal: {median_days, sdlog}}, {exponential: {median_days}},
// {uniform: {min_days, max_days}}, {fixed: {days}} or
// {mixture: [{weight, dist}, …]}. A transition is {fraction, time,
// hazard_ratio, origin_day}. The bundled studies under datasets/ are worked
// examples.
//
// # Dropout reasons and rescue
//
// adsl.csv has EOSDY = min(dropout, end of follow-up) and DCSREAS empty for
// a subject followed to the end. A dropout is WITHDRAWAL BY SUBJECT unless
// the cohort has dropout_reasons: {lack_of_efficacy: p, adverse_event: q},
// then LACK OF EFFICACY with probability p when not in response at the
// dropout day (a responder drawn for it withdraws), ADVERSE EVENT with
// probability q. A cohort with rescue: {fraction, time, origin_day} has
// RESCDY = origin_day + time with probability fraction, kept when within
// participation and out of response; adsl.csv then has a RESCDY column.
// Neither changes the dropout times, scores or latent events: their
// uniforms are drawn last, so other outputs stay byte-identical.
//
// # Determinism
//
// Subject i (in cohort order) draws every random number from
// rand.New(rand.NewPCG(seed, i)) in a fixed order, whatever parts of the
// model are used; subject numbers are a permutation drawn from stream 1<<63.
// Times are written with six decimals (40 min = 0.027778) and scores as
// integers (BSL-23 with two decimals), so the same scenario gives the same
// bytes. Transcendental functions come from package math; on architectures
// that fuse multiply-adds a last-bit difference could in principle flip a
// sixth decimal, which the committed-file test would reveal.
//
// All output is synthetic data, not patient data.
package sim
