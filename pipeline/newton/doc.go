// Package newton provides Newton–Raphson maximisation of a log-likelihood
// with step halving, the iteration of R survival's model fitters (coxph's
// coxfit6, survreg's survreg6), and the LDL' (Cholesky) decomposition with
// rank detection that they use (R survival's cholesky2, chsolve2, chinv2).
//
// The caller supplies a Func that evaluates the log-likelihood, its gradient
// and the information matrix (the negative Hessian) at a point; Maximize
// iterates
//
//	x_{k+1} = x_k + I(x_k)^- U(x_k)
//
// backing off towards the last good point while the log-likelihood does not
// improve or is not finite, and stops when
//
//	|1 - l_old/l_new| <= Eps   or   |l_old - l_new| <= Eps
//
// (the second rule matters only when the log-likelihood converges to about 0).
// The result carries the generalised inverse of the information at the
// estimate (the inverse over the non-redundant columns, zero rows and columns
// for redundant ones), the rank, the number of iterations and whether the
// convergence rule was met.
//
// Matrices are p x p, row-major, in a []float64 of length p*p, with both
// triangles filled. An iteration of Maximize allocates nothing beyond what
// the caller's Func allocates.
package newton
