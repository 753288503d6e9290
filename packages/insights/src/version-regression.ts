// Version regressions: a worker build (or deployment version) that fails clearly more than the one
// before it, beyond chance. Versions are ordered by their first outcome; each is compared with its
// predecessor, and the latest one that fails clearly more is reported.
import { binomialTail } from './binomial-tail';
import {
  baseRateOf,
  EVIDENCE_ALPHA,
  isClearlyAbove,
  MIN_EVIDENCE_FAILURES,
  percent,
  RATE_FLOOR,
  smoothedRate,
  subjectOf,
} from './evidence-rules';
import type { Regression, VersionCount } from './insight-types';

/** The latest version that fails clearly more than the one before it, or undefined. */
export function versionRegression(
  key: string,
  versions: readonly VersionCount[],
  baseRate: number,
): Regression | undefined {
  for (let i = versions.length - 1; i >= 1; i--) {
    const current = versions[i];
    const previous = versions[i - 1];
    if (!current || !previous || current.failures < MIN_EVIDENCE_FAILURES) continue;
    const was = Math.max(RATE_FLOOR, smoothedRate(previous.failures, previous.runs, baseRate));
    const rate = current.failures / current.runs;
    if (!isClearlyAbove(rate, was)) continue;
    const pValue = binomialTail(current.failures, current.runs, was);
    if (pValue > EVIDENCE_ALPHA) continue;
    return Object.freeze({
      version: current.version,
      previousVersion: previous.version,
      runs: current.runs,
      failures: current.failures,
      failureRate: smoothedRate(current.failures, current.runs, was),
      previousRate: was,
      previousRuns: previous.runs,
      pValue,
      reason:
        `since build ${current.version}, ${subjectOf(key)} fails ${percent(rate)} ` +
        `(${current.runs} runs), was ${percent(was)}`,
    });
  }
  return undefined;
}

/** When a regression was first flagged: the outcome of the regressed version that tipped the evidence. */
export interface RegressionFlagged {
  /** Event time of that outcome (epoch milliseconds). */
  readonly atMs: number;
  /** The regressed version's runs up to and including it. */
  readonly runs: number;
  readonly failures: number;
}

/**
 * When `regression` was first flagged: replays the regressed version's outcomes in event order
 * (`outcomes`, oldest first; other versions' are skipped) against the previous version's counts as
 * `versions` gives them now, and returns the first outcome after which {@link versionRegression}
 * flags it; undefined when the outcomes given never do (too few of them).
 */
export function regressionFlaggedAt(
  key: string,
  regression: Regression,
  versions: readonly VersionCount[],
  base: { readonly runs: number; readonly failures: number },
  outcomes: Iterable<{
    readonly version?: string | undefined;
    readonly failed: boolean;
    readonly eventTimeMs: number;
  }>,
): RegressionFlagged | undefined {
  const previous = versions.find((v) => v.version === regression.previousVersion);
  if (previous === undefined) return undefined;
  const baseRate = baseRateOf(base.runs, base.failures);
  let runs = 0;
  let failures = 0;
  for (const outcome of outcomes) {
    if (outcome.version !== regression.version) continue;
    runs += 1;
    if (outcome.failed) failures += 1;
    const current = { version: regression.version, runs, failures, failureRate: 0, firstSeen: '' };
    if (versionRegression(key, [previous, current], baseRate) !== undefined) {
      return { atMs: outcome.eventTimeMs, runs, failures };
    }
  }
  return undefined;
}
