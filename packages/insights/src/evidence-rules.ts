// The thresholds every test of evidence uses, in one place: how sure, and how large a difference, before
// the memory says "this fails more".

/** Weight of the base rate when smoothing a rate: as if this many runs at the base rate were added. */
export const PRIOR_RUNS = 4;
/** Chance of a false pattern per key and evaluation, split over the 168 windows (Bonferroni). */
export const PATTERN_FAMILY_ALPHA = 0.05;
/** Fewest failures (unweighted) a window needs before it can be a pattern. */
export const MIN_PATTERN_FAILURES = 3;
/** Fewest occurrences of a window (distinct hours) with failures: a weekly pattern must recur. */
export const MIN_PATTERN_OCCURRENCES = 2;
/** Significance for an entity's or a version's excess failures. */
export const EVIDENCE_ALPHA = 0.001;
/** Fewest failures before a version or an entity can be called worse. */
export const MIN_EVIDENCE_FAILURES = 3;
/** A subset "fails more" only when its rate is at least this many times the comparison rate ... */
export const MIN_LIFT = 2;
/** ... and at least this much above it. */
export const MIN_EXCESS = 0.1;
/** Lowest comparison rate a test assumes: a flawless history is not proof that failures are impossible. */
export const RATE_FLOOR = 0.005;

/** `failures / runs` smoothed toward `prior` with {@link PRIOR_RUNS} runs' weight. */
export function smoothedRate(failures: number, runs: number, prior: number): number {
  return (failures + PRIOR_RUNS * prior) / (runs + PRIOR_RUNS);
}

/** The base rate of a memory, with a floor, for smoothing and comparisons. */
export function baseRateOf(runs: number, failures: number): number {
  return Math.min(0.99, Math.max(RATE_FLOOR, runs > 0 ? failures / runs : 0));
}

/** Whether an observed rate is larger than the comparison rate by enough to matter. */
export function isClearlyAbove(rate: number, comparison: number): boolean {
  return rate >= MIN_LIFT * comparison && rate >= comparison + MIN_EXCESS;
}

/** A rate as people read it: `4%`, `0.5%`, `31%`. */
export function percent(rate: number): string {
  const value = rate * 100;
  return `${value < 1 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}

/** The name of what a key stands for, for sentences: `chargePayment` for `activity:chargePayment`, `customer C9`. */
export function subjectOf(key: string): string {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  const kind = key.slice(0, colon);
  const name = key.slice(colon + 1);
  return kind === 'activity' || kind === 'workflow' ? name : `${kind} ${name}`;
}
