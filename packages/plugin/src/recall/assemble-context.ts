import { attemptRisk, type BaseCounts, type KeyInsights } from '@temporal-stompy/insights';
import { attemptInsights } from './attempt-insights';
import type { KeyView } from './key-memories';
import type { AttemptKeyInsights, RecalledContext, RecalledMemory } from './recalled-context';

/** The attempt memory is recalled for: what its risk depends on beside its keys. */
export interface RecallAttempt {
  /** Its activity type, and the key that type is remembered under (`activity:chargePayment`). */
  readonly activityType?: string | undefined;
  readonly typeKey?: string | undefined;
  /** The running worker's build id or deployment version. */
  readonly version?: string | undefined;
  /** Its event time (the rule's business time, or its start), epoch milliseconds. */
  readonly eventTimeMs: number;
}

/**
 * The context an attempt is handed: the most relevant memories across its keys (a memory found under
 * several keys counts once, at its best score), the insights of each key, and the attempt's
 * risk, frozen. Undefined when nothing is known of any key.
 */
export function assembleContext(
  keys: readonly string[],
  views: readonly (KeyView | undefined)[],
  settings: {
    readonly maxMemories: number;
    readonly complete: boolean;
    readonly recalledAt: string;
    readonly attempt: RecallAttempt;
    readonly base: BaseCounts;
  },
): RecalledContext | undefined {
  const byTopic = new Map<string, RecalledMemory>();
  const insights: Record<string, AttemptKeyInsights> = {};
  const { attempt } = settings;
  let typeInsights: KeyInsights | undefined;
  const entityInsights: KeyInsights[] = [];
  const relatedTypeInsights: KeyInsights[] = [];
  let any = false;
  keys.forEach((key, i) => {
    const view = views[i];
    if (!view) return;
    any = true;
    if (view.insights) {
      insights[key] = attemptInsights(view.insights, attempt.eventTimeMs);
      if (key === attempt.typeKey) typeInsights = view.insights;
      else if (isTypeKey(key)) relatedTypeInsights.push(view.insights);
      else entityInsights.push(view.insights);
    }
    for (const memory of view.memories) {
      const seen = byTopic.get(memory.topic);
      if (!seen || seen.score < memory.score) byTopic.set(memory.topic, memory);
    }
  });
  if (!any) return undefined;
  const memories = [...byTopic.values()]
    .sort((a, b) => b.score - a.score || (b.time ?? '').localeCompare(a.time ?? ''))
    .slice(0, settings.maxMemories);
  const risk = attemptRisk(
    {
      typeInsights,
      entityInsights,
      relatedTypeInsights,
      activityType: attempt.activityType,
      version: attempt.version,
      eventTimeMs: attempt.eventTimeMs,
    },
    settings.base,
  );
  return Object.freeze({
    keys: Object.freeze([...keys]),
    memories: Object.freeze(memories),
    insights: Object.freeze(insights),
    risk,
    complete: settings.complete,
    recalledAt: settings.recalledAt,
  });
}

/** Whether a key names a type (`activity:chargePayment`, `workflow:OrderWorkflow`) rather than an entity. */
function isTypeKey(key: string): boolean {
  return key.startsWith('activity:') || key.startsWith('workflow:');
}
