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
// and above 50% of baseline. A derivation that reads response, remission or
// relapse (MADRS >= 22 at two consecutive visits) from adqs.csv therefore
// finds each event at the first (or, for the two-visit rule, second) visit
// at or after the latent time: the interval-censored image of the truth in
// adtte_latent.csv. SI scores (MADRS item 10, C-SSRS ideation severity,
// SSI) are 0 (MADRS item 10: 0–1) exactly while SI is resolved.
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
