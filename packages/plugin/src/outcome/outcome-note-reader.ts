/** What the reader finds in an outcome's note; undefined when the content is not an outcome's note. */
export interface ParsedOutcome {
  readonly success: boolean;
  readonly status: string;
  readonly issueType: string | undefined;
  readonly issueMessage: string | undefined;
  readonly durationMs: number | undefined;
  readonly startedAt: string | undefined;
  /** The workflow type, from the `Workflow` line. */
  readonly workflowType: string | undefined;
  /** The activity type, from the `Activity` line of an activity attempt's note. */
  readonly activityType: string | undefined;
  /** The `Event time` line, as written (ISO 8601). */
  readonly eventTime: string | undefined;
  /** The worker's build id or deployment version (`Worker`). */
  readonly workerVersion: string | undefined;
  /** The handling label the attempt recorded (`Handling`). */
  readonly handling: string | undefined;
  /** The time zone the outcome is counted in, when not UTC (`Time zone`). */
  readonly timeZone: string | undefined;
}

/** The fields read back, each found by one pattern compiled once. */
const FIELDS = {
  Success: /^Success: (.*)$/m,
  Status: /^Status: (.*)$/m,
  Issues: /^Issues: (.*)$/m,
  Duration: /^Duration: (.*)$/m,
  Started: /^Started: (.*)$/m,
  EventTime: /^Event time: (.*)$/m,
  Worker: /^Worker: (.*)$/m,
  Handling: /^Handling: (.*)$/m,
  TimeZone: /^Time zone: (.*)$/m,
} as const;
/** `Workflow: <type> (<workflow id>, run <run id>)`. */
const WORKFLOW_LINE = /^Workflow: (.*?) \(.*, run [^)]*\)$/m;
/** `Activity: <type>[ (local)], attempt <n>`. */
const ACTIVITY_LINE = /^Activity: (.*?)(?: \(local\))?, attempt \d+$/m;
/** `Type: message (non-retryable)`, the message and the flag optional. */
const ISSUE = /^([^:]+?)(?:: (.*?))?(?: \(non-retryable\))?$/;

/** Reads back the lines `outcomeNote` wrote. Tolerant: unknown lines are ignored. */
export function parseOutcomeNote(content: string): ParsedOutcome | undefined {
  const field = (name: keyof typeof FIELDS): string | undefined => FIELDS[name].exec(content)?.[1];
  const success = field('Success');
  if (success === undefined) return undefined;
  const issues = field('Issues');
  const issue = issues && issues !== 'none' ? ISSUE.exec(issues) : null;
  const duration = Number(field('Duration')?.replace(/ ms$/, ''));
  return {
    success: success === 'yes',
    status: field('Status') ?? (success === 'yes' ? 'completed' : 'failed'),
    issueType: issue?.[1],
    issueMessage: issue ? (issue[2] ?? '') : undefined,
    durationMs: Number.isFinite(duration) ? duration : undefined,
    startedAt: field('Started'),
    workflowType: WORKFLOW_LINE.exec(content)?.[1],
    activityType: ACTIVITY_LINE.exec(content)?.[1],
    eventTime: field('EventTime'),
    workerVersion: field('Worker'),
    handling: field('Handling'),
    timeZone: field('TimeZone'),
  };
}
