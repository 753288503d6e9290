import { hourOfWeek } from '@temporal-stompy/insights';
import type { ServerProfile } from '../config';
import type { RecallBatchResult } from '../store/types';
import { anyNumber } from './helpers/matchers';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { TRANSPORTS } from './helpers/transports';

// Every tool declares an outputSchema, and every form of result it sends fits it. The harness's
// client has listed the tools, so `Client.callTool` checks each result against the listed schema and
// throws when it does not fit (as any SDK client does); `h.ok` also checks that the text and the
// structured content agree.

const PROFILES: readonly ServerProfile[] = ['local', 'hosted'];

/** One call, and what its result must show so that the case covers the form it is named for. */
interface ToolCase {
  readonly name: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly check: (result: Record<string, unknown>) => void;
}

const ORDER_NOTE = 'Order 17 for customer C1 shipped from warehouse 3 after a gateway timeout.';
const REFUND_NOTE = 'Refund 4 for customer C1 went to the backup gateway; the bank answered in 2 s.';
const LONG_NOTE = Array.from({ length: 40 }, (_, i) => `note ${i} says order ${i} shipped.`).join(' ');

const WEEK_MS = 7 * 86_400_000;
const TUESDAY_3PM = Date.UTC(2026, 0, 6, 15, 10);

/** Outcomes of chargePayment: build v1 runs well all week; build v2 fails on Tuesdays at 15:00. */
function paymentOutcomes(): Record<string, unknown>[] {
  return Array.from({ length: 38 }, (_, i) => {
    const failed = i >= 30;
    const eventTimeMs = failed ? TUESDAY_3PM + (i - 30) * WEEK_MS : TUESDAY_3PM + i * 5 * 3_600_000;
    const facts = {
      kind: 'activity',
      workflowType: 'OrderWorkflow',
      activityType: 'chargePayment',
      failed,
      ...(failed ? { issue: 'GatewayTimeout', message: 'no answer' } : {}),
      durationMs: 100 + i,
      eventTimeMs,
      timeZone: 'UTC',
      window: hourOfWeek(eventTimeMs),
      version: failed ? 'v2' : 'v1',
      ...(i % 10 === 1 ? { handling: 'backup-gateway' } : {}),
    };
    return {
      topic: `payments/${i}`,
      content: `payment ${i}`,
      outcome: { keys: ['activity:chargePayment'], facts },
    };
  });
}

const CASES: readonly ToolCase[] = [
  {
    name: 'lock_context storing a new version',
    tool: 'lock_context',
    args: { topic: 'fresh', content: 'a first version', tags: 'a,b', priority: 'important' },
    check: (r) => expect(r).toMatchObject({ topic: 'fresh', version: '1.0', created: true }),
  },
  {
    name: 'lock_context with content identical to the latest version',
    tool: 'lock_context',
    args: { topic: 'orders/C2', content: ORDER_NOTE },
    check: (r) => expect(r).toMatchObject({ version: '1.0', created: false }),
  },
  {
    name: 'lock_context_batch with a stored and a refused entry',
    tool: 'lock_context_batch',
    args: {
      contexts: [
        { topic: 'batch/ok', content: 'stored' },
        { topic: '--bad', content: 'x' },
      ],
    },
    check: (r) =>
      expect(r).toMatchObject({
        stored: 1,
        refused: 1,
        results: [
          { topic: 'batch/ok', created: true },
          { topic: '--bad', error: 'invalid_input', field: 'topic' },
        ],
      }),
  },
  {
    name: 'lock_context_batch with an outcome',
    tool: 'lock_context_batch',
    args: { contexts: paymentOutcomes().slice(0, 1) },
    check: (r) => expect(r).toMatchObject({ stored: 1, results: [{ topic: 'payments/0', created: false }] }),
  },
  {
    name: 'outcome_insights with a pattern, a regression and a key without outcomes',
    tool: 'outcome_insights',
    args: { keys: ['activity:chargePayment', 'customer:none'] },
    check: (r) => {
      expect(r).toMatchObject({
        base: { runs: 38, failures: 8 },
        insights: [
          {
            runs: 38,
            regression: { version: 'v2', previousVersion: 'v1' },
            lastFailure: { type: 'GatewayTimeout' },
          },
          { runs: 0, windows: [] },
        ],
      });
      const [payment] = r.insights as { patterns: unknown[] }[];
      expect(payment?.patterns).toHaveLength(1);
    },
  },
  {
    name: 'recall_context of the latest version',
    tool: 'recall_context',
    args: { topic: 'orders/C1' },
    check: (r) =>
      expect(r).toMatchObject({ version: '1.1', versions: ['1.0', '1.1'], tags: ['customer:C1'] }),
  },
  {
    name: 'recall_context of an older version',
    tool: 'recall_context',
    args: { topic: 'orders/C1', version: '1.0' },
    check: (r) => expect(r).toMatchObject({ version: '1.0', content: ORDER_NOTE, priority: 'important' }),
  },
  {
    name: 'recall_batch with found and missing topics',
    tool: 'recall_batch',
    args: { topics: ['orders/C1', 'orders/none'] },
    check: (r) => {
      const batch = r as unknown as RecallBatchResult;
      expect(batch).toMatchObject({ found: ['orders/C1'], not_found: ['orders/none'] });
      expect(batch.results).toEqual([
        expect.objectContaining({ topic: 'orders/C1', found: true, content: REFUND_NOTE }),
        { topic: 'orders/none', found: false },
      ]);
    },
  },
  {
    name: 'recall_batch with preview_only',
    tool: 'recall_batch',
    args: { topics: ['orders/C1'], preview_only: true },
    check: (r) => {
      const [entry] = (r as unknown as RecallBatchResult).results;
      expect(entry).toMatchObject({ topic: 'orders/C1', preview: REFUND_NOTE });
      expect(entry).not.toHaveProperty('content');
    },
  },
  {
    name: 'unlock_context archiving a topic',
    tool: 'unlock_context',
    args: { topic: 'to-archive' },
    check: (r) =>
      expect(r).toEqual({ removed: [{ topic: 'to-archive', version: '1.0' }], archived: true, count: 1 }),
  },
  {
    name: 'unlock_context deleting by a pattern that matches nothing',
    tool: 'unlock_context',
    args: { topic_pattern: 'nothing/*', archive: false },
    check: (r) => expect(r).toEqual({ removed: [], archived: false, count: 0 }),
  },
  {
    name: 'context_search with words',
    tool: 'context_search',
    args: { query: 'warehouse' },
    check: (r) => expect(r).toMatchObject({ search_mode: 'bm25+recency', total_found: 1 }),
  },
  {
    name: 'context_search with tags only',
    tool: 'context_search',
    args: { query: '', tags: 'customer:C1', priority: 'important', limit: 5 },
    check: (r) => expect(r).toMatchObject({ search_mode: 'recency', total_found: 1 }),
  },
  {
    name: 'context_explore',
    tool: 'context_explore',
    args: { limit: 2 },
    check: (r) => {
      expect((r.topics as unknown[]).length).toBe(2);
      expect((r.contexts as unknown[]).length).toBe(2);
    },
  },
  {
    name: 'context_dashboard',
    tool: 'context_dashboard',
    args: {},
    check: (r) =>
      expect(r).toMatchObject({
        total_topics: anyNumber(),
        total_contexts: anyNumber(),
        stale_count: 0,
        by_priority: { important: anyNumber() },
      }),
  },
];

