import type {
  ContextExploreResult,
  LockContextResult,
  RecallContextResult,
  UnlockContextResult,
} from '../store/types';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { STORE_CONFORMANCE } from './helpers/transports';

describe.each(STORE_CONFORMANCE)('unlock_context over $name', (transport) => {
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect: transport.connect, store: transport.store });
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.close();
  });

  async function lockVersions(topic: string, count: number, project?: string): Promise<void> {
    for (let i = 0; i < count; i++)
      await h.ok('lock_context', { topic, content: `${topic} v${i}`, ...(project ? { project } : {}) });
  }

  it('archives every version by default: hidden from reads and search, kept in the file', async () => {
    await lockVersions('a', 3);
    const result = await h.ok<UnlockContextResult>('unlock_context', { topic: 'a' });
    expect(result).toEqual({
      removed: [
        { topic: 'a', version: '1.0' },
        { topic: 'a', version: '1.1' },
        { topic: 'a', version: '1.2' },
      ],
      archived: true,
      count: 3,
    });
    expect((await h.fail('recall_context', { topic: 'a' })).error).toBe('not_found');
    expect(await h.ok('context_search', { query: 'v2' })).toMatchObject({ results: [] });
    expect(await h.dashboard()).toMatchObject({ total_topics: 0, total_versions: 0, archived: 3 });
  });

  it('deletes with archive: false, including versions archived before', async () => {
    await lockVersions('a', 3);
    await h.ok('unlock_context', { topic: 'a', version: '1.0' });
    expect(await h.dashboard()).toMatchObject({ total_versions: 2, archived: 1 });
    const result = await h.ok<UnlockContextResult>('unlock_context', { topic: 'a', archive: false });
    expect(result).toMatchObject({ archived: false, count: 3 });
    expect(await h.dashboard()).toMatchObject({ total_topics: 0, total_versions: 0, archived: 0 });
  });

  it('makes the previous version latest again when the latest is removed', async () => {
    await lockVersions('a', 3);
    const result = await h.ok<UnlockContextResult>('unlock_context', { topic: 'a', version: 'latest' });
    expect(result.removed).toEqual([{ topic: 'a', version: '1.2' }]);
    const recalled = await h.ok<RecallContextResult>('recall_context', { topic: 'a' });
    expect(recalled).toMatchObject({ version: '1.1', content: 'a v1', versions: ['1.0', '1.1'] });
    // Search sees the restored latest version.
    expect(await h.ok('context_search', { query: 'v1' })).toMatchObject({
      results: [{ topic: 'a', version: '1.1' }],
    });
    expect(await h.ok('context_search', { query: 'v2' })).toMatchObject({ results: [] });
  });

  it('removes one named version, leaving the latest alone', async () => {
    await lockVersions('a', 3);
    await h.ok('unlock_context', { topic: 'a', version: '1.1', archive: false });
    expect(await h.ok('recall_context', { topic: 'a' })).toMatchObject({
      version: '1.2',
      versions: ['1.0', '1.2'],
    });
    expect((await h.fail('recall_context', { topic: 'a', version: '1.1' })).error).toBe('not_found');
  });

  it('never issues a removed version number again', async () => {
    await lockVersions('a', 2);
    await h.ok('unlock_context', { topic: 'a', archive: false });
    const next = await h.ok<LockContextResult>('lock_context', { topic: 'a', content: 'fresh start' });
    expect(next.version).toBe('1.2');
  });

  it('locks the same content again after the topic was archived (no live latest to compare with)', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'same' });
    await h.ok('unlock_context', { topic: 'a' });
    expect(await h.ok('lock_context', { topic: 'a', content: 'same' })).toMatchObject({
      version: '1.1',
      created: true,
    });
  });

  it('removes every topic matching a glob, in this project only', async () => {
    await lockVersions('orders/C1', 2);
    await lockVersions('orders/C2', 1);
    await lockVersions('orders-archive', 1);
    await lockVersions('refunds/C1', 1);
    await lockVersions('orders/C3', 1, 'other');
    const result = await h.ok<UnlockContextResult>('unlock_context', {
      topic_pattern: 'orders/*',
      version: 'latest',
    });
    expect(result.removed).toEqual([
      { topic: 'orders/C1', version: '1.1' },
      { topic: 'orders/C2', version: '1.0' },
    ]);
    const explored = await h.ok<ContextExploreResult>('context_explore');
    expect(explored.topics.map((t) => `${t.topic}@${t.latest_version}`).sort()).toEqual([
      'orders-archive@1.0',
      'orders/C1@1.0',
      'refunds/C1@1.0',
    ]);
    expect(await h.ok('recall_context', { topic: 'orders/C3', project: 'other' })).toMatchObject({
      version: '1.0',
    });

    const single = await h.ok<UnlockContextResult>('unlock_context', { topic_pattern: 'refunds/C?' });
    expect(single.removed).toEqual([{ topic: 'refunds/C1', version: '1.0' }]);
  });

  it('answers a pattern matching nothing with count 0, and an unknown topic with not found', async () => {
    expect(await h.ok('unlock_context', { topic_pattern: 'nothing/*' })).toEqual({
      removed: [],
      archived: true,
      count: 0,
    });
    expect((await h.fail('unlock_context', { topic: 'nothing' })).message).toMatch(/topic not found/);
    await lockVersions('a', 1);
    expect((await h.fail('unlock_context', { topic: 'a', version: '1.5' })).message).toMatch(
      /version 1\.5 of topic not found/,
    );
  });

  it.each(['*', '**', '?*', '?', '*?*'])(
    'refuses the match-everything pattern %j and changes nothing',
    async (pattern) => {
      await lockVersions('a', 1);
      const before = await h.dashboard();
      const refused = await h.fail('unlock_context', { topic_pattern: pattern });
      expect(refused).toMatchObject({ error: 'invalid_input', field: 'topic_pattern' });
      expect(refused.message).toMatch(/would match every topic/);
      expect(await h.dashboard()).toEqual(before);
    },
  );

  it('requires exactly one of topic and topic_pattern', async () => {
    expect((await h.fail('unlock_context', {})).message).toMatch(/exactly one of topic .* and topic_pattern/);
    expect((await h.fail('unlock_context', { topic: 'a', topic_pattern: 'a*' })).message).toMatch(
      /exactly one/,
    );
  });
});
