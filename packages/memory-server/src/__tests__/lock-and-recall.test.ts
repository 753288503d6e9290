import type { LockContextResult, RecallContextResult } from '../store/types';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { inProcessOnly, STORE_CONFORMANCE } from './helpers/transports';
import { anyNumber } from './helpers/matchers';

describe.each(STORE_CONFORMANCE)('lock_context and recall_context over $name', (transport) => {
  const itInProcess = inProcessOnly(transport);
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect: transport.connect, store: transport.store });
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.close();
  });

  it('stores immutable versions 1.0, 1.1, ... with numeric minors (1.10 after 1.9)', async () => {
    const versions: string[] = [];
    for (let i = 0; i < 12; i++) {
      const locked = await h.ok<LockContextResult>('lock_context', {
        topic: 'orders/C1',
        content: `outcome number ${i}`,
      });
      expect(locked).toEqual({
        id: anyNumber(),
        topic: 'orders/C1',
        version: `1.${i}`,
        project: 'default',
        created: true,
      });
      versions.push(locked.version);
    }
    const latest = await h.ok<RecallContextResult>('recall_context', { topic: 'orders/C1' });
    expect(latest.version).toBe('1.11');
    expect(latest.content).toBe('outcome number 11');
    expect(latest.versions).toEqual(versions);

    const old = await h.ok<RecallContextResult>('recall_context', { topic: 'orders/C1', version: '1.9' });
    expect(old.content).toBe('outcome number 9');
    const ten = await h.ok<RecallContextResult>('recall_context', { topic: 'orders/C1', version: '1.10' });
    expect(ten.content).toBe('outcome number 10');
  });

  it('adds no version when the content equals the latest version, and returns that version', async () => {
    const first = await h.ok<LockContextResult>('lock_context', { topic: 't', content: 'same text' });
    const again = await h.ok<LockContextResult>('lock_context', {
      topic: 't',
      content: 'same text',
      tags: 'other',
    });
    expect(again).toEqual({ ...first, created: false });
    const changed = await h.ok<LockContextResult>('lock_context', { topic: 't', content: 'new text' });
    expect(changed.version).toBe('1.1');
    // Equal to an older version but not to the latest: a new version.
    const back = await h.ok<LockContextResult>('lock_context', { topic: 't', content: 'same text' });
    expect(back).toMatchObject({ version: '1.2', created: true });
    expect((await h.dashboard()).total_versions).toBe(3);
  });

  itInProcess(
    'returns tags as an array, the priority, locked_at and an access count incremented per recall',
    async () => {
      await h.ok('lock_context', {
        topic: 'customer:C9/profile',
        content: 'prefers email',
        tags: 'customer:C9, region:eu ,,customer:C9',
        priority: 'important',
      });
      const first = await h.ok<RecallContextResult>('recall_context', { topic: 'customer:C9/profile' });
      expect(first).toEqual({
        topic: 'customer:C9/profile',
        version: '1.0',
        content: 'prefers email',
        tags: ['customer:C9', 'region:eu'],
        priority: 'important',
        locked_at: new Date(h.clock.time).toISOString(),
        access_count: 1,
        versions: ['1.0'],
      });
      const second = await h.ok<RecallContextResult>('recall_context', {
        topic: 'customer:C9/profile',
        version: 'latest',
      });
      expect(second.access_count).toBe(2);
    },
  );

  it('defaults the priority to reference and accepts tags as an array', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'x', tags: ['one', 'two'] });
    expect(await h.ok('recall_context', { topic: 'a' })).toMatchObject({
      priority: 'reference',
      tags: ['one', 'two'],
    });
  });

  it('keeps each version its own tags and priority', async () => {
    await h.ok('lock_context', { topic: 'a', content: 'first', tags: 'old', priority: 'always_check' });
    await h.ok('lock_context', { topic: 'a', content: 'second', tags: 'new' });
    expect(await h.ok('recall_context', { topic: 'a', version: '1.0' })).toMatchObject({
      tags: ['old'],
      priority: 'always_check',
    });
    expect(await h.ok('recall_context', { topic: 'a' })).toMatchObject({
      tags: ['new'],
      priority: 'reference',
    });
  });

  it('reports an unknown topic and an unknown version as not found', async () => {
    const missing = await h.fail('recall_context', { topic: 'nope' });
    expect(missing.error).toBe('not_found');
    expect(missing.message).toMatch(/topic not found/);

    await h.ok('lock_context', { topic: 'a', content: 'x' });
    const noVersion = await h.fail('recall_context', { topic: 'a', version: '1.7' });
    expect(noVersion).toMatchObject({ error: 'not_found', versions: ['1.0'] });
    expect(noVersion.message).toMatch(/version 1\.7 .* not found; its versions are 1\.0/);
  });

  it('isolates projects completely', async () => {
    await h.ok('lock_context', { topic: 'shared', content: 'in alpha', project: 'alpha' });
    await h.ok('lock_context', { topic: 'shared', content: 'in beta', project: 'beta' });
    await h.ok('lock_context', { topic: 'shared', content: 'in beta again', project: 'beta' });
    expect(await h.ok('recall_context', { topic: 'shared', project: 'alpha' })).toMatchObject({
      content: 'in alpha',
      version: '1.0',
    });
    expect(await h.ok('recall_context', { topic: 'shared', project: 'beta' })).toMatchObject({
      content: 'in beta again',
      version: '1.1',
    });
    expect((await h.fail('recall_context', { topic: 'shared' })).error).toBe('not_found');
  });

  it('uses the configured default project', async () => {
    const custom = await openToolHarness({
      config: { defaultProject: 'team-a' },
      connect: transport.connect,
      store: transport.store,
    });
    try {
      expect(await custom.ok('lock_context', { topic: 't', content: 'x' })).toMatchObject({
        project: 'team-a',
      });
      expect(await custom.ok('recall_context', { topic: 't', project: 'team-a' })).toMatchObject({
        content: 'x',
      });
    } finally {
      await custom.close();
    }
  });

  it('reads null optional arguments as absent (clients generated from Python signatures send None)', async () => {
    const locked = await h.ok('lock_context', {
      topic: 't',
      content: 'x',
      tags: null,
      priority: null,
      force_store: null,
      project: null,
    });
    expect(locked).toMatchObject({ project: 'default', version: '1.0' });
    expect(await h.ok('recall_context', { topic: 't', version: null, project: null })).toMatchObject({
      content: 'x',
    });
  });

  it('stores and returns non-ASCII content unchanged', async () => {
    const content = 'Zahlung fehlgeschlagen 💳 — 支払い失敗 \u0001\u007f end';
    await h.ok('lock_context', { topic: 'unicode', content });
    expect(await h.ok('recall_context', { topic: 'unicode' })).toMatchObject({ content });
  });

  it('refuses content holding NUL, which PostgreSQL cannot store, saying where it is', async () => {
    const refusal = await h.fail('lock_context', { topic: 'nul', content: 'before \u0000 after' });
    expect(refusal).toMatchObject({ error: 'invalid_input', field: 'content' });
    expect(refusal.message).toBe(
      'content: contains U+0000 (NUL) at index 7, which cannot be stored; remove it or replace it',
    );
  });
});
