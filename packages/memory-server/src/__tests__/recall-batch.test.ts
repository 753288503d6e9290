import type { RecallBatchResult } from '../store/types';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { inProcessOnly, STORE_CONFORMANCE } from './helpers/transports';

describe.each(STORE_CONFORMANCE)('recall_batch over $name', (transport) => {
  const itInProcess = inProcessOnly(transport);
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect: transport.connect, store: transport.store });
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.close();
  });

  itInProcess(
    'returns one result per topic in request order, found or not, with found and not_found lists',
    async () => {
      const topics = Array.from({ length: 50 }, (_, i) => `batch/t${i}`);
      for (const [i, topic] of topics.entries()) {
        if (i % 2 === 0) continue;
        await h.ok('lock_context', { topic, content: `old ${i}`, tags: `n:${i}` });
        await h.ok('lock_context', { topic, content: `content ${i}`, tags: `n:${i}`, priority: 'important' });
      }
      const batch = await h.ok<RecallBatchResult>('recall_batch', { topics });
      expect(batch.found).toEqual(topics.filter((_, i) => i % 2 === 1));
      expect(batch.not_found).toEqual(topics.filter((_, i) => i % 2 === 0));
      expect(batch.results.map((entry) => entry.topic)).toEqual(topics);
      expect(batch.results[0]).toEqual({ topic: 'batch/t0', found: false });
      expect(batch.results.find((entry) => entry.topic === 'batch/t7')).toEqual({
        topic: 'batch/t7',
        found: true,
        version: '1.1',
        content: 'content 7',
        tags: ['n:7'],
        priority: 'important',
        locked_at: new Date(h.clock.time).toISOString(),
      });
    },
  );

  it('sends a 200-character preview instead of the content with preview_only', async () => {
    const content = 'x'.repeat(199) + '💳' + 'tail'.repeat(100);
    await h.ok('lock_context', { topic: 'long', content });
    const batch = await h.ok<RecallBatchResult>('recall_batch', { topics: ['long'], preview_only: true });
    const entry = batch.results[0];
    expect(entry).toMatchObject({ topic: 'long', found: true });
    expect(entry?.found === true ? entry.content : 'not found').toBeUndefined();
    // 199 characters: the emoji's surrogate pair is not split.
    expect(entry?.found === true ? entry.preview : 'not found').toBe('x'.repeat(199));
  });

  it('counts a repeated topic once', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'x' });
    const batch = await h.ok<RecallBatchResult>('recall_batch', { topics: ['a', 'a', 'b', 'b'] });
    expect(batch).toMatchObject({ found: ['a'], not_found: ['b'] });
    expect(batch.results.map((entry) => entry.topic)).toEqual(['a', 'b']);
  });

  it('refuses more than 50 topics and an empty list, with a clear message', async () => {
    const tooMany = await h.fail('recall_batch', { topics: Array.from({ length: 51 }, (_, i) => `t${i}`) });
    expect(tooMany.error).toBe('invalid_input');
    expect(tooMany.message).toMatch(/1 to 50 topics, got 51/);
    expect((await h.fail('recall_batch', { topics: [] })).message).toMatch(/1 to 50 topics, got 0/);
  });

  it('does not count accesses (recall_context does)', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'x' });
    await h.ok('recall_batch', { topics: ['a'] });
    expect(await h.ok('recall_context', { topic: 'a' })).toMatchObject({ access_count: 1 });
  });

  it('does not see archived topics nor other projects', async () => {
    await h.ok('lock_context', { topic: 'archived', content: 'x' });
    await h.ok('unlock_context', { topic: 'archived' });
    await h.ok('lock_context', { topic: 'elsewhere', content: 'x', project: 'other' });
    const batch = await h.ok<RecallBatchResult>('recall_batch', { topics: ['archived', 'elsewhere'] });
    expect(batch).toEqual({
      results: [
        { topic: 'archived', found: false },
        { topic: 'elsewhere', found: false },
      ],
      found: [],
      not_found: ['archived', 'elsewhere'],
    });
  });
});
