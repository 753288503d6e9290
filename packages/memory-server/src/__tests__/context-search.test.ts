import type { ContextSearchResult } from '../store/types';
import { DAY_MS } from './helpers/fake-clock';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { inProcessOnly, STORE_CONFORMANCE } from './helpers/transports';
import { anyNumber } from './helpers/matchers';

describe.each(STORE_CONFORMANCE)('context_search over $name', (transport) => {
  const itInProcess = inProcessOnly(transport);
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect: transport.connect, store: transport.store });
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.close();
  });

  const search = (args: Record<string, unknown>): Promise<ContextSearchResult> =>
    h.ok<ContextSearchResult>('context_search', args);
  const topics = (result: ContextSearchResult): string[] => result.results.map((r) => r.topic);

  itInProcess(
    'returns Stompy-shaped results: id, label, content, preview, metadata, scores, total_found, search_mode',
    async () => {
      const locked = await h.ok<{ id: number }>('lock_context', {
        topic: 'payments/C1',
        content: 'card payment declined by issuer',
        tags: 'customer:C1,activity:chargeCard',
        priority: 'important',
      });
      const result = await search({ query: 'declined payment' });
      expect(result).toEqual({
        results: [
          {
            id: locked.id,
            label: 'payments/C1',
            topic: 'payments/C1',
            version: '1.0',
            content: 'card payment declined by issuer',
            preview: 'card payment declined by issuer',
            metadata: {
              tags: ['customer:C1', 'activity:chargeCard'],
              priority: 'important',
              created_at: new Date(h.clock.time).toISOString(),
            },
            bm25_score: anyNumber(),
            temporal_score: 1,
            score: 1,
          },
        ],
        total_found: 1,
        search_mode: 'bm25+recency',
      });
      expect(result.results[0]?.bm25_score).toBeGreaterThan(0);
    },
  );

  it('finds a context by its tag: customer:C9 matches the tag customer:C9, not customer:C8', async () => {
    await h.ok('lock_context', { topic: 'run/1', content: 'charge failed', tags: 'customer:C9' });
    await h.ok('lock_context', { topic: 'run/2', content: 'charge failed', tags: 'customer:C8' });
    expect(topics(await search({ query: 'customer:C9' }))).toEqual(['run/1']);
    expect(topics(await search({ query: 'customer:C9 charge' }))).toEqual(['run/1']);
  });

  it('finds words of the topic, and ranks a topic hit above a content hit', async () => {
    await h.ok('lock_context', {
      topic: 'notes/misc',
      content: 'the refund was slow this week, refund again',
    });
    await h.ok('lock_context', { topic: 'refund/policy', content: 'money back within 14 days' });
    expect(topics(await search({ query: 'refund' }))).toEqual(['refund/policy', 'notes/misc']);
  });

  it('searches only the latest live version of each topic', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'alpha words' });
    await h.ok('lock_context', { topic: 'a', content: 'beta words' });
    expect(topics(await search({ query: 'alpha' }))).toEqual([]);
    expect(topics(await search({ query: 'beta' }))).toEqual(['a']);
    expect((await search({ query: 'words' })).results).toHaveLength(1);
  });

  itInProcess(
    'blends recency in: temporal_score halves every 30 days and breaks relevance ties',
    async () => {
      await h.ok('lock_context', { topic: 'old', content: 'timeout calling the warehouse' });
      h.clock.advance(30 * DAY_MS);
      await h.ok('lock_context', { topic: 'new', content: 'timeout calling the warehouse' });
      const result = await search({ query: 'warehouse timeout' });
      expect(topics(result)).toEqual(['new', 'old']);
      expect(result.results[0]?.temporal_score).toBe(1);
      expect(result.results[1]?.temporal_score).toBeCloseTo(0.5, 6);
      expect(result.results[1]?.bm25_score).toBeCloseTo(result.results[0]?.bm25_score ?? 0, 6);
      expect(result.results[0]?.score).toBeGreaterThan(result.results[1]?.score ?? 1);
    },
  );

  itInProcess('lets strong relevance beat recency', async () => {
    await h.ok('lock_context', {
      topic: 'fraud/review',
      content: 'fraud review fraud review fraud',
      tags: 'fraud',
    });
    h.clock.advance(10 * DAY_MS);
    await h.ok('lock_context', {
      topic: 'daily/log',
      content: 'long log of many things, one of them a fraud mention, the rest unrelated text about shipping',
    });
    expect(topics(await search({ query: 'fraud' }))).toEqual(['fraud/review', 'daily/log']);
  });

  it('matches the tags of the latest version only, as a filter and as words', async () => {
    await h.ok('lock_context', { topic: 'orders/1', content: 'first note', tags: 'customer:C9,issue' });
    await h.ok('lock_context', { topic: 'orders/1', content: 'second note' });
    expect(topics(await search({ query: 'note', tags: 'customer:C9' }))).toEqual([]);
    expect(topics(await search({ query: 'customer:C9' }))).toEqual([]);
    expect(topics(await search({ query: 'note' }))).toEqual(['orders/1']);
  });

  it('requires every given tag, as a comma list or an array, matched exactly', async () => {
    await h.ok('lock_context', { topic: 'both', content: 'shipment delayed', tags: 'customer:C1,region:eu' });
    await h.ok('lock_context', { topic: 'one', content: 'shipment delayed', tags: 'customer:C1' });
    await h.ok('lock_context', {
      topic: 'lookalike',
      content: 'shipment delayed',
      tags: 'customer:C1:x,region:eu',
    });
    expect(topics(await search({ query: 'shipment', tags: 'customer:C1,region:eu' }))).toEqual(['both']);
    expect(topics(await search({ query: 'shipment', tags: ['region:eu', 'customer:C1'] }))).toEqual(['both']);
    expect(topics(await search({ query: 'shipment', tags: 'customer:C1' })).sort()).toEqual(['both', 'one']);
    expect(topics(await search({ query: 'shipment', tags: 'customer:C2' }))).toEqual([]);
  });

  itInProcess('filters by tags alone when the query has no words, newest first', async () => {
    await h.ok('lock_context', { topic: 'first', content: 'x', tags: 'customer:C1' });
    h.clock.advance(1000);
    await h.ok('lock_context', { topic: 'second', content: 'y', tags: 'customer:C1' });
    await h.ok('lock_context', { topic: 'untagged', content: 'z' });
    const result = await search({ query: '', tags: 'customer:C1' });
    expect(topics(result)).toEqual(['second', 'first']);
    expect(result.search_mode).toBe('recency');
    expect(result.results[0]?.bm25_score).toBe(0);
    expect(topics(await search({ query: '  ()  ', tags: ['customer:C1'], limit: 1 }))).toEqual(['second']);
  });

  it('filters by a common tag (over 1000 versions) as well as by a rare one', async () => {
    const bulk = Array.from({ length: 1005 }, (_, i) => ({
      topic: `bulk/${i}`,
      content: `bulk record ${i}`,
      tags: i === 500 ? 'common,rare' : 'common',
    }));
    for (let from = 0; from < bulk.length; from += 100)
      await h.deps.store.lockMany(bulk.slice(from, from + 100));
    expect((await search({ query: '', tags: 'common', limit: 3 })).results).toHaveLength(3);
    expect(topics(await search({ query: '', tags: 'common,rare' }))).toEqual(['bulk/500']);
    expect(topics(await search({ query: 'record', tags: 'rare' }))).toEqual(['bulk/500']);
    // A query matching more contexts than the candidate window still answers.
    expect((await search({ query: 'bulk record', limit: 100 })).results).toHaveLength(100);
  });

  itInProcess('lists the newest contexts for an empty query without filters', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'x' });
    h.clock.advance(1);
    await h.ok('lock_context', { topic: 'b', content: 'y' });
    expect(topics(await search({ query: '' }))).toEqual(['b', 'a']);
  });

  it('filters by priority', async () => {
    await h.ok('lock_context', { topic: 'rule', content: 'never retry fraud', priority: 'always_check' });
    await h.ok('lock_context', { topic: 'note', content: 'retry later', priority: 'reference' });
    expect(topics(await search({ query: 'retry', priority: 'always_check' }))).toEqual(['rule']);
    expect(topics(await search({ query: '', priority: 'reference' }))).toEqual(['note']);
  });

  it('falls back to any word when no context has all of them', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'payment declined' });
    await h.ok('lock_context', { topic: 'b', content: 'payment declined twice, zebra' });
    expect(topics(await search({ query: 'payment zebra' }))).toEqual(['b']);
    expect(topics(await search({ query: 'declined unicorn' })).sort()).toEqual(['a', 'b']);
  });

  it('isolates projects', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'secret plan', project: 'alpha' });
    await h.ok('lock_context', { topic: 'b', content: 'secret plan', project: 'beta' });
    expect(topics(await search({ query: 'secret', project: 'alpha' }))).toEqual(['a']);
    expect(topics(await search({ query: 'secret', project: 'beta' }))).toEqual(['b']);
    expect(topics(await search({ query: 'secret' }))).toEqual([]);
  });

  it('returns at most limit results (default 10) and refuses a limit over 100', async () => {
    for (let i = 0; i < 15; i++) await h.ok('lock_context', { topic: `t${i}`, content: `common word ${i}` });
    expect((await search({ query: 'common' })).results).toHaveLength(10);
    expect((await search({ query: 'common', limit: 3 })).results).toHaveLength(3);
    expect((await h.fail('context_search', { query: 'common', limit: 101 })).message).toMatch(
      /limit: must be a whole number from 1 to 100/,
    );
    expect((await h.fail('context_search', { query: 'common', limit: 0 })).error).toBe('invalid_input');
  });

  it('ignores accents and case', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'Café ÉCLAIR' });
    expect(topics(await search({ query: 'cafe eclair' }))).toEqual(['a']);
  });
});
