import type { Outcome } from '../common/outcome';
import { isSafeTopicPart, shortHash } from '../keys/memory-tags';

/** Stompy caps topics at 100 characters. */
const MAX_TOPIC_LENGTH = 100;

/**
 * The idempotent topic of an outcome: the same workflow run, or the same activity attempt, always
 * gives the same topic, so a retried workflow task or a duplicate sink call writes the same topic
 * (and the outbox and server recognise it). Readable when ids are short and plain
 * (`temporal:wf:default:order-42:<runId>`); hashed when an id has other characters or the topic would pass
 * 100 characters.
 */
export function outcomeTopic(outcome: Outcome): string {
  const { namespace, workflowId, runId } = outcome.execution;
  const activity = outcome.activity;
  const suffix = activity ? `:${activity.local ? 'la' : 'a'}${activity.activityId}:${activity.attempt}` : '';
  const prefix = activity ? 'temporal:act:' : 'temporal:wf:';
  const readable = `${prefix}${namespace}:${workflowId}:${runId}${suffix}`;
  const plain = [namespace, workflowId, activity?.activityId ?? 'x'].every(isSafeTopicPart);
  if (plain && readable.length <= MAX_TOPIC_LENGTH) return readable;
  const identity = JSON.stringify([
    namespace,
    workflowId,
    runId,
    activity?.local ?? null,
    activity?.activityId ?? null,
    activity?.attempt ?? null,
  ]);
  return `${prefix}h${shortHash(identity, 40)}`;
}
