package fit

// Methods is the registry of analyses, in the order they run and their
// tables are written. Adding a method is one line here; see the package
// documentation for the steps.
var Methods = []*Method{
	kmMethod,
	quantilesMethod,
	testsMethod,
	coxMethod,
	nelsonAalenMethod,
	zphMethod,
	piecewiseMethod,
	rmstMethod,
	milestonesMethod,
	turnbullMethod,
	cifMethod,
	fineGrayMethod,
	cureMethod,
	aftMethod,
	icAFTMethod,
	crossConventionsMethod,
	statesMethod,
}
