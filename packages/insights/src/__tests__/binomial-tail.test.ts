import { binomialTail, logGamma, regularizedBeta } from '../binomial-tail';

// The tail every test of evidence rests on, against the binomial sums it must equal for whole counts.

function exactTail(failures: number, runs: number, rate: number): number {
  let sum = 0;
  let choose = 1; // C(runs, k), built up as k grows
  for (let k = 0; k <= runs; k++) {
    if (k > 0) choose = (choose * (runs - k + 1)) / k;
    if (k >= failures) sum += choose * rate ** k * (1 - rate) ** (runs - k);
  }
  return sum;
}

it('equals the binomial tail for whole counts', () => {
  for (const [failures, runs, rate] of [
    [1, 1, 0.05],
    [3, 3, 0.05],
    [7, 12, 0.05],
    [6, 20, 0.02],
    [4, 20, 0.31],
    [50, 100, 0.5],
    [2, 168, 0.01],
  ] as const) {
    const expected = exactTail(failures, runs, rate);
    expect(binomialTail(failures, runs, rate)).toBeCloseTo(expected, 12);
    expect(Math.abs(binomialTail(failures, runs, rate) - expected) / expected).toBeLessThan(1e-9);
  }
});

it('is 1 without failures, 0 when failures are impossible, and moves smoothly between whole counts', () => {
  expect(binomialTail(0, 10, 0.1)).toBe(1);
  expect(binomialTail(2, 10, 0)).toBe(0);
  const low = binomialTail(3, 10, 0.1);
  const mid = binomialTail(3.5, 10, 0.1);
  const high = binomialTail(4, 10, 0.1);
  expect(mid).toBeLessThan(low);
  expect(mid).toBeGreaterThan(high);
  // More runs with the same failures make them less surprising.
  expect(binomialTail(3, 10.5, 0.1)).toBeGreaterThan(binomialTail(3, 10, 0.1));
});

it('stays accurate in the far tail the 168-window correction looks at', () => {
  const tail = binomialTail(10, 12, 0.05);
  expect(tail).toBeGreaterThan(0);
  expect(Math.abs(tail - exactTail(10, 12, 0.05)) / exactTail(10, 12, 0.05)).toBeLessThan(1e-8);
});

it('has the special values of its building blocks', () => {
  expect(logGamma(1)).toBeCloseTo(0, 12);
  expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
  expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
  expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
});
