import type { SearchHit } from '../../mcp/result-forms';
import { StompyToolError } from '../../mcp/stompy-errors';
import type { SearchRequest, StompyClient } from '../../mcp/stompy-client';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { MemoryRecall } from '../memory-recall';

// Against a server with the batch search (our own), the keys a recall needs are fetched in one call:
// first-seen keys cost one round trip, and one call against the rate limit, not two a key.

const NOTE =
  'Workflow: W (w, run r)\nSuccess: no\nStatus: failed\nIssues: GatewayTimeout: slow\nDuration: 5 ms\nStarted: 2026-11-25T06:00:00.000Z';

function hit(topic: string): SearchHit {
  return {
    topic,
    version: '1.0',
    content: NOTE,
    tags: [],
    priority: 'reference',
    lockedAt: undefined,
    score: 1,
  };
}

function batchServer(answer: (search: SearchRequest) => SearchHit[] | StompyToolError) {
  const calls: SearchRequest[][] = [];
  const client = {
    // Takes writes in batches: recall searches (digests are for servers without it).
    extraTools: () => Promise.resolve({ batchWrites: true, batchSearch: true, outcomeInsights: false }),
    searchBatch: (searches: readonly SearchRequest[]) => {
      calls.push([...searches]);
      return Promise.resolve(searches.map(answer));
    },
    search: () => Promise.reject(new Error('one by one is not used when the batch is offered')),
  } as unknown as StompyClient;
  return { client, calls };
}

function recallWith(client: StompyClient, maxCallsPerMinute?: number) {
  const counters = new PluginCounters();
  const recall = new MemoryRecall(
    () => client,
    {
      budgetMs: 100,
      perKeyLimit: 20,
      cacheTtlMs: 60_000,
      cacheMaxKeys: 100,
      maxMemories: 10,
      maxCallsPerMinute,
    },
    capturingLogger().logger,
    counters,
  );
  return { recall, counters };
}

it('fetches every first-seen key of a recall in one call', async () => {
  const { client, calls } = batchServer((search) => [hit(`${search.tags?.join('+')}`)]);
  const { recall } = recallWith(client);
  const context = await recall.recall(['customer:C1', 'activity:pay']);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.map((s) => s.tags)).toEqual([
    ['customer:C1'],
    ['customer:C1', 'issue'],
    ['activity:pay'],
    ['activity:pay', 'issue'],
  ]);
  expect(context?.complete).toBe(true);
  expect(context?.insights['customer:C1']?.failures).toBe(2);
  await recall.recall(['customer:C1', 'activity:pay']);
  expect(calls).toHaveLength(1); // fresh: no call
});

it('counts one call a batch against its share of the calls', async () => {
  const { client, calls } = batchServer(() => [hit('t')]);
  // Two calls a minute: without the batch, one key's two searches would take both.
  const { recall, counters } = recallWith(client, 2);
  expect((await recall.recall(['customer:A', 'customer:B']))?.complete).toBe(true);
  expect((await recall.recall(['customer:C', 'customer:D']))?.complete).toBe(true);
  expect(calls).toHaveLength(2);
  expect(counters.snapshot().recallsRateLimited).toBe(0);
});

it('answers the keys whose searches went through when the server refuses one search', async () => {
  const refused = new StompyToolError('context_search_batch', 'invalid_input', 'bad tag', undefined);
  const { client } = batchServer((search) => (search.tags?.[0] === 'bad:key' ? refused : [hit('t')]));
  const { recall, counters } = recallWith(client);
  const context = await recall.recall(['customer:C1', 'bad:key']);
  expect(context?.complete).toBe(false);
  expect(context?.insights['customer:C1']?.failures).toBe(1);
  expect(context?.insights['bad:key']).toBeUndefined();
  expect(counters.snapshot().recallsFailed).toBe(1);
});
