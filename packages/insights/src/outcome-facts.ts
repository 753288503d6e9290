// What insights count: the structured facts recorded with each outcome. The plugin writes them
// beside the outcome's note; a memory server that keeps them counts them (never re-reading notes).

/** The handling label of an attempt that recorded none: the code's default path. */
export const DEFAULT_HANDLING = '';

/** The facts of one outcome (a workflow run or an activity attempt) that insights count. */
export interface OutcomeFacts {
  readonly kind: 'workflow' | 'activity';
  readonly workflowType: string;
  /** The activity type, for an activity attempt. */
  readonly activityType?: string | undefined;
  readonly failed: boolean;
  /** A failure's error type (or its status, such as `timed_out`). */
  readonly issue?: string | undefined;
  /** A failure's message, cut to a line. */
  readonly message?: string | undefined;
  readonly durationMs: number;
  /** Business time (the rule's `eventTime`) or the attempt's start, epoch milliseconds. */
  readonly eventTimeMs: number;
  /** The IANA time zone the window is counted in. */
  readonly timeZone: string;
  /** The hour-of-week window of `eventTimeMs` in `timeZone` (0..167). */
  readonly window: number;
  /** The worker's build id or deployment version. */
  readonly version?: string | undefined;
  /** What the attempt chose to do (`recordHandling`), or {@link DEFAULT_HANDLING}. */
  readonly handling?: string | undefined;
  /** The topic the outcome's note is stored under, when known. */
  readonly topic?: string | undefined;
}

/** The largest distance from the epoch a Date can hold, in milliseconds. */
const MAX_TIME_MS = 8.64e15;

/** Checks facts that crossed a process boundary; returns what is wrong, or undefined. */
export function outcomeFactsProblem(facts: unknown): string | undefined {
  if (typeof facts !== 'object' || facts === null) return 'outcome facts must be an object';
  const f = facts as Record<string, unknown>;
  if (f['kind'] !== 'workflow' && f['kind'] !== 'activity') return 'kind must be "workflow" or "activity"';
  if (typeof f['workflowType'] !== 'string' || f['workflowType'] === '')
    return 'workflowType must be a string';
  if (typeof f['failed'] !== 'boolean') return 'failed must be a boolean';
  for (const name of ['durationMs', 'eventTimeMs'] as const) {
    if (typeof f[name] !== 'number' || !Number.isFinite(f[name])) return `${name} must be a finite number`;
  }
  if (Math.abs(f['eventTimeMs'] as number) > MAX_TIME_MS) return 'eventTimeMs must be a time a Date can hold';
  if (!Number.isInteger(f['window']) || (f['window'] as number) < 0 || (f['window'] as number) > 167)
    return 'window must be an hour of the week, 0 to 167';
  if (typeof f['timeZone'] !== 'string' || f['timeZone'] === '') return 'timeZone must be a string';
  for (const name of ['activityType', 'issue', 'message', 'version', 'handling', 'topic'] as const) {
    if (f[name] !== undefined && f[name] !== null && typeof f[name] !== 'string')
      return `${name} must be a string`;
  }
  return undefined;
}
