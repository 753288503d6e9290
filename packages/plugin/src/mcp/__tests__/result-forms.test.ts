import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MemoryServerDouble, type DoubleAnswer } from '../../__tests__/helpers/memory-server-double';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { McpSession } from '../mcp-session';
import {
  readRecallBatch,
  readSearchHit,
  readStoredContext,
  readTags,
  readUsageWarning,
} from '../result-forms';
import { StompyClient } from '../stompy-client';
import { StompyToolError } from '../stompy-errors';
import { readToolResult, type JsonObject } from '../tool-result';

// Every form in which hosted Stompy, older Stompy servers and our own server answer, normalised to one
// shape: first through `readToolResult` and the readers, as a CallToolResult arrives; then through
// `StompyClient` talking to a real MCP server (in-process, over the SDK's in-memory transport) that
// answers in each form. That server is a test double (our own server answers only in the newer forms);
// it is a real `McpServer` of the MCP SDK, so the client parses what such a server puts on the wire.

const text = (value: unknown, extra: Partial<CallToolResult> = {}): CallToolResult => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }],
  ...extra,
});

/** What `readToolResult` threw for a result (fails when it did not throw a StompyToolError). */
function refusal(result: CallToolResult, tool = 'lock_context'): StompyToolError {
  try {
    readToolResult(tool, result);
  } catch (error) {
    expect(error).toBeInstanceOf(StompyToolError);
    return error as StompyToolError;
  }
  throw new Error('the result was accepted');
}

/** A hosted Stompy search hit: `label` for the topic, `rrf_score`, and `metadata` as a JSON string. */
const HOSTED_HIT = {
  id: 7,
  label: 'temporal:wf:default:order-7:run-1',
  content: 'Workflow: OrderWorkflow (order-7, run run-1)\nSuccess: no',
  bm25_score: 1.5,
  rrf_score: 0.03,
  temporal_score: 0.9,
  metadata: JSON.stringify({
    tags: ['customer:C1', 'issue'],
    priority: 'important',
    created_at: '2026-11-25T06:00:00Z',
  }),
};

/** Our server's hit: `topic`, `version`, `score`, and `metadata` as an object. */
const OUR_HIT = {
  id: 8,
  label: 't',
  topic: 't',
  version: '1.2',
  content: 'c',
  preview: 'c',
  metadata: { tags: ['a', 'b'], priority: 'reference', created_at: '2026-11-25T07:00:00Z' },
  bm25_score: 3,
  temporal_score: 0.5,
  score: 2,
};

