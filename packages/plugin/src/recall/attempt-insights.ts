import { describeWindow, hourOfWeek, smoothedRate, type KeyInsights } from '@temporal-stompy/insights';
import type { AttemptKeyInsights, AttemptWindow } from './recalled-context';

/** What an attempt is handed of a key's insights, per window: computed once per key version and window. */
const handed = new WeakMap<KeyInsights, Map<number, AttemptKeyInsights>>();

/**
 * A key's insights as an attempt at `eventTimeMs` sees them: without the per-window table and the
 * risk evidence (kept for the risk assessment), with the attempt's own window. Frozen and shared.
 */
export function attemptInsights(insights: KeyInsights, eventTimeMs: number): AttemptKeyInsights {
  const window = hourOfWeek(eventTimeMs, insights.timeZone);
  let byWindow = handed.get(insights);
  if (!byWindow) {
    byWindow = new Map();
    handed.set(insights, byWindow);
  }
  const known = byWindow.get(window);
  if (known) return known;
  const { windows, unhandled: _unhandled, ...shown } = insights;
  const counted = windows.find((w) => w.window === window);
  const attemptWindow: AttemptWindow = Object.freeze({
    window,
    label: describeWindow(window, insights.timeZone),
    runs: counted?.runs ?? 0,
    failures: counted?.failures ?? 0,
    failureRate: counted
      ? smoothedRate(counted.weightedFailures, counted.weightedRuns, insights.failureRate)
      : insights.failureRate,
  });
  const made = Object.freeze({ ...shown, window: attemptWindow });
  byWindow.set(window, made);
  return made;
}
