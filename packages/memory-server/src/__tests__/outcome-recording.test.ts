import { hourOfWeek, type OutcomeFacts } from '@temporal-stompy/insights';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// An outcome written with its context through lock_context_batch is counted once per project and
// topic, only when the context is newly stored: a retried or duplicated write never counts twice, a
// refused entry counts nothing, and a bad outcome refuses its entry alone.

interface BatchResult {
  results: Array<{ topic: string; created?: boolean; error?: string; message?: string; field?: string }>;
  stored: number;
  refused: number;
}

interface Insights {
  base: { runs: number; failures: number };
  insights: Array<{ key: string; runs: number; failures: number }>;
}

const AT = Date.UTC(2026, 2, 3, 15, 20);
const FACTS: OutcomeFacts = {
  kind: 'activity',
  workflowType: 'OrderWorkflow',
  activityType: 'chargePayment',
  failed: true,
  issue: 'GatewayTimeout',
  message: 'the gateway timed out',
  durationMs: 5000,
  eventTimeMs: AT,
  timeZone: 'UTC',
  window: hourOfWeek(AT),
};
const KEYS = ['activity:chargePayment', 'customer:C1'];
const OUTCOME = { keys: KEYS, facts: FACTS };

function entry(topic: string, outcome: unknown = OUTCOME, content = `note of ${topic}`) {
  return { topic, content, outcome };
}

describe.each(['sqlite', 'postgres'] as const)('outcomes written with lock_context_batch on %s', (store) => {
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ store });
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.close();
  });

  const counted = async (project?: string) =>
    h.ok<Insights>('outcome_insights', { keys: KEYS, ...(project ? { project } : {}) });

  it('counts an outcome written twice in one batch, or again in another call, once', async () => {
    const batch = await h.ok<BatchResult>('lock_context_batch', {
      contexts: [entry('t/1'), entry('t/1')],
    });
    expect(batch.results.map((r) => r.created)).toEqual([true, false]);
    await h.ok('lock_context_batch', { contexts: [entry('t/1')] });
    // A retry whose note differs stores a new version of the topic, and still counts nothing more.
    const retried = await h.ok<BatchResult>('lock_context_batch', {
      contexts: [entry('t/1', OUTCOME, 'note of t/1, written again')],
    });
    expect(retried.results[0]).toMatchObject({ created: true });
    const result = await counted();
    expect(result.base).toEqual({ runs: 1, failures: 1 });
    expect(result.insights.map((i) => [i.key, i.runs, i.failures])).toEqual([
      ['activity:chargePayment', 1, 1],
      ['customer:C1', 1, 1],
    ]);
  });

  it('counts a key listed twice in one outcome once, and an entry without an outcome not at all', async () => {
    await h.ok('lock_context_batch', {
      contexts: [
        entry('t/1', { keys: ['customer:C1', 'customer:C1'], facts: FACTS }),
        { topic: 't/2', content: 'no outcome' },
        { topic: 't/3', content: 'null outcome', outcome: null },
      ],
    });
    expect((await counted()).base).toEqual({ runs: 1, failures: 1 });
    expect((await counted()).insights[1]).toMatchObject({ key: 'customer:C1', runs: 1 });
  });

  it('counts per project: the same topic in two projects is two outcomes', async () => {
    await h.ok('lock_context_batch', { contexts: [entry('t/1')], project: 'a' });
    await h.ok('lock_context_batch', { contexts: [entry('t/1')], project: 'b' });
    expect((await counted('a')).base.runs).toBe(1);
    expect((await counted('b')).base.runs).toBe(1);
    expect((await counted()).base.runs).toBe(0);
  });

  it('counts nothing for an entry refused for its context', async () => {
    const batch = await h.ok<BatchResult>('lock_context_batch', {
      contexts: [entry('bad topic'), { ...entry('t/2'), content: '' }, entry('t/3')],
    });
    expect(batch).toMatchObject({ stored: 1, refused: 2 });
    expect((await counted()).base.runs).toBe(1);
  });

  it.each([
    ['not an object', 'outcome', 'outcome: must be an object {keys, facts}'],
    ['no keys', { keys: [], facts: FACTS }, 'outcome.keys: give 1 to 20 keys'],
    ['21 keys', { keys: Array.from({ length: 21 }, (_, i) => `k${i}`), facts: FACTS }, 'give 1 to 20 keys'],
    [
      'an empty key',
      { keys: ['customer:C1', ''], facts: FACTS },
      'outcome.keys[1]: must be a non-empty string',
    ],
    ['a key too long', { keys: ['k'.repeat(201)], facts: FACTS }, 'of at most 200 characters'],
    ['no facts', { keys: KEYS }, 'outcome.facts: outcome facts must be an object'],
    [
      'facts of a bad kind',
      { keys: KEYS, facts: { ...FACTS, kind: 'job' } },
      'kind must be "workflow" or "activity"',
    ],
    ['facts without failed', { keys: KEYS, facts: { ...FACTS, failed: 'yes' } }, 'failed must be a boolean'],
    [
      'a window out of range',
      { keys: KEYS, facts: { ...FACTS, window: 168 } },
      'window must be an hour of the week',
    ],
    ['a numeric issue', { keys: KEYS, facts: { ...FACTS, issue: 42 } }, 'issue must be a string'],
    [
      'a time no Date holds',
      { keys: KEYS, facts: { ...FACTS, eventTimeMs: 1e300 } },
      'eventTimeMs must be a time',
    ],
  ])('refuses an entry whose outcome has %s, alone, storing nothing for it', async (_, outcome, message) => {
    const batch = await h.ok<BatchResult>('lock_context_batch', {
      contexts: [entry('t/1'), entry('t/bad', outcome), entry('t/3')],
    });
    expect(batch).toMatchObject({ stored: 2, refused: 1 });
    expect(batch.results[1]).toMatchObject({ topic: 't/bad', error: 'invalid_input' });
    expect(batch.results[1]?.message).toContain(message);
    expect(batch.results[1]?.field).toMatch(/^outcome/);
    expect((await counted()).base.runs).toBe(2);
    expect(await h.fail('recall_context', { topic: 't/bad' })).toMatchObject({ error: 'not_found' });
  });

  it('reads null optional facts as absent', async () => {
    const facts = { ...FACTS, failed: false, issue: null, message: null, version: null, handling: null };
    await h.ok('lock_context_batch', { contexts: [entry('t/1', { keys: KEYS, facts })] });
    const result = await h.ok<{ insights: Array<Record<string, unknown>> }>('outcome_insights', {
      keys: ['activity:chargePayment'],
    });
    expect(result.insights[0]).toMatchObject({
      runs: 1,
      failures: 0,
      versions: [],
      handling: { default: {} },
    });
  });
});

describe.each(['sqlite', 'postgres'] as const)('outcomes and the hosted novelty gate on %s', (store) => {
  it('counts nothing for an entry the novelty gate refuses', async () => {
    const h = await openToolHarness({ config: { profile: 'hosted', extraTools: 'all' }, store });
    try {
      const note = Array.from({ length: 40 }, (_, i) => `line ${i} of the outcome note.`).join(' ');
      await h.ok('lock_context', { topic: 't/1', content: note });
      const batch = await h.ok<BatchResult>('lock_context_batch', {
        contexts: [entry('t/1', OUTCOME, `${note} More.`)],
      });
      expect(batch.results[0]).toMatchObject({ error: 'insufficient_novelty' });
      expect((await h.ok<Insights>('outcome_insights', { keys: KEYS })).base.runs).toBe(0);
    } finally {
      await h.close();
    }
  });
});