describe.each(TRANSPORTS)('tool output schemas over $name', (transport) => {
  describe.each(PROFILES)('%s profile', (profile) => {
    let h: ToolHarness;
    beforeAll(async () => {
      // One harness for the whole block: no burst cap, so the block's calls fit the per-minute cap.
      h = await openToolHarness({
        config: { profile, extraTools: 'all', burstPer10s: null },
        connect: transport.connect,
      });
      const tags = 'customer:C1';
      await h.ok('lock_context', { topic: 'orders/C1', content: ORDER_NOTE, tags, priority: 'important' });
      await h.ok('lock_context', { topic: 'orders/C1', content: REFUND_NOTE, tags, priority: 'important' });
      await h.ok('lock_context', { topic: 'orders/C2', content: ORDER_NOTE });
      await h.ok('lock_context', { topic: 'to-archive', content: 'archived by a case below' });
      await h.ok('lock_context_batch', { contexts: paymentOutcomes() });
    });
    afterAll(async () => {
      await h.close();
    });

    it('lists an outputSchema for every tool', async () => {
      const { tools } = await h.client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(8);
      expect(tools.filter((tool) => tool.outputSchema?.type !== 'object').map((tool) => tool.name)).toEqual(
        [],
      );
    });

    it.each(CASES)('sends $name in a form its outputSchema accepts', async ({ tool, args, check }) => {
      check(await h.ok(tool, args));
    });

    it('still returns a refusal as an isError result with its JSON body, not as a schema error', async () => {
      const refused = await h.call('recall_context', { topic: 'orders/none' });
      expect(refused).toMatchObject({ isError: true, structured: undefined });
      expect(refused.json).toMatchObject({ error: 'not_found', topic: 'orders/none' });
    });
  });

  it('sends a batch entry refused by the novelty gate with its details (hosted profile)', async () => {
    const h = await openToolHarness({
      config: { profile: 'hosted', extraTools: 'all' },
      connect: transport.connect,
    });
    try {
      await h.ok('lock_context', { topic: 'notes', content: LONG_NOTE });
      const batch = await h.ok('lock_context_batch', {
        contexts: [{ topic: 'notes', content: `${LONG_NOTE} Yes.` }],
      });
      expect(batch).toMatchObject({
        stored: 0,
        refused: 1,
        results: [{ topic: 'notes', error: 'insufficient_novelty', latest_version: '1.0', threshold: 0.1 }],
      });
    } finally {
      await h.close();
    }
  });

  describe.each([
    { tool: 'lock_context', args: { topic: 't', content: 'x' } },
    { tool: 'lock_context_batch', args: { contexts: [{ topic: 't', content: 'x' }] } },
    { tool: 'unlock_context', args: { topic_pattern: 't*' } },
  ])('$tool near the rate limit (hosted profile)', ({ tool, args }) => {
    it('sends a usage_warning its outputSchema accepts, then a rate_limit_exceeded refusal', async () => {
      // One call a minute: the first call uses 100% of the cap, the second is refused.
      const h = await openToolHarness({
        config: { profile: 'hosted', extraTools: 'all', rateLimitPerMinute: 1 },
        connect: transport.connect,
      });
      try {
        const result = await h.ok(tool, args);
        expect(result.usage_warning).toMatchObject({ used: 1, cap: 1, pct: 100 });
        const refused = await h.call(tool, args);
        expect(refused).toMatchObject({ isError: true, structured: undefined });
        expect(refused.json).toMatchObject({
          error: 'rate_limit_exceeded',
          retry_after_seconds: anyNumber(),
        });
      } finally {
        await h.close();
      }
    });
  });
});
