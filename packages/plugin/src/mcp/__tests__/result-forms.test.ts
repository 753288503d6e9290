import { HOSTED_HIT, OUR_HIT } from '../../__tests__/helpers/search-hits';
import { jsonResult } from '../../__tests__/helpers/memory-server-double';
import {
  readRecallBatch,
  readSearchHit,
  readStoredContext,
  readTags,
  readUsageWarning,
} from '../result-forms';
import { readToolResult, type JsonObject } from '../tool-result';

// Every form in which hosted Stompy, older Stompy servers and our own server answer, read into one
// shape: tags, search hits, recall_batch in its newer and older forms, recall_context, and the
// usage_warning sibling of a write.

describe('the readers', () => {
  it('reads tags given as an array, a comma list, or not at all', () => {
    expect(readTags(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(readTags('a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(readTags(undefined)).toEqual([]);
    expect(readTags({ a: 1 })).toEqual([]);
  });

  it('reads a hosted search hit: metadata as a JSON string, label as topic, rrf_score as score', () => {
    expect(readSearchHit(HOSTED_HIT)).toEqual({
      topic: 'temporal:wf:default:order-7:run-1',
      version: 'latest',
      content: HOSTED_HIT.content,
      tags: ['customer:C1', 'issue'],
      priority: 'important',
      lockedAt: '2026-11-25T06:00:00Z',
      score: 0.03,
    });
  });

  it('reads our search hit: metadata as an object, topic, version and score', () => {
    expect(readSearchHit(OUR_HIT)).toEqual({
      topic: 't',
      version: '1.2',
      content: 'c',
      tags: ['a', 'b'],
      priority: 'reference',
      lockedAt: '2026-11-25T07:00:00Z',
      score: 2,
    });
  });

  it.each([
    ['a broken JSON string', '{"tags": ["customer:C1"'],
    ['a JSON string of a list', '["customer:C1"]'],
    ['a JSON string of a string', '"customer:C1"'],
    ['a number', 42],
  ])('keeps a hit whose metadata is %s, without its tags and priority', (_name, metadata) => {
    expect(readSearchHit({ ...HOSTED_HIT, metadata })).toMatchObject({
      topic: HOSTED_HIT.label,
      tags: [],
      priority: undefined,
      lockedAt: undefined,
    });
  });

  it('takes tags, priority and time from the hit itself when metadata lacks them', () => {
    expect(
      readSearchHit({
        topic: 't',
        preview: 'first 200 characters',
        tags: 'x,y',
        priority: 'always_check',
        created_at: '2026-01-01T00:00:00Z',
        bm25_score: 4,
      }),
    ).toMatchObject({
      content: 'first 200 characters',
      tags: ['x', 'y'],
      priority: 'always_check',
      lockedAt: '2026-01-01T00:00:00Z',
      score: 4,
    });
    expect(readSearchHit({ topic: 't', content: 'c', priority: 'urgent!' })).toMatchObject({
      priority: undefined,
      score: 0,
    });
  });

  it.each([['junk'], [null], [[1]], [{ topic: 't' }], [{ content: 'c' }], [{ metadata: '{broken' }]])(
    'drops a search entry that is not a hit: %j',
    (entry) => {
      expect(readSearchHit(entry)).toBeUndefined();
    },
  );

  it('reads recall_batch in the newer form: topic-keyed results with found and not_found', () => {
    const body: JsonObject = {
      results: {
        a: {
          found: true,
          version: '1.1',
          content: 'A',
          tags: ['x'],
          priority: 'important',
          locked_at: '2026-11-25T06:00:00Z',
        },
        p: { found: true, version: '1.0', preview: 'first 200 characters', tags: [] },
        gone: { found: false },
      },
      found: ['a', 'p'],
      not_found: ['b', 'gone'],
    };
    const found = readRecallBatch(body, ['a', 'b', 'p', 'gone']);
    expect([...found.keys()]).toEqual(['a', 'p']);
    expect(found.get('a')).toEqual({
      topic: 'a',
      version: '1.1',
      content: 'A',
      tags: ['x'],
      priority: 'important',
      lockedAt: '2026-11-25T06:00:00Z',
    });
    expect(found.get('p')).toMatchObject({ content: 'first 200 characters' });
  });

  it('reads recall_batch in the older form: a list of {topic, found, content, version, error}, bare or under results or contexts', () => {
    const list = [
      { topic: 'a', found: true, content: 'A', version: '1.0', tags: 'x,y' },
      { topic: 'b', found: false, error: 'not found' },
      { topic: 'c', error: 'archived' }, // no content: not found
      { found: true, content: 'no topic' },
      'junk',
    ];
    for (const body of [
      readToolResult('recall_batch', jsonResult(list)),
      { results: list },
      { contexts: list },
    ]) {
      const found = readRecallBatch(body, ['a', 'b', 'c']);
      expect([...found.keys()]).toEqual(['a']);
      expect(found.get('a')).toMatchObject({ version: '1.0', content: 'A', tags: ['x', 'y'] });
    }
  });

  it('reads nothing from recall_batch answers of another shape', () => {
    expect(readRecallBatch({ results: 'x' }, ['a']).size).toBe(0);
    expect(readRecallBatch({ found: ['a'] }, ['a']).size).toBe(0);
    expect(readRecallBatch({ results: { a: 'A' } }, ['a']).size).toBe(0);
  });

  it('reads recall_context, and a not-found entry as absent', () => {
    expect(
      readStoredContext('t', { topic: 't', version: '1.3', content: 'c', tags: ['a'], locked_at: 'x' }),
    ).toEqual({ topic: 't', version: '1.3', content: 'c', tags: ['a'], priority: undefined, lockedAt: 'x' });
    expect(readStoredContext('t', { found: false, content: 'c' })).toBeUndefined();
    expect(readStoredContext('t', { version: '1.0' })).toBeUndefined();
    expect(readStoredContext('t', 'c')).toBeUndefined();
    expect(readStoredContext('t', { content: 'c', version: 2 })).toMatchObject({ topic: 't', version: '2' });
  });

  it('reads a usage_warning sibling, working out pct when it is missing or not a number', () => {
    const warning = { used: 50, cap: 60, pct: 83.3, resets_at: '2026-11-25T07:00:00Z' };
    expect(readUsageWarning({ topic: 't', version: '1.0', usage_warning: warning })).toEqual({
      used: 50,
      cap: 60,
      pct: 83.3,
      resetsAt: '2026-11-25T07:00:00Z',
    });
    expect(readUsageWarning({ usage_warning: { used: '30', cap: 60 } })).toEqual({
      used: 30,
      cap: 60,
      pct: 50,
      resetsAt: undefined,
    });
    expect(readUsageWarning({ usage_warning: { used: 3, cap: 0, pct: 'high' } })).toMatchObject({ pct: 0 });
    expect(readUsageWarning({ usage_warning: { used: 'many', cap: 60 } })).toBeUndefined();
    expect(readUsageWarning({ usage_warning: 'near the cap' })).toBeUndefined();
    expect(readUsageWarning({ topic: 't' })).toBeUndefined();
  });
});
