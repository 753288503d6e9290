import type { OutcomeError } from '../../common/outcome';
import { outcomeToContext } from '../outcome-context';
import { MAX_OUTCOME_CONTENT_BYTES } from '../outcome-note';
import { parseOutcomeNote } from '../outcome-note-reader';
import { MAX_OUTCOME_TAGS } from '../outcome-tags';
import { activityOutcome, RUN_ID } from '../../__tests__/helpers/sample-outcome';

// What memory holds of an outcome: a note that reads like the product page and parses back, the tags
// recall filters on, and the priority; never more than the memory server accepts (tags, bytes), and
// never an entity that passes for one of the note's fields.

describe('outcome content', () => {
  it('reads like a note and carries the tags recall filters on', () => {
    const write = outcomeToContext(activityOutcome());
    expect(write.content).toContain('Workflow: OrderWorkflow (order-42');
    expect(write.content).toContain('Customer: C9');
    expect(write.content).toContain('Success: no');
    expect(write.content).toContain('Issues: GatewayTimeout: primary gateway timed out');
    expect(write.content).toContain('Duration: 1234 ms');
    expect(write.tags).toEqual(
      expect.arrayContaining([
        'temporal',
        'activity-outcome',
        'issue',
        'issue:GatewayTimeout',
        'orders',
        'customer:C9',
        'activity:chargePayment',
        'status:failed',
      ]),
    );
    expect(write.priority).toBe('reference');
  });

  it('parses back what it wrote', () => {
    const labelled = activityOutcome({
      handling: 'backup-gateway',
      timeZone: 'Europe/Berlin',
      workerVersion: 'build-7',
      keys: { tags: [], entities: { customer: 'C9' }, eventTime: '2026-11-24T14:30:00.000Z' },
    });
    expect(parseOutcomeNote(outcomeToContext(labelled).content)).toEqual({
      success: false,
      status: 'failed',
      issueType: 'GatewayTimeout',
      issueMessage: 'primary gateway timed out',
      durationMs: 1234,
      startedAt: '2026-11-25T06:00:00.000Z',
      workflowType: 'OrderWorkflow',
      activityType: 'chargePayment',
      eventTime: '2026-11-24T14:30:00.000Z',
      workerVersion: 'build-7',
      handling: 'backup-gateway',
      timeZone: 'Europe/Berlin',
    });
    const ok = parseOutcomeNote(
      outcomeToContext(activityOutcome({ status: 'completed', error: undefined })).content,
    );
    expect(ok).toMatchObject({ success: true, status: 'completed', issueType: undefined });
    expect(parseOutcomeNote('a note that is not an outcome')).toBeUndefined();
  });

  it('writes an issue without a message as its type alone, and parses it back', () => {
    const cases: [OutcomeError, string, string][] = [
      [{ type: 'CancelledFailure', message: '', nonRetryable: false }, 'CancelledFailure', ''],
      [{ type: 'Fatal', message: '  ', nonRetryable: true }, 'Fatal (non-retryable)', ''],
      [
        { type: 'Declined', message: 'card: expired', nonRetryable: true },
        'Declined: card: expired (non-retryable)',
        'card: expired',
      ],
    ];
    for (const [error, line, message] of cases) {
      const { content } = outcomeToContext(activityOutcome({ error }));
      expect(content).toContain(`\nIssues: ${line}\n`);
      expect(parseOutcomeNote(content)).toMatchObject({ issueType: error.type, issueMessage: message });
    }
  });

  it('never sends what the memory server would refuse: over 50 tags, half a character, over 96 KB', () => {
    const entities = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`e${i}`, `v${i}`]));
    const tags = outcomeToContext(activityOutcome({ keys: { tags: ['orders'], entities } })).tags;
    expect(tags).toHaveLength(MAX_OUTCOME_TAGS);
    // The fixed tags survive; entity tags past the limit are the ones left out.
    expect(tags.slice(0, 7)).toEqual([
      'temporal',
      'activity-outcome',
      'status:failed',
      'workflow:OrderWorkflow',
      'activity:chargePayment',
      'issue',
      'issue:GatewayTimeout',
    ]);
    const emoji = '😀'.repeat(60_000);
    const { content } = outcomeToContext(activityOutcome({ captured: { args: emoji, result: emoji } }));
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(MAX_OUTCOME_CONTENT_BYTES);
    expect(content).not.toMatch(/\p{Cs}/u); // no lone surrogate
    expect(content).toMatch(/^Issues: GatewayTimeout: /m);
    expect(content.endsWith('… (cut to fit the memory server)')).toBe(true);
  });

  it('never lets an entity pass for one of the note’s fields, by its name or a line break in its value', () => {
    const content = outcomeToContext(
      activityOutcome({
        keys: { tags: [], entities: { status: 'completed', customer: 'C9\nSuccess: yes\nIssues: none' } },
      }),
    ).content;
    expect(content).toContain('Entity status: completed');
    expect(content).toContain('Customer: C9 Success: yes Issues: none');
    expect(parseOutcomeNote(content)).toMatchObject({
      success: false,
      status: 'failed',
      issueType: 'GatewayTimeout',
    });
    const forged = outcomeToContext(
      activityOutcome({ execution: { ...activityOutcome().execution, workflowId: 'w\nSuccess: yes' } }),
    ).content;
    expect(forged.split('\n')[0]).toBe(`Workflow: OrderWorkflow (w Success: yes, run ${RUN_ID})`);
    expect(parseOutcomeNote(forged)?.success).toBe(false);
  });

  it('makes tags from entity values the server would refuse safe', () => {
    const write = outcomeToContext(
      activityOutcome({ keys: { tags: ['a b'], entities: { customer: "O'Brien; DROP" } } }),
    );
    expect(write.tags).toEqual(expect.arrayContaining(['a_b', 'customer:O_Brien__DROP']));
    for (const tag of write.tags) expect(tag).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.:/@+=-]*$/);
  });

  it('cuts very long entity values to a distinct tag the server accepts', () => {
    const long = (c: string) =>
      outcomeToContext(activityOutcome({ keys: { tags: [], entities: { order: c.repeat(150) } } }));
    const [a, b] = [long('a'), long('b')].map((w) => w.tags.find((t) => t.startsWith('order:')) ?? '');
    expect(a).toHaveLength(100);
    expect(a).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.:/@+=-]*$/);
    expect(a).not.toBe(b);
  });

  it('marks non-retryable failures and failed workflow runs important', () => {
    const nonRetryable = activityOutcome({
      error: { type: 'CardDeclined', message: 'no', nonRetryable: true },
    });
    expect(outcomeToContext(nonRetryable).priority).toBe('important');
    expect(outcomeToContext(nonRetryable).content).toContain('(non-retryable)');
  });
});
