/** The facts a recall summary reads back from an outcome's content; undefined when it is not an outcome. */
export interface ParsedOutcome {
  readonly success: boolean;
  readonly status: string;
  readonly issueType: string | undefined;
  readonly issueMessage: string | undefined;
  readonly durationMs: number | undefined;
  readonly startedAt: string | undefined;
}

/** The fields read back, each found by one pattern compiled once. */
const FIELDS = {
  Success: /^Success: (.*)$/m,
  Status: /^Status: (.*)$/m,
  Issues: /^Issues: (.*)$/m,
  Duration: /^Duration: (.*)$/m,
  Started: /^Started: (.*)$/m,
} as const;

/** Reads back the lines `outcomeNote` wrote. Tolerant: unknown lines are ignored. */
export function parseOutcomeNote(content: string): ParsedOutcome | undefined {
  const field = (name: keyof typeof FIELDS): string | undefined => FIELDS[name].exec(content)?.[1];
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
