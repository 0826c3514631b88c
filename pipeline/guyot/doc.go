// Package guyot provides the reconstruction of individual time-to-event
// data from a published Kaplan–Meier curve (digitized points) and its
// numbers at risk, with the total number of events and the censoring
// marks when the figure gives them: the algorithm of Guyot, Ades, Ouwens
// & Welton (2012), "Enhanced secondary analysis of survival data:
// reconstructing the data from published Kaplan-Meier survival curves",
// BMC Med Res Methodol 12:9, refined by a search that places events and
// censorings where the reconstructed curve best fits the points read
// (Reconstruct). Digitized points that are not monotone are cleaned, with
// counts (CleanReport); numbers at risk that contradict the curve are an
// error naming the interval (ErrContradiction). Result.MaxKMDiff measures
// the reconstructed curve against the digitized points; Compare gives the
// hazard ratio (pipeline/cox) and medians (pipeline/km) of two
// reconstructed arms, to be set beside the published ones.
//
// # Round-trip accuracy
//
// TestRoundTrip simulates two-arm trials of the bundled sizes (12/10,
// 25/47, 30/30, 42/42, 59/62, 86/90 and 145/152 per arm; Weibull shape
// 1.3, control median 10 months, hazard ratio 0.5, 0.65 or 0.8, uniform
// dropout, follow-up 24 months), draws each arm's curve on a raster
// figure and has a simulated reader digitize it as Guyot et al. instruct:
// the two corners of every visible step and the end of the curve, the
// censoring marks, the numbers at risk every 3 months and the total
// events. The figure is a single-column journal figure at 300 dpi, a plot
// area of 800 x 500 pixels: every corner sits at its nearest pixel, steps
// (and marks) less than 2 pixels apart look like one, and each click is
// off by a normal error of 0.5 pixel in each direction (a zooming
// digitizer such as WebPlotDigitizer), in all an SD of 0.58 pixel, 0.0012
// in survival and 0.017 months in time. The literature gives no pixel
// figure to copy: Guyot et al. found reconstructions by several readers
// highly reproducible; Burda et al. (2017, Res Synth Methods 8:258) found
// WebPlotDigitizer estimates consistent (intraclass correlation > 0.95);
// Liu, Rich & Hanley (2014, Syst Rev 3:151) show that a raster figure
// holds a step down to its pixel resolution. So the test also runs a
// reader twice as rough (1 pixel).
//
// The errors are set against the simulated data themselves: the relative
// error of the Cox hazard ratio (Efron) of the reconstructed arms against
// that of the simulated arms, and the distance between the reconstructed
// and the simulated Kaplan–Meier curves at the reader's resolution in time
// h = 0.12 months (2 pixels of merging + 0.5 of the grid + 3 SD of the
// click: 4 pixels, 0.5% of the axis): the smallest eps with
// S_true(t+h) - eps <= S_rec(t) <= S_true(t-h) + eps for all t. The plain
// sup distance (h = 0) is logged as well; it is the height of the largest
// step whose time is read a fraction of a pixel off, 1/10 of the curve in
// an arm of 10, and says nothing about the reconstruction.
//
// 200 seeded replications (go test -run RoundTrip -v ./pipeline/guyot):
//
//	careful reader, marks read      |HR_rec/HR_true - 1|  median 0.0017, 95% 0.0084, 99% 0.0145, max 0.0332
//	                                KM distance           median 0.0005, 95% 0.0050, 99% 0.0092, max 0.0103
//	rough reader (1 px), marks      |HR_rec/HR_true - 1|  median 0.0025, 95% 0.0116, 99% 0.0312, max 0.0512 (1 above 5%)
//	                                KM distance           median 0.0009, 95% 0.0085, 99% 0.0111, max 0.0131
//	careful reader, no marks        |HR_rec/HR_true - 1|  median 0.0065, 95% 0.0478, 99% 0.1338, max 0.3717 (8 above 5%)
//	                                KM distance           median 0.0021, 95% 0.0046, 99% 0.0070, max 0.0119
//
// so issue 12's targets (every replication within 5% in HR and 0.02 in KM)
// are met, and asserted, for the careful reader of a figure with censoring
// marks; the KM target also with the rough reader and without marks; the
// HR target without marks only at the largest size (145/152, max 0.0107).
// In smaller arms without marks the numbers at risk say how many were
// censored between two at-risk times but not where, and the hazard ratio
// moves with where they fall between the other arm's events: even with
// every event time exact and each censoring spread evenly within its true
// gap between events, the HR of arms of 12/10 is off by a median 7.4% and
// up to 39% (TestCensoringPlacementLimit, 29 replications). The single
// arms of murrough2013-relapse (24, 200 replications) and stard-level1
// (2876, 20) have a KM distance of at most 0.0138 and 0.0034
// (TestRoundTripSingleArm).
//
// The targets hold in these 200 replications, not in every one of many
// more: with -args -guyot.reps 1400, the careful reader with marks has 2
// of 1398 replications above 5% in HR (max 0.103: two events of the two
// arms 0.003 months, a tenth of a pixel, apart, read in the wrong order,
// in arms of 12 and 10) and 2 of 2800 arms above 0.02 in KM (max 0.023:
// two events a pixel apart on both sides of an at-risk time, read as one
// step). The first pass alone (Guyot et al. as published: this package
// at commit 3f66b18, on the same reader without marks) gives
// |HR_rec/HR_true - 1| median 0.023, max 0.52 and a KM distance median
// 0.033, max 0.26.
//
// Not measured: times tied at scheduled visits (several events at one
// time in both arms, as when response is assessed at fixed visits) are
// read as slightly different times in the two arms, which the hazard
// ratio feels; the simulated times here are continuous.
package guyot
