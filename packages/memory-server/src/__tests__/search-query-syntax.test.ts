import { buildFtsQuery } from '../store/fts-query';
import type { ContextSearchResult } from '../store/types';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { STORE_CONFORMANCE } from './helpers/transports';

describe.each(STORE_CONFORMANCE)(
  'context_search treats the query as text, never as FTS syntax over $name',
  (transport) => {
    let h: ToolHarness;
    beforeAll(async () => {
      h = await openToolHarness({ connect: transport.connect, store: transport.store });
      await h.ok('lock_context', {
        topic: 'run/1',
        content: 'customer C9 payment NEAR the limit OR not',
        tags: 'customer:C9',
      });
      await h.ok('lock_context', { topic: 'run/2', content: 'order "quoted" shipped (late) - x ^start' });
    });
    afterAll(async () => {
      await h.close();
    });

    const hostile = [
      'customer:C9',
      '"unbalanced',
      '"quoted"',
      'ship*',
      '*',
      'NEAR(customer payment',
      'NEAR(customer payment, 2)',
      'customer OR payment',
      'customer AND',
      'AND',
      'OR OR OR',
      'NOT payment',
      '-x',
      '^start',
      '(late',
      'late)',
      ')(',
      '{topic}: run',
      'topic: run',
      'content:payment',
      "'; DROP TABLE contexts; --",
      '%_%',
      '+payment',
      '"" """',
      '\\',
      '',
      '   ',
      '!!!',
      'a'.repeat(2000),
      Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '),
    ];

    it.each(hostile)('searches %j without an error', async (query) => {
      const result = await h.call('context_search', { query });
      expect(result.isError).toBe(false);
      expect((result.json as ContextSearchResult).results).toEqual(expect.any(Array));
    });

    it('searches operator words and punctuated words as plain words', async () => {
      const find = async (query: string): Promise<string[]> =>
        (await h.ok<ContextSearchResult>('context_search', { query })).results.map((r) => r.topic);
      expect(await find('NEAR(customer')).toEqual(['run/1']);
      expect(await find('OR not')).toEqual(['run/1']);
      expect(await find('"quoted"')).toEqual(['run/2']);
      expect(await find('(late)')).toEqual(['run/2']);
      expect(await find('^start')).toEqual(['run/2']);
      expect(await find('customer:C9')).toEqual(['run/1']);
    });

    it('refuses a query longer than 2000 characters with a clear message', async () => {
      expect((await h.fail('context_search', { query: 'a'.repeat(2001) })).message).toMatch(
        /query: is 2001 characters long; the limit is 2000/,
      );
    });
  },
);

describe('buildFtsQuery', () => {
  it('quotes each whitespace-separated piece as a phrase of its words; the loose form takes any word', () => {
    expect(buildFtsQuery('customer:C9 NEAR(x "y" OR')).toEqual({
      all: '("customer C9" AND "NEAR x" AND "y" AND "OR")',
      any: '("customer" OR "c9" OR "near" OR "x" OR "y" OR "or")',
    });
  });

  it('returns null for text without words and drops repeated phrases', () => {
    expect(buildFtsQuery(' * ( ) "" ^ - ')).toBeNull();
    expect(buildFtsQuery('a a')).toEqual({ all: '("a")', any: null });
  });

  it('adds required tags as phrases of the tags column', () => {
    expect(buildFtsQuery('late', ['customer:C9'])).toEqual({
      all: '("late") AND tags : "customer C9"',
      any: null,
    });
  });
});
