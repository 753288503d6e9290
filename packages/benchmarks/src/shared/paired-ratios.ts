import { median } from './percentiles';

/** The ratio of two configurations measured in the same rounds: its median and its spread over the rounds. */
export interface PairedRatio {
  /** Median of the per-round ratios; NaN when no round has both figures. */
  readonly median: number;
  /** Smallest and largest per-round ratio. */
  readonly min: number;
  readonly max: number;
  /** Rounds that gave a ratio. */
  readonly rounds: number;
}

/**
 * Paired ratios: `numerators[r] / denominators[r]` for each round `r` where both are finite and the
 * denominator is positive, summed up as their median and range. Measuring two configurations in the
 * same round (interleaved) and dividing within the round cancels most of what a shared machine's
 * neighbours do to both; the range says how much was left.
 */
export function pairedRatio(numerators: readonly number[], denominators: readonly number[]): PairedRatio {
  const ratios: number[] = [];
  numerators.forEach((top, r) => {
    const bottom = denominators[r];
    if (bottom !== undefined && Number.isFinite(top) && Number.isFinite(bottom) && bottom > 0) {
      ratios.push(top / bottom);
    }
  });
  if (ratios.length === 0) return { median: NaN, min: NaN, max: NaN, rounds: 0 };
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds: ratios.length,
  };
}

/** A paired ratio as text: `1.42x (1.31-1.55 over 3 rounds)`, or `?` when there is none. */
export function describeRatio(ratio: PairedRatio): string {
  if (ratio.rounds === 0) return '?';
  const spread =
    ratio.rounds > 1 ? ` (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)} over ${ratio.rounds} rounds)` : '';
  return `${ratio.median.toFixed(2)}x${spread}`;
}
