/** p50 and p99 of a set of call durations, in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
}

/** The nearest-rank `p`th percentile of ascending `sorted` values; NaN when there are none. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** p50 and p99 of `times` (milliseconds, any order). */
export function latencyOf(times: readonly number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Calls made before timing starts, so caches, JIT and connections are warm. */
export const WARM_UP_CALLS = 20;
