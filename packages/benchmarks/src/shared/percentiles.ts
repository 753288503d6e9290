/** p50 and p99 of a set of durations, in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
}

/** The nearest-rank `p`th percentile (0 to 100) of ascending `sorted` values; NaN when there are none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** The nearest-rank `p`th percentile (0 to 100) of `values` in any order; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** The median of `values` (the nearest-rank 50th percentile); NaN when there are none. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** p50 and p99 of `times` (milliseconds, any order). */
export function latencyOf(times: readonly number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentileOfSorted(sorted, 50), p99: percentileOfSorted(sorted, 99) };
}
