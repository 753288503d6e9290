import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  jsonResult,
  MemoryServerDouble,
  textResult,
  type DoubleAnswer,
} from '../../__tests__/helpers/memory-server-double';
import { HOSTED_HIT, OUR_HIT } from '../../__tests__/helpers/search-hits';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { McpSession } from '../mcp-session';
import { StompyClient } from '../stompy-client';

// StompyClient speaks Stompy's tools with Stompy's argument shapes, and reads every form in which
// hosted Stompy, older servers and our own server answer: it talks to a real MCP server (in-process,
// over the SDK's in-memory transport) that answers in each form. That server is the server double (our
// own server answers only in the newer forms); it is a real `McpServer` of the MCP SDK, so the client
// parses what such a server puts on the wire.

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
      context_search: jsonResult({
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
        ...jsonResult({ ignored: true }),
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
      context_search: jsonResult({ results: 'none', total_found: 'x' }),
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
      recall_batch: (args) => jsonResult(form(args.topics as string[])),
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
      lock_context: jsonResult({
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
    const numeric = clientAnswering({ lock_context: jsonResult({ topic: 't', version: 1.1 }) });
    expect(await numeric.client.lockContext(WRITE)).toMatchObject({
      version: '1.1',
      usageWarning: undefined,
    });
    await numeric.close();
    // Nothing says it was stored: an unreadable answer (delivery checks before writing again) ...
    const bare = clientAnswering({ lock_context: jsonResult({ ok: true }) });
    await expect(bare.client.lockContext(WRITE)).rejects.toMatchObject({ code: 'malformed_result' });
    await bare.close();
    // ... or an error told in the body without isError.
    const coded = clientAnswering({
      lock_context: jsonResult({ error: 'invalid_input', message: 'tags: bad' }),
    });
    await expect(coded.client.lockContext(WRITE)).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'lock_context: tags: bad',
    });
    await coded.close();
  });

  it('writes a batch with lock_context_batch: a receipt or an error per entry, in order', async () => {
    const { client, calls, close } = clientAnswering({
      lock_context_batch: jsonResult({
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
    const { client, close } = clientAnswering({ lock_context: jsonResult({ topic: 't', version: '1.0' }) });
    expect(await client.supportsBatchWrites()).toBe(false);
    await close();
  });

  it('reads recall_context, and a not-found answer (coded or in prose) as absent', async () => {
    const found = clientAnswering({
      recall_context: jsonResult({
        topic: 't',
        version: '1.0',
        content: 'c',
        tags: ['a'],
        priority: 'reference',
      }),
    });
    expect(await found.client.recallContext('t')).toMatchObject({
      topic: 't',
      content: 'c',
      priority: 'reference',
    });
    await found.close();
    for (const answer of [
      { isError: true, ...jsonResult({ error: 'not_found', message: 'topic not found' }) },
      { isError: true, ...textResult('Topic t not found in project p') },
    ]) {
      const missing = clientAnswering({ recall_context: answer });
      expect(await missing.client.recallContext('t')).toBeUndefined();
      await missing.close();
    }
  });

  it('turns refusals into StompyToolError: a text-only rate limit, a coded refusal, and an answer the SDK finds invalid', async () => {
    const { client, close } = clientAnswering({
      lock_context: { isError: true, ...textResult('Rate limit exceeded: 60 requests per minute') },
      recall_batch: { isError: true, ...jsonResult({ error: 'invalid_input', message: 'topics: 1 to 50' }) },
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
