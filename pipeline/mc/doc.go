// Package mc runs Monte Carlo studies of two-arm time-to-event trial
// designs: power of the log-rank and Cox Wald tests, and the coverage of
// the confidence intervals that ketcurves reports (Cox hazard ratio,
// Kaplan–Meier median by arm, difference in restricted mean survival time).
//
// A Design (design.yaml) gives the arms, their Weibull event-time
// distributions (common shape, so hazards are proportional and the true
// hazard ratio is defined), the censoring (uniform administrative follow-up
// and exponential dropout) and the analysis conventions. Run simulates and
// analyses trials with the same code as the fit stage (packages km,
// logrank, cox).
//
// # Reproducibility
//
// Trial i draws from rand.New(rand.NewPCG(seed, i)) and nothing else, so a
// trial does not depend on which worker or shard runs it. Trials are summed
// in blocks of BlockSize consecutive trials, each block in trial order, and
// blocks are combined in block order; a shard covers whole blocks. Hence a
// study gives bit-identical results for any number of workers, and the
// merge of its shards (Merge) is bit-identical to one run of all trials.
package mc
