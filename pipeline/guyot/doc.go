// Package guyot provides the reconstruction of individual time-to-event
// data from a published Kaplan–Meier curve (digitized points) and its
// numbers at risk, with the total number of events when reported, by the
// algorithm of Guyot, Ades, Ouwens & Welton (2012), "Enhanced secondary
// analysis of survival data: reconstructing the data from published
// Kaplan-Meier survival curves", BMC Med Res Methodol 12:9 (Reconstruct).
// Digitized points that are not monotone are cleaned, with counts
// (CleanReport); numbers at risk that contradict the curve are an error
// naming the interval (ErrContradiction). Result.MaxKMDiff measures the
// reconstructed curve against the digitized points; Compare gives the
// hazard ratio (pipeline/cox) and medians (pipeline/km) of two
// reconstructed arms, to be set beside the published ones.
//
// Round-trip accuracy (TestRoundTrip, 200 seeded replications, 50–300
// subjects per arm, Weibull shape 1.3, hazard ratio 0.5–0.8, at-risk
// table every 3 months, total events given, a reader grid every 0.2
// months with noise SD 0.012 months in time and 0.003 in survival):
//
//	|HR_rec/HR_true - 1|                  median 0.009, 90% 0.031, 95% 0.042, 99% 0.056, max 0.107
//	KM sup distance, grid midpoints while
//	  >= 20% of the arm is at risk        median 0.026, 90% 0.048, 95% 0.058, 99% 0.069, max 0.078
//	KM sup distance, whole curve          median 0.041, 95% 0.103, max 0.224
//
// This does not yet meet issue 12's target (every replication within 5%
// in HR and 0.02 in KM sup distance); with exact (noise-free) corner
// readings of every step the KM sup distance is median 0.004, 99% 0.019
// while >= 10% are at risk, so most of the error comes from reader noise
// and from the tail where few are at risk.
package guyot
