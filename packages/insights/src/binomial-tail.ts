// The one test behind every "fails far more than elsewhere": how likely it is to see at least this
// many failures in this many runs if the true failure rate were the comparison rate. Counts may be
// fractional (recency-weighted), so the tail is the regularized incomplete beta function, which is
// the binomial tail for whole counts and extends it smoothly between them.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const MAX_TERMS = 300;
const EPSILON = 1e-14;
const TINY = 1e-300;

/**
 * P(X >= failures) for X ~ Binomial(runs, rate): 1 when there are no failures, 0 when the rate is 0
 * and there are some. `failures` and `runs` may be fractional; `failures` is capped at `runs`.
 */
export function binomialTail(failures: number, runs: number, rate: number): number {
  if (!(failures > 0)) return 1;
  if (!(rate > 0)) return 0;
  if (rate >= 1) return 1;
  const x = Math.min(failures, runs);
  return regularizedBeta(rate, x, runs - x + 1);
}

/** I_x(a, b): the regularized incomplete beta function, for a, b > 0 and 0 <= x <= 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  // The continued fraction converges fast on the side of the mean it is evaluated on.
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a;
  return 1 - (front * continuedFraction(1 - x, b, a)) / b;
}

/** ln Γ(z) for z > 0 (Lanczos approximation, g = 7; relative error about 1e-15). */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const shifted = z - 1;
  let sum = LANCZOS[0] ?? 1;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The incomplete beta function's continued fraction, by the modified Lentz method. */
function continuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = nonZero(1 - ((a + b) * x) / (a + 1));
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    result *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  return result;
}

function nonZero(value: number): number {
  return Math.abs(value) < TINY ? TINY : value;
}
