import { connectSse, connectStdio, connectStreamableHttp } from './helpers/connect-transports';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// Every tool's semantics, and the bad inputs, through a real MCP client over each transport a
// Stompy client may use: Streamable HTTP, legacy SSE (both with a bearer token) and stdio (a
// `stompy-memory stdio` child process). The in-memory runs of the same semantics are the other files.

describe.each([
  ['Streamable HTTP', connectStreamableHttp],
  ['SSE', connectSse],
  ['stdio', connectStdio],
])('over %s', (_name, connect) => {
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect });
  });
  afterAll(async () => h?.close());

  it('lock_context: immutable versions per topic, identical content adds none', async () => {
    expect(
      await h.ok('lock_context', {
        topic: 'orders/customer:C9',
        content: 'first note',
        tags: 'customer:C9,issue',
      }),
    ).toMatchObject({
      topic: 'orders/customer:C9',
      version: '1.0',
      created: true,
    });
    expect(
      await h.ok('lock_context', {
        topic: 'orders/customer:C9',
        content: 'second note',
        priority: 'important',
      }),
    ).toMatchObject({
      version: '1.1',
      created: true,
    });
    expect(await h.ok('lock_context', { topic: 'orders/customer:C9', content: 'second note' })).toMatchObject(
      {
        version: '1.1',
        created: false,
      },
    );
  });

  it('recall_context: content, tags as an array, priority, access count and versions', async () => {
    const first = await h.ok<{ access_count: number }>('recall_context', { topic: 'orders/customer:C9' });
    expect(first).toMatchObject({
      version: '1.1',
      content: 'second note',
      priority: 'important',
      versions: ['1.0', '1.1'],
    });
    const again = await h.ok<{ access_count: number }>('recall_context', { topic: 'orders/customer:C9' });
    expect(again.access_count).toBe(first.access_count + 1);
    expect(await h.ok('recall_context', { topic: 'orders/customer:C9', version: '1.0' })).toMatchObject({
      content: 'first note',
      tags: ['customer:C9', 'issue'],
    });
  });

  it('recall_batch: found and not found in one call', async () => {
    expect(await h.ok('recall_batch', { topics: ['orders/customer:C9', 'missing'] })).toMatchObject({
      results: { 'orders/customer:C9': { found: true, version: '1.1' } },
      found: ['orders/customer:C9'],
      not_found: ['missing'],
    });
  });

  it('context_search: plain-text queries, tag filters, Stompy’s result shape', async () => {
    await h.ok('lock_context', {
      topic: 'other',
      content: 'GatewayTimeout for customer C1',
      tags: 'customer:C1,issue',
    });
    const found = await h.ok<{
      results: { topic: string; metadata: { tags: string[] } }[];
      total_found: number;
      search_mode: string;
    }>('context_search', { query: 'GatewayTimeout', tags: 'customer:C1' });
    expect(found.results.map((r) => r.topic)).toEqual(['other']);
    // Tags belong to a version: the latest version of orders/customer:C9 was locked without any.
    expect(
      (await h.ok<{ results: unknown[] }>('context_search', { query: 'note', tags: 'customer:C9' })).results,
    ).toEqual([]);
    expect(found.results[0]).toEqual(
      expect.objectContaining({
        label: 'other',
        preview: expect.any(String) as unknown,
        bm25_score: expect.any(Number) as unknown,
      }),
    );
    for (const query of ['"unbalanced', 'NEAR(a b', 'x OR', '-GatewayTimeout*', '(((']) {
      expect((await h.call('context_search', { query })).isError).toBe(false);
    }
  });

  it('context_explore and context_dashboard describe the project', async () => {
    expect(await h.ok('context_explore', {})).toMatchObject({ total: 2 });
    expect(await h.ok('context_dashboard', {})).toMatchObject({ total_topics: 2, total_versions: 3 });
  });

  it('unlock_context archives, restores the previous latest, and refuses a match-everything pattern', async () => {
    expect(await h.ok('unlock_context', { topic: 'orders/customer:C9', version: 'latest' })).toMatchObject({
      count: 1,
      archived: true,
    });
    expect(await h.ok('recall_context', { topic: 'orders/customer:C9' })).toMatchObject({ version: '1.0' });
    expect((await h.fail('unlock_context', { topic_pattern: '*' })).message).toMatch(
      /every topic|everything|all topics/i,
    );
  });

  it('refuses bad input clearly and changes nothing', async () => {
    const before = await h.dashboard();
    const refusals = [
      await h.fail('lock_context', { topic: "x'; DROP TABLE contexts; --", content: 'c' }),
      await h.fail('lock_context', { topic: 'ok', content: 'c', tags: "a,b'--" }),
      await h.fail('lock_context', { topic: '', content: 'c' }),
      await h.fail('lock_context', { topic: 'ok', content: 'lone \ud800 surrogate' }),
      await h.fail('lock_context', { topic: 'ok', content: 'x'.repeat(1024 * 1024 + 1) }),
      await h.fail('lock_context', { topic: 'ok' }),
      await h.fail('lock_context', { topic: 42, content: 'c' }),
      await h.fail('no_such_tool', {}),
    ];
    for (const refusal of refusals) expect(refusal.message.length).toBeGreaterThan(10);
    expect(await h.dashboard()).toEqual(before);
  });
});
