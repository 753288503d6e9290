// Replays a generated history in time order and asks, before each attempt, what risk the memory
// would give it from the outcomes before it: the way a worker sees it (insights refreshed every
// `refreshEvery` outcomes, as a cache would).
import { attemptRisk, type AttemptRisk } from '../../attempt-risk';
import type { KeyInsights } from '../../insight-types';
import { countOutcomes } from '../../key-counts';
import { keyInsights } from '../../key-insights';
import type { OutcomeFacts } from '../../outcome-facts';

/** An attempt of the replay: its facts and the entity keys it carries. */
export interface ReplayedAttempt {
  readonly facts: OutcomeFacts;
  readonly entities: readonly string[];
}

/** Calls `judge` with each attempt and its risk, from the history before it. */
export function replayRisk(
  attempts: readonly ReplayedAttempt[],
  judge: (attempt: ReplayedAttempt, risk: AttemptRisk) => void,
  refreshEvery = 200,
): void {
  const byKey = new Map<string, OutcomeFacts[]>();
  const insights = new Map<string, KeyInsights>();
  const dirty = new Set<string>();
  let runs = 0;
  let failures = 0;
  let base = { runs: 0, failures: 0 };
  attempts.forEach((attempt, index) => {
    if (index % refreshEvery === 0) {
      base = { runs, failures };
      for (const key of dirty)
        insights.set(key, keyInsights(countOutcomes(key, byKey.get(key) ?? []), base, { exact: true }));
      dirty.clear();
    }
    const typeKey = `activity:${attempt.facts.activityType ?? ''}`;
    const risk = attemptRisk(
      {
        typeInsights: insights.get(typeKey),
        entityInsights: attempt.entities.flatMap((key) => insights.get(key) ?? []),
        activityType: attempt.facts.activityType,
        version: attempt.facts.version,
        eventTimeMs: attempt.facts.eventTimeMs,
      },
      base,
    );
    judge(attempt, risk);
    for (const key of [typeKey, ...attempt.entities]) {
      const list = byKey.get(key) ?? [];
      list.push(attempt.facts);
      byKey.set(key, list);
      dirty.add(key);
    }
    runs += 1;
    if (attempt.facts.failed) failures += 1;
  });
}
