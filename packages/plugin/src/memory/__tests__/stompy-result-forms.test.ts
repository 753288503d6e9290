import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pino from 'pino';
import { z } from 'zod';
import { McpSession } from '../mcp-session';
import { StompyToolError } from '../stompy-errors';
import { StompyClient } from '../stompy-client';

// The client accepts every result form hosted Stompy and older servers send. A real McpServer
// (in-process, over the SDK's in-memory transport) answers in each form; our own server's forms are
// covered by the integration tests.

const text = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value) }],
});

async function clientAnswering(
  answers: Record<string, CallToolResult>,
): Promise<{ client: StompyClient; close(): Promise<void> }> {
  const createServer = (): McpServer => {
    const server = new McpServer({ name: 'forms', version: '0.0.0' });
    for (const [name, answer] of Object.entries(answers)) {
      server.registerTool(
        name,
        {
          inputSchema: {
            topic: z.unknown().optional(),
            topics: z.unknown().optional(),
            query: z.unknown().optional(),
            tags: z.unknown().optional(),
            limit: z.unknown().optional(),
            content: z.unknown().optional(),
            priority: z.unknown().optional(),
            project: z.unknown().optional(),
          },
        },
        () => answer,
      );
    }
    return server;
  };
  const session = new McpSession(
    { kind: 'in-process', createServer, description: 'forms' },
    5_000,
    pino({ level: 'silent' }),
  );
  return { client: new StompyClient(session, 'p'), close: () => session.close() };
}

const HOSTED_HIT = {
  id: 7,
  label: 'temporal:wf:x',
  content: 'Success: no',
  bm25_score: 1.5,
  rrf_score: 0.03,
  temporal_score: 0.9,
  metadata: JSON.stringify({
    tags: ['customer:C1', 'issue'],
    priority: 'important',
    created_at: '2026-11-25T06:00:00Z',
  }),
};

it('reads hosted search results whose metadata is a JSON string, and ours where it is an object', async () => {
  const hosted = await clientAnswering({
    context_search: text({ results: [HOSTED_HIT], total_found: 1, search_mode: 'hybrid' }),
  });
  expect(await hosted.client.search('C1')).toEqual([
    {
      topic: 'temporal:wf:x',
      version: 'latest',
      content: 'Success: no',
      tags: ['customer:C1', 'issue'],
      priority: 'important',
      lockedAt: '2026-11-25T06:00:00Z',
      score: 0.03,
    },
  ]);
  await hosted.close();
  const ours = await clientAnswering({
    context_search: {
      ...text({}),
      structuredContent: {
        results: [
          {
            topic: 't',
            version: '1.2',
            content: 'c',
            metadata: { tags: ['a'], priority: 'reference', created_at: 'x' },
            score: 2,
          },
        ],
      },
    },
  });
  expect(await ours.client.search('q')).toMatchObject([
    { topic: 't', version: '1.2', tags: ['a'], score: 2 },
  ]);
  await ours.close();
});

it('keeps a hit whose metadata string is broken, without tags, and drops entries that are not hits', async () => {
  const { client, close } = await clientAnswering({
    context_search: text({ results: [{ ...HOSTED_HIT, metadata: '{broken' }, 'junk', { topic: 3 }] }),
  });
  expect(await client.search('q')).toMatchObject([{ topic: 'temporal:wf:x', tags: [], priority: undefined }]);
  await close();
});

it('reads recall_batch as a topic-keyed object, as a bare list, and as a list under results', async () => {
  const forms: unknown[] = [
    {
      results: { a: { found: true, version: '1.0', content: 'A', tags: ['x'] } },
      found: ['a'],
      not_found: ['b'],
    },
    [
      { topic: 'a', found: true, content: 'A', version: '1.0' },
      { topic: 'b', found: false, error: 'not found' },
    ],
    { results: [{ topic: 'a', found: true, content: 'A', version: '1.0' }] },
  ];
  for (const form of forms) {
    const { client, close } = await clientAnswering({ recall_batch: text(form) });
    const found = await client.recallBatch(['a', 'b']);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')).toMatchObject({ topic: 'a', version: '1.0', content: 'A' });
    await close();
  }
});

it('reads a write with a usage_warning sibling', async () => {
  const { client, close } = await clientAnswering({
    lock_context: text({
      id: 1,
      topic: 't',
      version: '1.3',
      usage_warning: { used: 50, cap: 60, pct: 83.3, resets_at: '2026-11-25T07:00:00Z' },
    }),
  });
  expect(await client.lockContext({ topic: 't', content: 'c', tags: [], priority: 'reference' })).toEqual({
    topic: 't',
    version: '1.3',
    usageWarning: { used: 50, cap: 60, pct: 83.3, resetsAt: '2026-11-25T07:00:00Z' },
  });
  await close();
});

it('turns refusals into StompyToolError: coded JSON, a rate limit in prose, and a bare error', async () => {
  const { client, close } = await clientAnswering({
    lock_context: {
      isError: true,
      ...text({ error: 'rate_limit_exceeded', message: 'slow down', retry_after_seconds: 12 }),
    },
    recall_context: {
      isError: true,
      content: [{ type: 'text', text: 'Rate limit exceeded. Try again later.' }],
    },
    context_search: { isError: true, content: [] },
  });
  const write = client.lockContext({ topic: 't', content: 'c', tags: [], priority: 'reference' });
  await expect(write).rejects.toMatchObject({
    code: 'rate_limit_exceeded',
    retryAfterSeconds: 12,
    retryable: true,
  });
  await expect(client.recallContext('t')).rejects.toMatchObject({
    code: 'rate_limit_exceeded',
    retryable: true,
  });
  await expect(client.search('q')).rejects.toBeInstanceOf(StompyToolError);
  await close();
});

it('reads recall_context not found as absent, and a non-JSON answer as a malformed result', async () => {
  const { client, close } = await clientAnswering({
    recall_context: { isError: true, ...text({ error: 'not_found', message: 'topic not found' }) },
    lock_context: { content: [{ type: 'text', text: 'OK!' }] },
  });
  expect(await client.recallContext('t')).toBeUndefined();
  await expect(
    client.lockContext({ topic: 't', content: 'c', tags: [], priority: 'reference' }),
  ).rejects.toMatchObject({
    code: 'malformed_result',
  });
  await close();
});
