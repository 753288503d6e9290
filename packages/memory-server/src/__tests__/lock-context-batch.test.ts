import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { STORE_CONFORMANCE } from './helpers/transports';

// lock_context_batch: this server's extra to Stompy's surface, used by the plugin when tools/list
// offers it. Each entry behaves exactly like lock_context; a refused entry stops nothing else.

interface BatchResult {
  results: Array<{ topic: string; version?: string; created?: boolean; error?: string; message?: string }>;
  stored: number;
  refused: number;
}

describe.each(STORE_CONFORMANCE)('lock_context_batch over $name', ({ connect, store }) => {
  let h: ToolHarness;
  afterEach(async () => h?.close());

  it('stores every context in one call with lock_context semantics', async () => {
    h = await openToolHarness({ connect, store });
    await h.ok('lock_context', { topic: 'a', content: 'first' });
    const batch = await h.ok<BatchResult>('lock_context_batch', {
      contexts: [
        { topic: 'a', content: 'second', tags: 'x,y', priority: 'important' },
        { topic: 'b', content: 'only', tags: ['z'] },
        { topic: 'b', content: 'only' },
      ],
    });
    expect(batch.stored).toBe(3);
    expect(batch.results.map((r) => [r.topic, r.version, r.created])).toEqual([
      ['a', '1.1', true],
      ['b', '1.0', true],
      ['b', '1.0', false],
    ]);
    const a = await h.ok<{ content: string; tags: string[]; priority: string }>('recall_context', {
      topic: 'a',
    });
    expect(a).toMatchObject({ content: 'second', tags: ['x', 'y'], priority: 'important' });
  });

  it('refuses a bad entry alone, changing nothing for it', async () => {
    h = await openToolHarness({ connect, store });
    const batch = await h.ok<BatchResult>('lock_context_batch', {
      contexts: [
        { topic: 'good', content: 'kept' },
        { topic: "bad'; DROP TABLE contexts;--", content: 'never' },
        { topic: 'good-2', content: '' },
        { topic: 'good-3', content: 'kept too' },
      ],
    });
    expect(batch).toMatchObject({ stored: 2, refused: 2 });
    expect(batch.results[1]).toMatchObject({
      error: 'invalid_input',
      message: expect.stringMatching(/topic/) as unknown,
    });
    expect(batch.results[2]).toMatchObject({ error: 'invalid_input' });
    expect((await h.dashboard()).total_topics).toBe(2);
  });

  it('honours projects, the hosted novelty gate per entry, and counts as one call against the rate limit', async () => {
    h = await openToolHarness({
      config: { profile: 'hosted', extraTools: 'all', rateLimitPerMinute: 2 },
      connect,
    });
    await h.ok('lock_context', {
      topic: 'n',
      content: 'the same words over and over again in this note',
      project: 'p',
    });
    const batch = await h.ok<BatchResult>('lock_context_batch', {
      project: 'p',
      contexts: [
        { topic: 'n', content: 'the same words over and over again in this note!' },
        { topic: 'm', content: 'new' },
      ],
    });
    expect(batch.results[0]).toMatchObject({ error: 'insufficient_novelty' });
    expect(batch.results[1]).toMatchObject({ version: '1.0' });
    // The lock and the batch used the two calls of the minute: the batch was one call.
    expect((await h.fail('context_dashboard', {})).error).toBe('rate_limit_exceeded');
    expect((await h.deps.store.dashboard({ project: 'p' })).total_topics).toBe(2);
    expect((await h.deps.store.dashboard()).total_topics).toBe(0);
  });

  it('refuses an empty or oversized batch', async () => {
    h = await openToolHarness({ connect, store });
    expect((await h.fail('lock_context_batch', { contexts: [] })).message).toMatch(/1 to 100/);
    const many = Array.from({ length: 101 }, (_, i) => ({ topic: `t${i}`, content: 'x' }));
    expect((await h.fail('lock_context_batch', { contexts: many })).message).toMatch(/1 to 100/);
    expect((await h.dashboard()).total_topics).toBe(0);
  });
});
