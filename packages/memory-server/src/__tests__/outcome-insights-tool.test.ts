import { hourOfWeek } from '@temporal-stompy/insights';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { STORE_CONFORMANCE } from './helpers/transports';

// outcome_insights: this server's extra, which the plugin finds with tools/list. Over every transport
// a client may use: listed with its schemas, answering what outcomes were written, refusing bad input
// clearly, and counting as one call against the rate limit.

const AT = Date.UTC(2026, 2, 3, 15, 20);

function outcomeEntry(n: number, failed: boolean) {
  const eventTimeMs = AT + n * 60_000;
  return {
    topic: `temporal:act:order-${n}`,
    content: `chargePayment for customer C1: ${failed ? 'failed' : 'completed'}`,
    outcome: {
      keys: ['activity:chargePayment', 'customer:C1'],
      facts: {
        kind: 'activity',
        workflowType: 'OrderWorkflow',
        activityType: 'chargePayment',
        failed,
        ...(failed ? { issue: 'GatewayTimeout', message: 'no answer within 5 s' } : {}),
        durationMs: 120,
        eventTimeMs,
        timeZone: 'UTC',
        window: hourOfWeek(eventTimeMs),
        version: '2026.3.1',
      },
    },
  };
}

describe.each(STORE_CONFORMANCE)('outcome_insights over $name', ({ connect, store }) => {
  let h: ToolHarness;
  afterEach(async () => h?.close());

  it('is listed with its arguments and an outputSchema, read-only', async () => {
    h = await openToolHarness({ connect, store });
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === 'outcome_insights');
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(['keys', 'project', 'half_life_days']);
    expect(tool?.outputSchema).toMatchObject({ type: 'object', required: ['base', 'insights'] });
    expect(tool?.description).toMatch(/exact/i);
  });

  it('answers what the memory learned from outcomes written with lock_context_batch', async () => {
    h = await openToolHarness({ connect, store });
    await h.ok('lock_context_batch', {
      contexts: [outcomeEntry(0, false), outcomeEntry(1, true), outcomeEntry(2, false)],
    });
    const result = await h.ok<{ base: unknown; insights: Array<Record<string, unknown>> }>(
      'outcome_insights',
      { keys: ['customer:C1', 'customer:C2'], half_life_days: 7 },
    );
    expect(result.base).toEqual({ runs: 3, failures: 1 });
    expect(result.insights[0]).toMatchObject({
      key: 'customer:C1',
      exact: true,
      runs: 3,
      failures: 1,
      timeZone: 'UTC',
      windows: [{ window: hourOfWeek(AT), runs: 3, failures: 1 }],
      commonIssues: [{ type: 'GatewayTimeout', count: 1 }],
      lastFailure: { at: new Date(AT + 60_000).toISOString(), type: 'GatewayTimeout' },
      versions: [{ version: '2026.3.1', runs: 3, failures: 1 }],
    });
    expect(result.insights[1]).toMatchObject({ key: 'customer:C2', runs: 0, windows: [] });
    expect(result.insights[1]?.lastFailure).toBeUndefined();
  });

  it('counts as one call against the rate limit', async () => {
    h = await openToolHarness({
      config: { profile: 'hosted', extraTools: 'all', rateLimitPerMinute: 2 },
      connect,
    });
    await h.ok('lock_context_batch', { contexts: [outcomeEntry(0, true), outcomeEntry(1, true)] });
    const many = Array.from({ length: 50 }, (_, i) => `customer:C${i}`);
    expect((await h.ok<{ insights: unknown[] }>('outcome_insights', { keys: many })).insights).toHaveLength(
      50,
    );
    expect((await h.fail('outcome_insights', { keys: ['customer:C1'] })).error).toBe('rate_limit_exceeded');
  });
});

describe.each(STORE_CONFORMANCE)('outcome_insights refusing bad input over $name', ({ connect, store }) => {
  let shared: ToolHarness;
  beforeAll(async () => {
    shared = await openToolHarness({ connect, store });
  });
  afterAll(async () => {
    await shared.close();
  });

  it.each([
    ['no keys', { keys: [] }, 'keys: give 1 to 50 keys'],
    ['51 keys', { keys: Array.from({ length: 51 }, (_, i) => `customer:C${i}`) }, 'keys: give 1 to 50 keys'],
    ['an empty key', { keys: ['customer:C1', ''] }, 'keys[1]: must be a non-empty string'],
    [
      'a half-life of 0',
      { keys: ['k'], half_life_days: 0 },
      'half_life_days: must be a number of days over 0',
    ],
    ['a negative half-life', { keys: ['k'], half_life_days: -3 }, 'half_life_days: must be a number'],
    ['a half-life over ten years', { keys: ['k'], half_life_days: 3651 }, 'at most 3650'],
    ['a bad project', { keys: ['k'], project: 'no such project!' }, 'project: must be 1 to 64 characters'],
  ])('refuses %s clearly', async (_, args, message) => {
    const refused = await shared.fail('outcome_insights', args);
    expect(refused.error).toBe('invalid_input');
    expect(refused.message).toContain(message);
  });

  it('refuses keys that are not a list of strings, as the SDK refuses bad argument types', async () => {
    const refused = await shared.fail('outcome_insights', { keys: 'customer:C1' });
    expect(refused.message).toMatch(/keys/);
  });
});
