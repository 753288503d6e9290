import type { Outcome, OutcomeError } from '../common/outcome';

/** Largest outcome content, in UTF-8 bytes: under hosted Stompy's 100 KB, with room for its own fields. */
export const MAX_OUTCOME_CONTENT_BYTES = 96 * 1024;

/**
 * The note an outcome is written as: it reads like a note a person would write (Workflow, Customer,
 * Success, Issues, Duration), which also makes it searchable. One line per field; `parseOutcomeNote`
 * reads back every line an outcome's facts are built from (see `outcomeFactsFromNote`).
 */
export function outcomeNote(outcome: Outcome): string {
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
  if (outcome.handling !== undefined) lines.push(`Handling: ${outcome.handling}`);
  lines.push(`Duration: ${Math.max(0, Math.round(outcome.endedAtMs - outcome.startedAtMs))} ms`);
  lines.push(`Started: ${new Date(outcome.startedAtMs).toISOString()}`);
  if (keys.eventTime) lines.push(`Event time: ${keys.eventTime}`);
  if (outcome.timeZone !== undefined && outcome.timeZone !== 'UTC')
    lines.push(`Time zone: ${outcome.timeZone}`);
  lines.push(`Task queue: ${execution.taskQueue}; namespace: ${execution.namespace}`);
  if (outcome.workerVersion) lines.push(`Worker: ${outcome.workerVersion}`);
  if (outcome.parent) lines.push(`Parent: ${outcome.parent.workflowId} (run ${outcome.parent.runId})`);
  if (keys.tags.length > 0) lines.push(`Tags: ${keys.tags.join(', ')}`);
  if (outcome.captured?.args !== undefined) lines.push(`Args: ${outcome.captured.args}`);
  if (outcome.captured?.result !== undefined) lines.push(`Result: ${outcome.captured.result}`);
  // One line per field, whatever the ids and values hold: a line break would forge a field. NUL becomes
  // U+FFFD: PostgreSQL (hosted Stompy's database, and a fleet's) cannot store it, and refuses the note.
  return cutToBytes(
    lines.map((line) => line.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\0/g, '\uFFFD')).join('\n'),
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

/** The lines `parseOutcomeNote` reads back, and the other fields the plugin writes. */
const FIELD_NAMES = new Set([
  'Workflow',
  'Activity',
  'Success',
  'Status',
  'Issues',
  'Handling',
  'Duration',
  'Started',
  'Event time',
  'Time zone',
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
