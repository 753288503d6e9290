import type { SearchHit } from '../../mcp/result-forms';
import type { StompyClient } from '../../mcp/stompy-client';
import { MAX_MEMORY_CONTENT_CHARS, MemoryRecall, type RecallSettings } from '../memory-recall';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';

// Unit tests of the cache and budget logic. The client is a scripted stand-in for StompyClient.search
// (timing is what is under test here); the real client against a real server is covered by the
// plugin's integration tests.

const SETTINGS: RecallSettings = {
  budgetMs: 50,
  perKeyLimit: 20,
  cacheTtlMs: 60_000,
  cacheMaxKeys: 100,
  maxMemories: 10,
};

function hit(topic: string, content: string, score = 1): SearchHit {
  return {
    topic,
    version: '1.0',
    content,
    tags: [],
    priority: 'reference',
    lockedAt: '2026-11-25T06:00:00.000Z',
    score,
  };
}

const FAILURE =
  'Workflow: W (w, run r)\nSuccess: no\nStatus: failed\nIssues: CardDeclined: no funds\nDuration: 40 ms\nStarted: 2026-11-25T06:00:00.000Z';
const SUCCESS =
  'Workflow: W (w, run r)\nSuccess: yes\nStatus: completed\nIssues: none\nDuration: 20 ms\nStarted: 2026-11-25T05:00:00.000Z';

function scriptedClient(answer: (query: string, tags: readonly string[]) => Promise<SearchHit[]>) {
  const calls: { query: string; tags: readonly string[] }[] = [];
  const client = {
    // A server with Stompy's tools only: two searches a key.
    // Takes writes in batches: recall searches (digests are for servers without it).
    extraTools: () => Promise.resolve({ batchWrites: true, batchSearch: false, outcomeInsights: false }),
    search: (query: string, options: { tags?: readonly string[] } = {}) => {
      calls.push({ query, tags: options.tags ?? [] });
      return answer(query, options.tags ?? []);
    },
  } as unknown as StompyClient;
  return { client, calls };
}

function recallWith(client: StompyClient, now = () => Date.now(), settings: Partial<RecallSettings> = {}) {
  const counters = new PluginCounters();
  const log = capturingLogger();
  return {
    recall: new MemoryRecall(() => client, { ...SETTINGS, ...settings }, log.logger, counters, now),
    counters,
    lines: log.lines,
  };
}