describe('readToolResult', () => {
  it('reads the JSON object of structuredContent first, then of the first text content', () => {
    expect(
      readToolResult('t', { ...text({ from: 'text' }), structuredContent: { from: 'structured' } }),
    ).toEqual({
      from: 'structured',
    });
    expect(readToolResult('t', text({ from: 'text' }))).toEqual({ from: 'text' });
    expect(
      readToolResult('t', {
        content: [
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'text', text: '{"second": true}' },
        ],
      }),
    ).toEqual({ second: true });
  });

  it('keeps a bare JSON list (older recall_batch) under `results`', () => {
    expect(readToolResult('recall_batch', text([{ topic: 'a' }]))).toEqual({ results: [{ topic: 'a' }] });
  });

  it.each([
    ['non-JSON text', text('Context locked: t v1.0')],
    ['a JSON string', text('"stored"')],
    ['a JSON number', text('42')],
    ['JSON null', text('null')],
    ['no content at all', { content: [] }],
    ['only non-text content', { content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] }],
  ])('refuses %s as a malformed result (not retryable by itself)', (_name, result) => {
    expect(refusal(result as CallToolResult)).toMatchObject({
      code: 'malformed_result',
      retryable: false,
      message: 'lock_context: result is not a JSON object',
    });
  });

  it('turns a coded error body into a StompyToolError with its code, message and retry-after', () => {
    const error = refusal({
      isError: true,
      ...text({ error: 'rate_limit_exceeded', message: 'slow down', retry_after_seconds: 12 }),
    });
    expect(error).toMatchObject({
      tool: 'lock_context',
      code: 'rate_limit_exceeded',
      message: 'lock_context: slow down',
      retryAfterSeconds: 12,
      retryable: true,
    });
    expect(
      refusal({ isError: true, content: [], structuredContent: { error: 'invalid_input', message: 'bad' } }),
    ).toMatchObject({ code: 'invalid_input', message: 'lock_context: bad', retryable: false });
  });

  it('recognises a rate limit said only in prose (older servers) as retryable', () => {
    for (const prose of ['Rate limit exceeded. Try again later.', 'rate-limit hit', 'RATELIMIT']) {
      expect(refusal({ isError: true, ...text(prose) })).toMatchObject({
        code: 'rate_limit_exceeded',
        retryAfterSeconds: undefined,
        retryable: true,
      });
    }
  });

  it('recognises rate limits and overload worded by other servers and proxies, with a wait said in prose', () => {
    const cases: [string, string, number | undefined][] = [
      ['429 Too Many Requests', 'rate_limit_exceeded', undefined],
      ['HTTP 429: slow down', 'rate_limit_exceeded', undefined],
      ['Monthly quota exceeded', 'rate_limit_exceeded', undefined],
      ['Too many requests, retry after 30 seconds', 'rate_limit_exceeded', 30],
      ['Rate limited. Retry-After: 5', 'rate_limit_exceeded', 5],
      ['rate limit hit: try again in 2 min', 'rate_limit_exceeded', 120],
      ['rate limit: retry after 1500 ms', 'rate_limit_exceeded', 1.5],
      ['Server overloaded', 'overloaded', undefined],
      ['503 Service Unavailable', 'overloaded', undefined],
      ['Database temporarily unavailable, try again later', 'overloaded', undefined],
    ];
    for (const [prose, code, retryAfterSeconds] of cases) {
      expect(refusal({ isError: true, ...text(prose) })).toMatchObject({
        code,
        retryAfterSeconds,
        retryable: true,
      });
    }
  });

  it('does not take a number quoted back from a bad input for a status', () => {
    for (const prose of ["topic 'order-429' is too long", 'content of 503 bytes has 2% novelty']) {
      expect(refusal({ isError: true, ...text(prose) })).toMatchObject({ code: undefined, retryable: false });
    }
  });

  it('keeps other prose errors, and an error without a body, without a code', () => {
    expect(refusal({ isError: true, ...text('Topic name too long') })).toMatchObject({
      code: undefined,
      message: 'lock_context: Topic name too long',
      retryable: false,
    });
    expect(refusal({ isError: true, content: [] })).toMatchObject({
      code: undefined,
      message: 'lock_context: tool call failed',
    });
    // A code that is not a string is no code; the message is the text.
    expect(refusal({ isError: true, ...text({ error: 42 }) })).toMatchObject({ code: undefined });
  });

  it('cuts a huge error message to 500 characters', () => {
    const error = refusal({ isError: true, ...text('x'.repeat(100_000)) });
    expect(error.message).toHaveLength('lock_context: '.length + 500);
  });
});

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
    for (const body of [readToolResult('recall_batch', text(list)), { results: list }, { contexts: list }]) {
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

describe('StompyClient against a server answering in each form', () => {
  /** A client (project `p`) to an in-process server double whose tools answer as given, and its calls. */
  function clientAnswering(answers: Record<string, DoubleAnswer>) {
    const double = new MemoryServerDouble({ answers });
    const session = new McpSession(double.target(), 5_000, silentLogger);
    return { client: new StompyClient(session, 'p'), calls: double.calls, close: () => session.close() };
  }

  const WRITE = { topic: 't', content: 'c', tags: ['a', 'b'], priority: 'reference' as const };

  it('searches with the tags as a comma list and the project, and reads hosted and our hits alike', async () => {
    const { client, calls, close } = clientAnswering({
      context_search: text({
        results: [HOSTED_HIT, 'junk', { ...HOSTED_HIT, label: 'broken', metadata: '{broken' }],
        total_found: 3,
        search_mode: 'hybrid',
      }),
    });
    const hits = await client.search('C1', { tags: ['customer:C1', 'issue'], limit: 5 });
    expect(calls.map(({ tool, args }) => ({ tool, args }))).toEqual([
      { tool: 'context_search', args: { query: 'C1', tags: 'customer:C1,issue', limit: 5, project: 'p' } },
    ]);
    expect(hits).toEqual([
      expect.objectContaining({ topic: HOSTED_HIT.label, tags: ['customer:C1', 'issue'], score: 0.03 }),
      expect.objectContaining({ topic: 'broken', tags: [], priority: undefined }),
    ]);
    await close();

    const ours = clientAnswering({
      context_search: {
        ...text({ ignored: true }),
        structuredContent: { results: [OUR_HIT], total_found: 1 },
      },
    });
    expect(await ours.client.search('q')).toEqual([
      expect.objectContaining({ topic: 't', version: '1.2', score: 2 }),
    ]);
    await ours.close();
  });

  it('reads a search answer of another shape as no hits', async () => {
    const { client, close } = clientAnswering({
      context_search: text({ results: 'none', total_found: 'x' }),
    });
    expect(await client.search('q')).toEqual([]);
    await close();
  });

  it.each([
    [
      'topic-keyed, with found and not_found',
      (topics: string[]) => ({
        results: Object.fromEntries(
          topics.filter((t) => t !== 'b').map((t) => [t, { found: true, content: t, version: '1.0' }]),
        ),
        found: topics.filter((t) => t !== 'b'),
        not_found: ['b'],
      }),
    ],
    [
      'a bare list',
      (topics: string[]) =>
        topics.map((t) =>
          t === 'b'
            ? { topic: t, found: false, error: 'not found' }
            : { topic: t, found: true, content: t, version: '1.0' },
        ),
    ],
    [
      'a list under results',
      (topics: string[]) => ({
        results: topics
          .filter((t) => t !== 'b')
          .map((t) => ({ topic: t, found: true, content: t, version: '1.0' })),
      }),
    ],
  ])('recalls a batch answered as %s, 50 topics a call', async (_name, form) => {
    const { client, calls, close } = clientAnswering({
      recall_batch: (args) => text(form(args.topics as string[])),
    });
    const asked = ['a', 'b', ...Array.from({ length: 60 }, (_, i) => `t${i}`)];
    const found = await client.recallBatch(asked);
    expect(found.size).toBe(61);
    expect(found.has('b')).toBe(false);
    expect(found.get('a')).toMatchObject({ topic: 'a', version: '1.0', content: 'a' });
    expect(calls.map((c) => (c.args.topics as string[]).length)).toEqual([50, 12]);
    expect(calls[0]?.args.project).toBe('p');
    await close();
  });

  it('writes with lock_context and reads the version and a usage_warning sibling', async () => {
    const { client, calls, close } = clientAnswering({
      lock_context: text({
        id: 1,
        topic: 't',
        version: '1.3',
        usage_warning: { used: 50, cap: 60, pct: 83.3, resets_at: '2026-11-25T07:00:00Z' },
      }),
    });
    expect(await client.lockContext({ ...WRITE, forceStore: true })).toEqual({
      topic: 't',
      version: '1.3',
      usageWarning: { used: 50, cap: 60, pct: 83.3, resetsAt: '2026-11-25T07:00:00Z' },
    });
    expect(calls[0]?.args).toEqual({
      topic: 't',
      content: 'c',
      tags: 'a,b',
      priority: 'reference',
      force_store: true,
      project: 'p',
    });
    await close();
  });

  it('accepts a numeric version, and refuses a write answer with no version at all', async () => {
    const numeric = clientAnswering({ lock_context: text({ topic: 't', version: 1.1 }) });
    expect(await numeric.client.lockContext(WRITE)).toMatchObject({
      version: '1.1',
      usageWarning: undefined,
    });
    await numeric.close();
    // Nothing says it was stored: an unreadable answer (delivery checks before writing again) ...
    const bare = clientAnswering({ lock_context: text({ ok: true }) });
    await expect(bare.client.lockContext(WRITE)).rejects.toMatchObject({ code: 'malformed_result' });
    await bare.close();
    // ... or an error told in the body without isError.
    const coded = clientAnswering({ lock_context: text({ error: 'invalid_input', message: 'tags: bad' }) });
    await expect(coded.client.lockContext(WRITE)).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'lock_context: tags: bad',
    });
    await coded.close();
  });

  it('writes a batch with lock_context_batch: a receipt or an error per entry, in order', async () => {
    const { client, calls, close } = clientAnswering({
      lock_context_batch: text({
        results: [
          { topic: 'a', version: '1.0' },
          { topic: 'b', error: 'invalid_input', message: 'content too long' },
          { topic: 'c', version: 2 },
        ],
        usage_warning: { used: 59, cap: 60 },
      }),
    });
    expect(await client.supportsBatchWrites()).toBe(true);
    const results = await client.lockContextBatch(['a', 'b', 'c', 'd'].map((topic) => ({ ...WRITE, topic })));
    expect(results[0]).toEqual({
      topic: 'a',
      version: '1.0',
      usageWarning: { used: 59, cap: 60, pct: (100 * 59) / 60, resetsAt: undefined },
    });
    expect(results[1]).toMatchObject({
      code: 'invalid_input',
      message: 'lock_context_batch: b: content too long',
    });
    expect(results[2]).toMatchObject({ topic: 'c', version: '2' });
    expect(results[3]).toMatchObject({ code: 'missing_result' });
    expect((calls[0]?.args.contexts as unknown[]).length).toBe(4);
    await close();
  });

  it('does without the batch tool when tools/list does not offer it', async () => {
    const { client, close } = clientAnswering({ lock_context: text({ topic: 't', version: '1.0' }) });
    expect(await client.supportsBatchWrites()).toBe(false);
    await close();
  });

  it('reads recall_context, and a not-found answer (coded or in prose) as absent', async () => {
    const found = clientAnswering({
      recall_context: text({ topic: 't', version: '1.0', content: 'c', tags: ['a'], priority: 'reference' }),
    });
    expect(await found.client.recallContext('t')).toMatchObject({
      topic: 't',
      content: 'c',
      priority: 'reference',
    });
    await found.close();
    for (const answer of [
      { isError: true, ...text({ error: 'not_found', message: 'topic not found' }) },
      { isError: true, ...text('Topic t not found in project p') },
    ]) {
      const missing = clientAnswering({ recall_context: answer });
      expect(await missing.client.recallContext('t')).toBeUndefined();
      await missing.close();
    }
  });

  it('turns refusals into StompyToolError: a text-only rate limit, a coded refusal, and an answer the SDK finds invalid', async () => {
    const { client, close } = clientAnswering({
      lock_context: { isError: true, ...text('Rate limit exceeded: 60 requests per minute') },
      recall_batch: { isError: true, ...text({ error: 'invalid_input', message: 'topics: 1 to 50' }) },
      // Content must be a list: the SDK's server refuses to send this and answers a JSON-RPC error.
      context_search: { content: 'not a list' } as unknown as CallToolResult,
    });
    await expect(client.lockContext(WRITE)).rejects.toMatchObject({
      name: 'StompyToolError',
      code: 'rate_limit_exceeded',
      retryable: true,
    });
    await expect(client.recallBatch(['a'])).rejects.toMatchObject({
      code: 'invalid_input',
      retryable: false,
    });
    await expect(client.search('q')).rejects.toMatchObject({
      name: 'StompyToolError',
      code: 'malformed_result',
    });
    await close();
  });
});
