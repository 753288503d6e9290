import type { Outcome } from '../common/outcome';
import { activityKey, entityKey, workflowKey } from '../keys/memory-keys';
import type { CountedOutcome } from '../mcp/stompy-client';
import { outcomeFacts } from './outcome-facts';

/** Most keys one outcome is counted under (`lock_context_batch`'s limit for `outcome.keys`). */
export const MAX_COUNTED_KEYS = 20;

/**
 * The keys an outcome is counted under for insights: its type's key (`activity:chargePayment` for an
 * attempt, `workflow:OrderWorkflow` for a run) first, then its entities' keys (`customer:C1`, as recall
 * asks for them), at most {@link MAX_COUNTED_KEYS}, so the type key is never the one left out.
 */
export function countedKeys(outcome: Outcome): string[] {
  const typeKey =
    outcome.kind === 'activity' && outcome.activity
      ? activityKey(outcome.activity.activityType)
      : workflowKey(outcome.execution.workflowType);
  const keys = new Set([typeKey]);
  for (const [name, value] of Object.entries(outcome.keys.entities)) {
    if (keys.size >= MAX_COUNTED_KEYS) break;
    keys.add(entityKey(name, value));
  }
  return [...keys];
}

/** What a memory server that counts outcomes receives beside the note: the keys and the facts (with the topic). */
export function countedOutcome(outcome: Outcome, topic: string): CountedOutcome {
  return { keys: countedKeys(outcome), facts: { ...outcomeFacts(outcome), topic } };
}
