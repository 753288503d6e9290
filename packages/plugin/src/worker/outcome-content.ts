import type { Outcome, OutcomeError } from '../common/outcome';
import { entityTag, keyTags } from '../common/execution-keys';
import type { Priority } from '../memory/result-forms';
import type { ContextWrite } from '../memory/stompy-client';
import { safeTag } from './memory-tags';
import { outcomeTopic } from './outcome-topic';

/**
 * Turns an outcome into the context written to memory. The content reads like a note a person would
 * write (Workflow, Customer, Success, Issues, Duration), which also makes it searchable; the
 * `Status`, `Issues`, `Duration` and `Started` lines are parsed back by recall summaries.
 */
export function outcomeToContext(outcome: Outcome): ContextWrite {
  return {
    topic: outcomeTopic(outcome),
    content: outcomeContent(outcome),
    tags: outcomeTags(outcome),
    priority: outcomePriority(outcome),
  };
}

/** The key an activity type is remembered under, e.g. `activity:chargeCard`. */
export function activityKey(activityType: string): string {
  return safeTag(entityTag('activity', activityType));
}

/** The key a workflow type is remembered under, e.g. `workflow:OrderWorkflow`. */
export function workflowKey(workflowType: string): string {
  return safeTag(entityTag('workflow', workflowType));
}

/** Most tags on one outcome: our memory server's limit (`MAX_TAGS` in its validation). */
export const MAX_OUTCOME_TAGS = 50;

/** Largest outcome content, in UTF-8 bytes: under hosted Stompy's 100 KB, with room for its own fields. */
export const MAX_OUTCOME_CONTENT_BYTES = 96 * 1024;

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

function outcomePriority(outcome: Outcome): Priority {
  return outcome.error?.nonRetryable || (outcome.kind === 'workflow' && outcome.status === 'failed')
    ? 'important'
    : 'reference';
}

function outcomeContent(outcome: Outcome): string {
  const { execution, activity, error, keys } = outcome;
  const lines = [`Workflow: ${execution.workflowType} (${execution.workflowId}, run ${execution.runId})`];
  if (activity) {
    lines.push(
      `Activity: ${activity.activityType}${activity.local ? ' (local)' : ''}, attempt ${activity.attempt}`,
    );
  }
  for (const [name, value] of Object.entries(keys.entities)) lines.push(entityLine(name, value));
  lines.push(
    `Success: ${outcome.status === 'completed' || outcome.status === 'continued_as_new' ? 'yes' : 'no'}`,
  );
  lines.push(`Status: ${outcome.status}`);
  lines.push(`Issues: ${error ? issueText(error) : 'none'}`);
  lines.push(`Duration: ${Math.max(0, Math.round(outcome.endedAtMs - outcome.startedAtMs))} ms`);
  lines.push(`Started: ${new Date(outcome.startedAtMs).toISOString()}`);
  if (keys.eventTime) lines.push(`Event time: ${keys.eventTime}`);
  lines.push(`Task queue: ${execution.taskQueue}; namespace: ${execution.namespace}`);
  if (outcome.workerVersion) lines.push(`Worker: ${outcome.workerVersion}`);
  if (outcome.parent) lines.push(`Parent: ${outcome.parent.workflowId} (run ${outcome.parent.runId})`);
  if (keys.tags.length > 0) lines.push(`Tags: ${keys.tags.join(', ')}`);
  if (outcome.captured?.args !== undefined) lines.push(`Args: ${outcome.captured.args}`);
  if (outcome.captured?.result !== undefined) lines.push(`Result: ${outcome.captured.result}`);
  // One line per field, whatever the ids and values hold: a line break would forge a field.
  return cutToBytes(
    lines.map((line) => line.replace(/[\r\n\u2028\u2029]+/g, ' ')).join('\n'),
    MAX_OUTCOME_CONTENT_BYTES,
  );
}

/** `Type: message (non-retryable)`, without the colon when the message is empty. */
function issueText(error: OutcomeError): string {
  const message = oneLine(error.message);
  return `${error.type}${message ? `: ${message}` : ''}${error.nonRetryable ? ' (non-retryable)' : ''}`;
}

/** Cuts text to at most `maxBytes` of UTF-8, never inside a character; the captured lines come last, so they go first. */
function cutToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const marker = '\n… (cut to fit the memory server)';
  let cut = bytes.subarray(0, maxBytes - Buffer.byteLength(marker)).toString('utf8');
  // A multi-byte character cut in half decodes as U+FFFD at the end: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return cut + marker;
}

/** The lines {@link parseOutcomeContent} reads back, and the other fields the plugin writes. */
const FIELD_NAMES = new Set([
  'Workflow',
  'Activity',
  'Success',
  'Status',
  'Issues',
  'Duration',
  'Started',
  'Event time',
  'Task queue',
  'Worker',
  'Parent',
  'Tags',
  'Args',
  'Result',
]);

/**
 * `Customer: C9`, on one line; an entity named like one of the note's own fields (`status`) is
 * written `Entity status: ...`, so it can never be read back as that field.
 */
function entityLine(name: string, value: string): string {
  const label = capitalize(oneLine(name));
  return `${FIELD_NAMES.has(label) ? `Entity ${oneLine(name)}` : label}: ${oneLine(value)}`;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The facts a recall summary reads back from an outcome's content; undefined when it is not an outcome. */
export interface ParsedOutcome {
  success: boolean;
  status: string;
  issueType: string | undefined;
  issueMessage: string | undefined;
  durationMs: number | undefined;
  startedAt: string | undefined;
}

/** Reads back the lines {@link outcomeToContext} wrote. Tolerant: unknown lines are ignored. */
export function parseOutcomeContent(content: string): ParsedOutcome | undefined {
  const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(content)?.[1];
  const success = field('Success');
  if (success === undefined) return undefined;
  const issues = field('Issues');
  const issue =
    issues && issues !== 'none' ? /^([^:]+?)(?:: (.*?))?(?: \(non-retryable\))?$/.exec(issues) : null;
  const duration = Number(field('Duration')?.replace(/ ms$/, ''));
  return {
    success: success === 'yes',
    status: field('Status') ?? (success === 'yes' ? 'completed' : 'failed'),
    issueType: issue?.[1],
    issueMessage: issue ? (issue[2] ?? '') : undefined,
    durationMs: Number.isFinite(duration) ? duration : undefined,
    startedAt: field('Started'),
  };
}
