// Version regressions: a worker build (or deployment version) that fails clearly more than the one
// before it, beyond chance. Versions are ordered by their first outcome; each is compared with its
// predecessor, and the latest one that fails clearly more is reported.
import { binomialTail } from './binomial-tail';
import {
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
