import type { ContextDashboardResult, ContextExploreResult } from '../store/types';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { STORE_CONFORMANCE } from './helpers/transports';

// Every test here compares times with the harness's clock, so runs where the server shares it.
describe.each(STORE_CONFORMANCE.filter((t) => t.inProcess))(
  'context_explore and context_dashboard over $name',
  (transport) => {
    let h: ToolHarness;
    beforeAll(async () => {
      h = await openToolHarness({ connect: transport.connect, store: transport.store });
    });
    beforeEach(() => h.reset());
    afterAll(async () => {
      await h.close();
    });

    it('explore lists topics most recently updated first, with latest version, counts, tags and preview', async () => {
      await h.ok('lock_context', { topic: 'a', content: 'first of a' });
      h.clock.advance(1000);
      await h.ok('lock_context', {
        topic: 'b',
        content: 'b'.repeat(300),
        tags: 'x,y',
        priority: 'important',
      });
      h.clock.advance(1000);
      await h.ok('lock_context', { topic: 'a', content: 'second of a', priority: 'always_check' });
      await h.ok('recall_context', { topic: 'a', version: '1.0' });
      await h.ok('recall_context', { topic: 'a' });
      await h.ok('recall_context', { topic: 'a' });

      const explored = await h.ok<ContextExploreResult>('context_explore');
      const now = new Date(h.clock.time).toISOString();
      const before = new Date(h.clock.time - 1000).toISOString();
      expect(explored).toEqual({
        project: 'default',
        contexts: [
          {
            id: expect.any(Number) as number,
            topic: 'a',
            priority: 'always_check',
            version: '1.1',
            tags: '',
            preview: 'second of a',
            access_count: 3,
            locked_at: now,
          },
          {
            id: expect.any(Number) as number,
            topic: 'b',
            priority: 'important',
            version: '1.0',
            tags: 'x,y',
            preview: 'b'.repeat(200),
            access_count: 0,
            locked_at: before,
          },
        ],
        topics: [
          {
            id: explored.contexts[0]?.id,
            topic: 'a',
            latest_version: '1.1',
            version_count: 2,
            priority: 'always_check',
            tags: [],
            preview: 'second of a',
            access_count: 3,
            updated_at: now,
          },
          {
            id: explored.contexts[1]?.id,
            topic: 'b',
            latest_version: '1.0',
            version_count: 1,
            priority: 'important',
            tags: ['x', 'y'],
            preview: 'b'.repeat(200),
            access_count: 0,
            updated_at: before,
          },
        ],
        total: 2,
      });
      const limited = await h.ok<ContextExploreResult>('context_explore', { limit: 1 });
      expect(limited.topics.map((t) => t.topic)).toEqual(['a']);
      expect(limited.total).toBe(2);
      expect((await h.fail('context_explore', { limit: 501 })).error).toBe('invalid_input');
    });

    it('explore filters by priority, tags and a topic glob, and pages with offset', async () => {
      await h.ok('lock_context', {
        topic: 'orders/1',
        content: 'one',
        tags: 'eu,card',
        priority: 'important',
      });
      h.clock.advance(1);
      await h.ok('lock_context', { topic: 'orders/2', content: 'two', tags: 'eu' });
      h.clock.advance(1);
      await h.ok('lock_context', { topic: 'billing/1', content: 'three', tags: 'eu,card' });
      const topics = async (args: Record<string, unknown>) => {
        const explored = await h.ok<ContextExploreResult>('context_explore', args);
        return { topics: explored.contexts.map((c) => c.topic), total: explored.total };
      };
      expect(await topics({ priority: 'important' })).toEqual({ topics: ['orders/1'], total: 1 });
      expect(await topics({ tags: 'card,eu' })).toEqual({ topics: ['billing/1', 'orders/1'], total: 2 });
      expect(await topics({ tags: ['card', 'none'] })).toEqual({ topics: [], total: 0 });
      expect(await topics({ grep: 'orders/*' })).toEqual({ topics: ['orders/2', 'orders/1'], total: 2 });
      expect(await topics({ grep: '*' })).toMatchObject({ total: 3 });
      expect(await topics({ limit: 1, offset: 1 })).toEqual({ topics: ['orders/2'], total: 3 });
      expect(await topics({ offset: 3 })).toEqual({ topics: [], total: 3 });
      expect((await h.fail('context_explore', { offset: -1 })).message).toMatch(/^offset: /);
      expect((await h.fail('context_explore', { grep: "x'; DROP TABLE contexts" })).message).toMatch(
        /^grep: contains "'"/,
      );
    });

    it('dashboard counts a topic not written for 30 days as stale', async () => {
      await h.ok('lock_context', { topic: 'old', content: 'old' });
      h.clock.advance(30 * 24 * 60 * 60 * 1000 + 1);
      await h.ok('lock_context', { topic: 'new', content: 'new' });
      expect(await h.dashboard()).toMatchObject({
        total_contexts: 2,
        stale_count: 1,
        recent_topics: ['new', 'old'],
      });
    });

    it('dashboard counts topics, live and archived versions, topics by priority, and lists recent topics', async () => {
      await h.ok('lock_context', { topic: 'a', content: 'a0', priority: 'important' });
      h.clock.advance(1);
      await h.ok('lock_context', { topic: 'a', content: 'a1', priority: 'always_check' });
      h.clock.advance(1);
      await h.ok('lock_context', { topic: 'b', content: 'b0' });
      h.clock.advance(1);
      await h.ok('lock_context', { topic: 'c', content: 'c0' });
      await h.ok('unlock_context', { topic: 'c' });
      await h.ok('lock_context', { topic: 'elsewhere', content: 'x', project: 'other' });

      const dashboard = await h.ok<ContextDashboardResult>('context_dashboard');
      expect(dashboard).toEqual({
        project: 'default',
        total_contexts: 2,
        total_topics: 2,
        total_versions: 3,
        by_priority: { always_check: 1, important: 0, reference: 1 },
        archived: 1,
        stale_count: 0,
        recent_topics: ['b', 'a'],
        recent: [
          { topic: 'b', version: '1.0', locked_at: new Date(h.clock.time - 1).toISOString() },
          { topic: 'a', version: '1.1', locked_at: new Date(h.clock.time - 2).toISOString() },
        ],
      });
      expect(await h.dashboard('other')).toMatchObject({
        project: 'other',
        total_topics: 1,
        total_versions: 1,
      });
      expect(await h.dashboard('empty')).toEqual({
        project: 'empty',
        total_contexts: 0,
        total_topics: 0,
        total_versions: 0,
        by_priority: { always_check: 0, important: 0, reference: 0 },
        archived: 0,
        stale_count: 0,
        recent_topics: [],
        recent: [],
      });
    });
  },
);
