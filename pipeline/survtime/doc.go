// Package survtime holds the small primitives that every survival estimator
// of ketcurves shares, so that each is written once: R survival's time fix
// (survival:::aeqSurv), applied by survfit, survdiff, coxph and survreg
// alike with timefix = TRUE.
package survtime
