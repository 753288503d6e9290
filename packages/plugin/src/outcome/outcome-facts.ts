import { hourOfWeek, isTimeZone, type OutcomeFacts } from '@temporal-stompy/insights';
import { cutText } from '../common/cut-text';
import { eventTimeMsOf } from '../common/event-time';
import type { Outcome } from '../common/outcome';
import { parseOutcomeNote } from './outcome-note-reader';

// The structured facts an outcome is counted by for insights, built two ways that must agree: from the
// outcome as it is recorded (sent beside its note to a server that counts them), and from its note as
// recall reads it back (to count against a server that does not). O(1) per outcome: the window of a
// time zone other than UTC comes from `hourOfWeek`'s cache of 15-minute slots.

/** Longest failure message the facts carry, on one line. */
export const MAX_FACT_MESSAGE_LENGTH = 300;
/** Most unknown time zone names remembered (each would otherwise cost a failed formatter per outcome). */
const MAX_UNKNOWN_ZONES = 64;
const unknownZones = new Set<string>();

/** Statuses that are not failures. */
const SUCCEEDED = new Set(['completed', 'continued_as_new']);

/**
 * The time zone outcomes are counted in, when `timeZone` names one this runtime knows; undefined
 * otherwise (UTC is used). Rules' zones were checked when the plugin was built; a zone from another
 * client's keys header is checked here.
 */
export function countedTimeZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined || unknownZones.has(timeZone)) return undefined;
  if (isTimeZone(timeZone)) return timeZone;
  if (unknownZones.size >= MAX_UNKNOWN_ZONES) unknownZones.clear();
  unknownZones.add(timeZone);
  return undefined;
}

/**
 * The facts insights count for an outcome: its window is the hour of the week of its event time (the
 * rule's, when it is a time, else the start) on the wall clock of its time zone (UTC by default).
 */
export function outcomeFacts(outcome: Outcome): OutcomeFacts {
  const failed = !SUCCEEDED.has(outcome.status);
  return factsOf({
    kind: outcome.kind,
    workflowType: outcome.execution.workflowType,
    activityType: outcome.kind === 'activity' ? outcome.activity?.activityType : undefined,
    failed,
    issue: failed ? outcome.error?.type || outcome.status : undefined,
    message: failed ? outcome.error?.message : undefined,
    durationMs: Math.max(0, Math.round(outcome.endedAtMs - outcome.startedAtMs)),
    startedAtMs: Math.trunc(outcome.startedAtMs),
    eventTime: outcome.keys.eventTime,
    timeZone: outcome.timeZone,
    version: outcome.workerVersion,
    handling: outcome.handling,
  });
}

/**
 * The facts of an outcome rebuilt from its note (what `outcomeNote` wrote), equal to
 * {@link outcomeFacts} of the outcome; undefined when the content is not an outcome's note.
 */
export function outcomeFactsFromNote(content: string): OutcomeFacts | undefined {
  const note = parseOutcomeNote(content);
  if (!note || note.workflowType === undefined || note.durationMs === undefined) return undefined;
  const startedAtMs = note.startedAt === undefined ? NaN : Date.parse(note.startedAt);
  if (!Number.isFinite(startedAtMs)) return undefined;
  const failed = !SUCCEEDED.has(note.status);
  return factsOf({
    kind: note.activityType === undefined ? 'workflow' : 'activity',
    workflowType: note.workflowType,
    activityType: note.activityType,
    failed,
    issue: failed ? note.issueType || note.status : undefined,
    message: failed ? note.issueMessage : undefined,
    durationMs: note.durationMs,
    startedAtMs,
    eventTime: note.eventTime,
    timeZone: note.timeZone,
    version: note.workerVersion,
    handling: note.handling,
  });
}

/** What both ways read, before the facts are derived from it. */
interface FactSource {
  readonly kind: OutcomeFacts['kind'];
  readonly workflowType: string;
  readonly activityType: string | undefined;
  readonly failed: boolean;
  readonly issue: string | undefined;
  readonly message: string | undefined;
  readonly durationMs: number;
  readonly startedAtMs: number;
  readonly eventTime: string | undefined;
  readonly timeZone: string | undefined;
  readonly version: string | undefined;
  readonly handling: string | undefined;
}

function factsOf(source: FactSource): OutcomeFacts {
  const timeZone = countedTimeZone(source.timeZone) ?? 'UTC';
  const eventTimeMs = eventTimeMsOf(source.eventTime) ?? source.startedAtMs;
  const facts: { -readonly [K in keyof OutcomeFacts]: OutcomeFacts[K] } = {
    kind: source.kind,
    workflowType: source.workflowType,
    failed: source.failed,
    durationMs: source.durationMs,
    eventTimeMs,
    timeZone,
    window: hourOfWeek(eventTimeMs, timeZone),
  };
  if (source.activityType !== undefined) facts.activityType = source.activityType;
  if (source.issue !== undefined) facts.issue = source.issue;
  const message = source.message === undefined ? '' : factMessage(source.message);
  if (message !== '') facts.message = message;
  if (source.version !== undefined) facts.version = source.version;
  if (source.handling !== undefined) facts.handling = source.handling;
  return facts;
}

/** A failure message as facts carry it: one line, at most {@link MAX_FACT_MESSAGE_LENGTH} characters. */
function factMessage(message: string): string {
  return cutText(message.replace(/\s+/g, ' ').replace(/\0/g, '\uFFFD').trim(), MAX_FACT_MESSAGE_LENGTH);
}
