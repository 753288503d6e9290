/** The facts a recall summary reads back from an outcome's content; undefined when it is not an outcome. */
export interface ParsedOutcome {
  success: boolean;
  status: string;
  issueType: string | undefined;
  issueMessage: string | undefined;
  durationMs: number | undefined;
  startedAt: string | undefined;
}

/** Reads back the lines {@link outcomeNote} wrote. Tolerant: unknown lines are ignored. */
export function parseOutcomeNote(content: string): ParsedOutcome | undefined {
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
