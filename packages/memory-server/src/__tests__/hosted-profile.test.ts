import type { LockContextResult } from '../store/types';
import { connectInMemory } from './helpers/connect-in-memory';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { inProcessOnly, STORE_CONFORMANCE } from './helpers/transports';
import { anyNumber, stringMatching } from './helpers/matchers';

const BASE = Array.from(
  { length: 60 },
  (_, i) => `sentence ${i} says the order shipped from warehouse ${i % 7}.`,
).join(' ');

describe.each(STORE_CONFORMANCE)('hosted profile over $name', (transport) => {
  const itInProcess = inProcessOnly(transport);
  let h: ToolHarness;
  beforeEach(async () => {
    h = await openToolHarness({
      config: { profile: 'hosted' },
      connect: transport.connect,
      store: transport.store,
    });
  });
  afterEach(async () => {
    await h.close();
  });

  // Without HTTP (in process, stdio) each tool call counts and a refusal is an isError result; over
  // `stompy-memory serve` every HTTP request counts and is answered 429 (see hosted-*.test.ts).
  describe('rate limits without HTTP (free plan: 60 a minute, 20 per 10 seconds, fixed windows)', () => {
    itInProcess(
      'refuses the 21st call of 10 seconds and the 61st of a minute with an isError body',
      async () => {
        for (let i = 0; i < 20; i++) await h.ok('context_dashboard');
        const refused = await h.call('lock_context', { topic: 'a', content: 'x' });
        expect(refused.isError).toBe(true);
        expect(refused.json).toEqual({
          error: 'rate_limit_exceeded',
          message: stringMatching(
            /^Rate limit exceeded: 20 calls per 10 seconds \(burst\)\. Retry after 10 s/,
          ),
          retry_after_seconds: 10,
          limit: 20,
          window_seconds: 10,
        });
        expect((await h.deps.store.dashboard()).total_versions).toBe(0);
        expect(h.logs.at(-1)).toMatchObject({
          level: 40,
          tool: 'lock_context',
          reason: 'rate_limit_exceeded',
        });
        h.clock.advance(10_000);
        for (let i = 0; i < 20; i++) await h.ok('context_dashboard');
        h.clock.advance(10_000);
        for (let i = 0; i < 20; i++) await h.ok('context_dashboard');
        h.clock.advance(10_000); // 30 s into the minute: the burst window is empty, the minute is full
        expect(await h.fail('context_dashboard')).toMatchObject({
          message: stringMatching(/^Rate limit exceeded: 60 calls per minute\. Retry after 30 s/),
          retry_after_seconds: 30,
          limit: 60,
          window_seconds: 60,
        });
        h.clock.advance(30_000);
        await h.ok('context_dashboard');
      },
    );

    itInProcess('counts the calls of every MCP server made for the same caller', async () => {
      const second = await connectInMemory(h.deps);
      try {
        for (let i = 0; i < 10; i++) await h.ok('context_dashboard');
        for (let i = 0; i < 10; i++)
          await second.client.callTool({ name: 'context_dashboard', arguments: {} });
        const refused = await second.client.callTool({ name: 'context_dashboard', arguments: {} });
        expect(refused.isError).toBe(true);
        expect((await h.fail('context_dashboard')).error).toBe('rate_limit_exceeded');
      } finally {
        await second.close();
      }
    });

    it('takes a configured per-minute limit, lowering the plan burst to it', async () => {
      const custom = await openToolHarness({
        config: { profile: 'hosted', rateLimitPerMinute: 3 },
        connect: transport.connect,
        store: transport.store,
      });
      try {
        for (let i = 0; i < 3; i++) await custom.ok('context_dashboard');
        expect(await custom.fail('context_dashboard')).toMatchObject({
          limit: 3,
          error: 'rate_limit_exceeded',
        });
      } finally {
        await custom.close();
      }
    });
  });

  describe('usage_warning', () => {
    itInProcess('rides on successful writes once more than 80% of the per-minute cap is used', async () => {
      for (let i = 0; i < 47; i++) {
        if (i % 20 === 0 && i > 0) h.clock.advance(10_000); // stay under the burst cap
        await h.ok('context_dashboard');
      }
      const at48 = await h.ok<Record<string, unknown>>('lock_context', { topic: 'a', content: 'first' });
      expect(at48.usage_warning).toBeUndefined();
      const at49 = await h.ok<Record<string, unknown>>('lock_context', { topic: 'b', content: 'second' });
      expect(at49).toMatchObject({ topic: 'b', version: '1.0', created: true });
      expect(at49.usage_warning).toEqual({
        used: 49,
        cap: 60,
        pct: 82,
        resets_at: new Date(Date.UTC(2026, 0, 1, 0, 1)).toISOString(), // the end of the fixed minute
      });
      const read = await h.ok<Record<string, unknown>>('recall_context', { topic: 'b' });
      expect(read.usage_warning).toBeUndefined();
      const unlocked = await h.ok<Record<string, unknown>>('unlock_context', { topic: 'b' });
      expect(unlocked.usage_warning).toMatchObject({ used: 51, cap: 60, pct: 85 });
    });
  });

  describe('novelty gate', () => {
    itInProcess(
      'refuses content with under 10% new word shingles against the latest version, changing nothing',
      async () => {
        await h.ok('lock_context', { topic: 'notes', content: BASE });
        const nearCopy = `${BASE} One more short remark.`;
        const refused = await h.fail('lock_context', { topic: 'notes', content: nearCopy });
        expect(refused).toEqual({
          error: 'insufficient_novelty',
          message: stringMatching(
            /content is \d+(\.\d)?% new against version 1\.0 of this topic; at least 10% is required/,
          ),
          novelty: anyNumber(),
          threshold: 0.1,
          latest_version: '1.0',
          hint: stringMatching(/force_store: true/),
        });
        expect(refused.novelty).toBeLessThan(0.1);
        expect(refused.novelty).toBeGreaterThan(0);
        expect((await h.deps.store.dashboard()).total_versions).toBe(1);
        expect(h.logs.at(-1)).toMatchObject({
          level: 40,
          tool: 'lock_context',
          reason: 'insufficient_novelty',
        });
      },
    );

    it('stores it anyway with force_store', async () => {
      await h.ok('lock_context', { topic: 'notes', content: BASE });
      const forced = await h.ok<LockContextResult>('lock_context', {
        topic: 'notes',
        content: `${BASE} Tiny.`,
        force_store: true,
      });
      expect(forced).toMatchObject({ version: '1.1', created: true });
    });

    it('accepts content that is new enough, a first version, and identical content (no new version)', async () => {
      expect(await h.ok('lock_context', { topic: 'notes', content: BASE })).toMatchObject({ version: '1.0' });
      expect(await h.ok('lock_context', { topic: 'notes', content: BASE })).toMatchObject({
        version: '1.0',
        created: false,
      });
      const fresh = Array.from(
        { length: 10 },
        (_, i) => `refund ${i} went to carrier ${i * 3} overnight.`,
      ).join(' ');
      const half = `${BASE.slice(0, BASE.length / 2)} ${fresh}`;
      expect(await h.ok('lock_context', { topic: 'notes', content: half })).toMatchObject({
        version: '1.1',
        created: true,
      });
    });

    it('compares with the latest live version only: other topics and archived versions do not count', async () => {
      await h.ok('lock_context', { topic: 'one', content: BASE });
      expect(await h.ok('lock_context', { topic: 'two', content: BASE })).toMatchObject({ created: true });
      await h.ok('unlock_context', { topic: 'one' });
      expect(await h.ok('lock_context', { topic: 'one', content: `${BASE} x` })).toMatchObject({
        version: '1.1',
      });
    });
  });

  describe('size limits', () => {
    it('caps content at 100,000 UTF-8 bytes', async () => {
      expect(await h.ok('lock_context', { topic: 'big', content: 'x'.repeat(100_000) })).toMatchObject({
        created: true,
      });
      const refused = await h.fail('lock_context', { topic: 'big2', content: 'y'.repeat(100_001) });
      expect(refused.message).toMatch(/content: is 100001 bytes \(UTF-8\); the limit is 100000/);
    });

    it('caps topics at 100 characters', async () => {
      expect(await h.ok('lock_context', { topic: 't'.repeat(100), content: 'x' })).toMatchObject({
        created: true,
      });
      expect((await h.fail('lock_context', { topic: 't'.repeat(101), content: 'x' })).message).toMatch(
        /topic: is 101 characters long; the limit is 100/,
      );
    });
  });
});

describe.each(STORE_CONFORMANCE)('local profile over $name', (transport) => {
  it('has no rate limit and no novelty gate', async () => {
    const h = await openToolHarness({ connect: transport.connect, store: transport.store });
    try {
      await h.ok('lock_context', { topic: 'notes', content: BASE });
      expect(await h.ok('lock_context', { topic: 'notes', content: `${BASE} x` })).toMatchObject({
        version: '1.1',
      });
      for (let i = 0; i < 100; i++) await h.ok('context_dashboard');
    } finally {
      await h.close();
    }
  });
});