describe('MemoryRecall', () => {
  it('computes each key’s insights from its recent memories and its issues, and caches the answer', async () => {
    const { client, calls } = scriptedClient(async (_q, tags) =>
      tags.includes('issue') ? [hit('t1', FAILURE)] : [hit('t2', SUCCESS, 2), hit('t1', FAILURE)],
    );
    const { recall, counters } = recallWith(client);
    const context = await recall.recall(['customer:C1']);
    expect(context?.complete).toBe(true);
    // A server without the insights tool: insights from the recalled outcomes, and marked so.
    expect(context?.insights['customer:C1']).toMatchObject({
      key: 'customer:C1',
      exact: false,
      runs: 2,
      failures: 1,
      lastFailure: { at: '2026-11-25T06:00:00.000Z', type: 'CardDeclined', message: 'no funds' },
      commonIssues: [{ type: 'CardDeclined', count: 1 }],
      durationMs: { p50: 20, p95: 40 },
    });
    expect(context?.memories.map((m) => m.topic)).toEqual(['t2', 't1']);
    expect(calls).toEqual([
      { query: 'C1', tags: ['customer:C1'] },
      { query: 'C1', tags: ['customer:C1', 'issue'] },
    ]);
    await recall.recall(['customer:C1']);
    expect(calls).toHaveLength(2);
    expect(counters.snapshot().recallsServed).toBe(2);
  });

  it('answers within the budget when the server hangs, then warms the cache in the background', async () => {
    let release: (hits: SearchHit[]) => void = () => undefined;
    const slow = new Promise<SearchHit[]>((resolve) => (release = resolve));
    const { client } = scriptedClient(() => slow);
    const { recall, counters, lines } = recallWith(client);
    const started = Date.now();
    expect(await recall.recall(['customer:C1'])).toBeUndefined();
    // The fetch hangs until released: returning at all proves the budget, the bound only guards a regression.
    expect(Date.now() - started).toBeLessThan(SETTINGS.budgetMs + 1000);
    expect(counters.snapshot().recallsOverBudget).toBe(1);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('out of budget'))).toBe(true);
    release([hit('t1', FAILURE)]);
    await new Promise((r) => setImmediate(r));
    const warm = await recall.recall(['customer:C1']);
    expect(warm?.insights['customer:C1']?.failures).toBe(1);
  });

  it('logs and counts a failed fetch and never throws', async () => {
    const { client } = scriptedClient(() => Promise.reject(new Error('connection refused')));
    const { recall, counters, lines } = recallWith(client);
    await expect(recall.recall(['customer:C1'])).resolves.toBeUndefined();
    expect(counters.snapshot().recallsFailed).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => String(l.msg).includes('failed; the activity runs without fresh memory'))).toBe(
      true,
    );
  });

  it('shows what this worker just recorded before the server has it', async () => {
    const { client } = scriptedClient(async () => [hit('old', SUCCESS)]);
    const { recall } = recallWith(client);
    await recall.recall(['customer:C1']);
    recall.remember(['customer:C1'], {
      topic: 'new',
      content: FAILURE,
      tags: [],
      time: '2026-11-25T07:00:00.000Z',
      score: 0,
    });
    const context = await recall.recall(['customer:C1']);
    expect(context?.insights['customer:C1']).toMatchObject({ runs: 2, failures: 1 });
    expect(context?.memories[0]?.topic).toBe('new');
  });

  it('refetches a key once its cache entry is older than the TTL', async () => {
    let now = 0;
    const { client, calls } = scriptedClient(async () => []);
    const { recall } = recallWith(client, () => now);
    await recall.recall(['k']);
    now += SETTINGS.cacheTtlMs - 1;
    await recall.recall(['k']);
    expect(calls).toHaveLength(2);
    now += 2;
    await recall.recall(['k']);
    expect(calls).toHaveLength(4);
  });

  it('stops waiting while the server keeps missing the budget, logs once, and recovers when a fetch succeeds', async () => {
    let hang = true;
    const { client } = scriptedClient((query) =>
      hang ? new Promise<SearchHit[]>(() => undefined) : Promise.resolve([hit(`t-${query}`, SUCCESS)]),
    );
    const { recall, counters, lines } = recallWith(client);
    for (let i = 0; i < 3; i++) await recall.recall([`k${i}`]);
    const started = Date.now();
    for (let i = 3; i < 13; i++) await recall.recall([`k${i}`]);
    // Ten recalls of new keys in degraded mode cost far less than one budget each.
    expect(Date.now() - started).toBeLessThan(10 * SETTINGS.budgetMs);
    expect(counters.snapshot().recallsOverBudget).toBe(13);
    expect(lines.filter((l) => String(l.msg).includes('out of budget'))).toHaveLength(1);
    hang = false;
    await recall.recall(['fresh']);
    await new Promise((r) => setTimeout(r, 5));
    const context = await recall.recall(['fresh-2']);
    expect(context?.complete).toBe(true);
  });

  it('keeps to its share of the calls a minute, answering from the cache when it has none left', async () => {
    const { client, calls } = scriptedClient(async () => [hit('t1', SUCCESS)]);
    let now = Date.UTC(2026, 10, 25);
    // 6 calls a minute: one fetch (two searches) now, the next one 20 s later.
    const { recall, lines } = recallWith(client, () => now, { maxCallsPerMinute: 6 });
    expect((await recall.recall(['customer:A']))?.complete).toBe(true);
    expect(calls).toHaveLength(2);
    const starved = await recall.recall(['customer:B']);
    expect(starved?.complete ?? false).toBe(false);
    expect(calls).toHaveLength(2);
    expect(lines.filter((l) => String(l.msg).includes('maxCallsPerMinute'))).toHaveLength(1);
    now += 20_000;
    expect((await recall.recall(['customer:B']))?.complete).toBe(true);
    expect(calls.map((c) => c.tags[0])).toEqual(['customer:A', 'customer:A', 'customer:B', 'customer:B']);
  });

  it('forgets its own outcomes after ten minutes, and keeps at most 4,000 characters of any memory', async () => {
    const { client } = scriptedClient(async () => [hit('long', 'x'.repeat(10_000))]);
    let now = Date.UTC(2026, 10, 25);
    const { recall } = recallWith(client, () => now, { cacheTtlMs: 60 * 60_000 });
    recall.remember(['customer:C7'], { topic: 'mine', content: SUCCESS, tags: [], time: '', score: 1 });
    const first = await recall.recall(['customer:C7']);
    expect(first?.memories.map((m) => m.topic).sort()).toEqual(['long', 'mine']);
    expect(first?.memories.find((m) => m.topic === 'long')?.content).toHaveLength(
      MAX_MEMORY_CONTENT_CHARS + 1,
    );
    now += 10 * 60_000;
    expect((await recall.recall(['customer:C7']))?.memories.map((m) => m.topic)).toEqual(['long']);
  });
});
