import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { STORE_CONFORMANCE } from './helpers/transports';

// context_search_batch: this server's extra to Stompy's surface, used by the plugin when tools/list
// offers it, so a recall of several keys costs one call. Each search answers as context_search would.

interface SearchResult {
  results: { topic: string }[];
  total_found: number;
}

describe.each(STORE_CONFORMANCE)('context_search_batch over $name', ({ connect, store }) => {
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect, store });
    for (const [topic, content, tags] of [
      ['o/1', 'Customer: C1\nIssues: GatewayTimeout', 'customer:C1,issue'],
      ['o/2', 'Customer: C1\nIssues: none', 'customer:C1'],
      ['o/3', 'Customer: C2\nIssues: none', 'customer:C2'],
    ]) {
      await h.ok('lock_context', { topic, content, tags });
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers each search as context_search does, in order', async () => {
    const searches = [
      { query: 'C1', tags: 'customer:C1', limit: 10 },
      { query: 'C1', tags: ['customer:C1', 'issue'], limit: 10 },
      { query: 'C2', tags: 'customer:C2' },
    ];
    const batch = await h.ok<{ results: SearchResult[] }>('context_search_batch', { searches });
    const one = await Promise.all(searches.map((s) => h.ok<SearchResult>('context_search', s)));
    expect(batch.results).toEqual(one);
    expect(batch.results.map((r) => r.results.map((hit) => hit.topic).sort())).toEqual([
      ['o/1', 'o/2'],
      ['o/1'],
      ['o/3'],
    ]);
  });

  it('refuses one bad search without the others, and a call without searches or with too many', async () => {
    const batch = await h.ok<{ results: (SearchResult | { error: string; message: string })[] }>(
      'context_search_batch',
      {
        searches: [
          { query: 'C1', tags: 'bad tag!' },
          { query: 'C2', tags: 'customer:C2' },
        ],
      },
    );
    expect(batch.results[0]).toMatchObject({ error: 'invalid_input' });
    expect(batch.results[1]).toMatchObject({ total_found: 1 });
    expect((await h.fail('context_search_batch', { searches: [] })).message).toMatch(/1 to 20/);
    const many = Array.from({ length: 21 }, () => ({ query: 'C1' }));
    expect((await h.fail('context_search_batch', { searches: many })).message).toMatch(/1 to 20/);
  });
});
