import type { SearchHit } from '../../mcp/result-forms';
import type { StompyClient } from '../../mcp/stompy-client';
import { StompyToolError } from '../../mcp/stompy-errors';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { MemoryRecall } from '../memory-recall';

// What recall hands an activity is shared and computed once: frozen, so an activity cannot change
// what the next one recalls; a key's summary is worked out when its memories change, not on every
// recall; and a recall that could not call the server, for its share of the calls or for the server's
// own rate limit, is counted.

const FAILURE =
  'Workflow: W (w, run r)\nSuccess: no\nStatus: failed\nIssues: CardDeclined: no funds\nDuration: 40 ms\nStarted: 2026-11-25T06:00:00.000Z';

function hit(topic: string): SearchHit {
  return {
    topic,
    version: '1.0',
    content: FAILURE,
    tags: ['customer:C1'],
    priority: 'reference',
    lockedAt: undefined,
    score: 1,
  };
}

function recallWith(
  settings: { maxCallsPerMinute?: number } = {},
  now = () => Date.UTC(2026, 10, 25),
  refusal?: StompyToolError,
) {
  let searches = 0;
  const client = {
    // A server with Stompy's tools only: two searches a key.
    // Takes writes in batches: recall searches (digests are for servers without it).
    extraTools: () => Promise.resolve({ batchWrites: true, batchSearch: false, outcomeInsights: false }),
    search: () => {
      searches += 1;
      return refusal ? Promise.reject(refusal) : Promise.resolve([hit('t1')]);
    },
  } as unknown as StompyClient;
  const counters = new PluginCounters();
  const logs = capturingLogger();
  const recall = new MemoryRecall(
    () => client,
    { budgetMs: 100, perKeyLimit: 20, cacheTtlMs: 60_000, cacheMaxKeys: 100, maxMemories: 10, ...settings },
    logs.logger,
    counters,
    now,
  );
  return { recall, counters, logs, searches: () => searches };
}

it('hands out a frozen context: changing it throws and changes nothing for the next activity', async () => {
  const { recall } = recallWith();
  const first = (await recall.recall(['customer:C1']))!;
  expect(Object.isFrozen(first)).toBe(true);
  const memory = first.memories[0]!;
  expect(() => (memory.tags as string[]).push('forged')).toThrow(TypeError);
  expect(() => ((memory as { content: string }).content = 'Success: yes')).toThrow(TypeError);
  expect(() => ((first.insights['customer:C1'] as { failures: number }).failures = 0)).toThrow(TypeError);
  const next = (await recall.recall(['customer:C1']))!;
  expect(next.memories[0]).toMatchObject({ content: FAILURE, tags: ['customer:C1'] });
  expect(next.insights['customer:C1']?.failures).toBe(1);
});

it('works out a key’s insights once per change of its memories', async () => {
  const { recall, searches } = recallWith();
  const a = (await recall.recall(['customer:C1']))!;
  const b = (await recall.recall(['customer:C1', 'activity:pay']))!;
  expect(searches()).toBe(4); // the second key's fetch
  expect(b.insights['customer:C1']).toBe(a.insights['customer:C1']);
  recall.remember(['customer:C1'], { topic: 'mine', content: FAILURE, tags: [], time: undefined, score: 0 });
  const c = (await recall.recall(['customer:C1']))!;
  expect(c.insights['customer:C1']).not.toBe(a.insights['customer:C1']);
  expect(c.insights['customer:C1']?.failures).toBe(2);
});

it('counts the recalls that skipped the server at their share of the calls', async () => {
  const { recall, counters } = recallWith({ maxCallsPerMinute: 2 });
  expect((await recall.recall(['customer:A']))?.complete).toBe(true);
  expect((await recall.recall(['customer:B']))?.complete ?? false).toBe(false);
  expect(counters.snapshot()).toMatchObject({ recallsServed: 1, recallsRateLimited: 1, recallsFailed: 0 });
});

it("counts a recall the server refused for its rate limit (hosted Stompy's 429) as rate-limited, not failed", async () => {
  const refusal = new StompyToolError('context_search', 'rate_limit_exceeded', 'Rate limit exceeded', 12);
  const { recall, counters, logs } = recallWith({}, undefined, refusal);
  expect((await recall.recall(['customer:A']))?.complete ?? false).toBe(false);
  expect(counters.snapshot()).toMatchObject({ recallsServed: 0, recallsRateLimited: 1, recallsFailed: 0 });
  expect(logs.lines).toContainEqual(
    expect.objectContaining({
      retryAfterSeconds: 12,
      msg: expect.stringContaining('the memory server is at its rate limit') as unknown,
    }),
  );
});
