import type { Outcome, OutcomeError } from '../../common/outcome';
import { outcomeToContext } from '../outcome-context';
import { MAX_OUTCOME_CONTENT_BYTES } from '../outcome-note';
import { parseOutcomeNote } from '../outcome-note-reader';
import { MAX_OUTCOME_TAGS } from '../outcome-tags';
import { outcomeTopic } from '../outcome-topic';
import { captureValue, DEFAULT_REDACTED_KEYS } from '../raw-capture';

const RUN_ID = '01a2116c-fa18-7071-ba26-6e345768f067';

function activityOutcome(overrides: Partial<Outcome> = {}): Outcome {
  return {
    kind: 'activity',
    execution: {
      namespace: 'default',
      taskQueue: 'orders',
      workflowId: 'order-42',
      runId: RUN_ID,
      workflowType: 'OrderWorkflow',
    },
    activity: { activityId: '2', activityType: 'chargePayment', attempt: 3, local: false },
    status: 'failed',
    error: { type: 'GatewayTimeout', message: 'primary gateway\ntimed out', nonRetryable: false },
    startedAtMs: Date.UTC(2026, 10, 25, 6, 0, 0),
    endedAtMs: Date.UTC(2026, 10, 25, 6, 0, 0) + 1234,
    keys: { tags: ['orders'], entities: { customer: 'C9' } },
    ...overrides,
  };
}

describe('outcome topics', () => {
  it('is readable for plain ids and the same for the same attempt', () => {
    const topic = outcomeTopic(activityOutcome());
    expect(topic).toBe(`temporal:act:default:order-42:${RUN_ID}:a2:3`);
    expect(outcomeTopic(activityOutcome({ status: 'completed' }))).toBe(topic);
  });

  it('differs per attempt, per local/remote activity and between workflow and activity outcomes', () => {
    const base = activityOutcome();
    const topics = new Set([
      outcomeTopic(base),
      outcomeTopic({ ...base, activity: { ...base.activity!, attempt: 4 } }),
      outcomeTopic({ ...base, activity: { ...base.activity!, local: true } }),
      outcomeTopic({ ...base, kind: 'workflow', activity: undefined }),
    ]);
    expect(topics.size).toBe(4);
  });

  it('hashes ids with unusual characters or that would pass 100 characters, deterministically', () => {
    for (const workflowId of ['order 42/ünïcode', 'o:42', 'x'.repeat(120)]) {
      const outcome = activityOutcome({ execution: { ...activityOutcome().execution, workflowId } });
      const topic = outcomeTopic(outcome);
      expect(topic).toMatch(/^temporal:act:h[a-z2-7]{40}$/);
      expect(topic.length).toBeLessThanOrEqual(100);
      expect(outcomeTopic(outcome)).toBe(topic);
    }
  });
});

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
    expect(parseOutcomeNote(outcomeToContext(activityOutcome()).content)).toEqual({
      success: false,
      status: 'failed',
      issueType: 'GatewayTimeout',
      issueMessage: 'primary gateway timed out',
      durationMs: 1234,
      startedAt: '2026-11-25T06:00:00.000Z',
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

describe('raw capture', () => {
  const settings = { args: true, result: true, redactKeys: DEFAULT_REDACTED_KEYS, maxChars: 200 };

  it('redacts secret-looking keys at any depth', () => {
    const text = captureValue(
      [{ customerId: 'C1', card: { cardNumber: '4111', cvv: '123' }, apiKey: 'k' }],
      settings,
    );
    expect(text).toContain('"customerId":"C1"');
    expect(text).not.toMatch(/4111|123|"k"/);
    expect(text).toContain('[redacted]');
  });

  it('renders cycles, BigInts, functions and throwing toJSON without throwing, and cuts long text', () => {
    const circular: Record<string, unknown> = { n: 10n, f: () => 1 };
    circular.self = circular;
    expect(captureValue(circular, settings)).toBe('{"n":"10n","f":"[function]","self":"[circular]"}');
    expect(
      captureValue(
        {
          toJSON: () => {
            throw new Error('no');
          },
        },
        settings,
      ),
    ).toBe('[unserializable]');
    expect(captureValue('x'.repeat(1000), settings)).toMatch(/^"x{199}… \(1002 chars\)$/);
  });
});
