import type { Outcome } from '../common/outcome';
import { keyTags } from '../common/execution-keys';
import { activityKey, workflowKey } from '../keys/memory-keys';
import { safeTag } from '../keys/memory-tags';
import type { Priority } from '../mcp/result-forms';

/** Most tags on one outcome: our memory server's limit (`MAX_TAGS` in its validation). */
export const MAX_OUTCOME_TAGS = 50;

/**
 * Every tag of an outcome's context: kind, status, issue, type keys, rule tags and entity tags, at
 * most {@link MAX_OUTCOME_TAGS} (the fixed ones first), so a rule with many entities cannot get the
 * outcome refused.
 */
export function outcomeTags(outcome: Outcome): string[] {
  const tags = [
    'temporal',
    `${outcome.kind}-outcome`,
    `status:${outcome.status}`,
    workflowKey(outcome.execution.workflowType),
  ];
  if (outcome.activity) tags.push(activityKey(outcome.activity.activityType));
  if (outcome.error) tags.push('issue', safeTag(`issue:${outcome.error.type}`));
  tags.push(...keyTags(outcome.keys).map(safeTag));
  return [...new Set(tags)].slice(0, MAX_OUTCOME_TAGS);
}

/** Failures that will not fix themselves (non-retryable, or a whole run failed) are `important`; the rest `reference`. */
export function outcomePriority(outcome: Outcome): Priority {
  return outcome.error?.nonRetryable || (outcome.kind === 'workflow' && outcome.status === 'failed')
    ? 'important'
    : 'reference';
}
