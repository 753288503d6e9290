import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { z } from 'zod';
import { StompyPlugin, type StompyPluginOptions } from '../index';
import * as activities from './bad-input-fixtures/activities';

// Bad inputs never reach user code: huge and odd arguments, rules that throw or return garbage, and
// a memory server that answers nonsense. Each workflow returns exactly what it returns without the
// plugin, and every problem is logged and counted.

const workflowsPath = require.resolve('./bad-input-fixtures/workflows');
let env: TestWorkflowEnvironment;
let dir: string;
let queue = 0;

beforeAll(async () => {
  // Temporal's default blob limit is 2 MB: raise it so a multi-MB argument reaches the worker.
  env = await startTestEnvironment({
    server: {
      extraArgs: [
        '--dynamic-config-value',
        'limit.blobSize.error=8388608',
        '--dynamic-config-value',
        'limit.blobSize.warn=8388608',
      ],
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'bad-inputs-'));
}, 120_000);
afterAll(async () => {
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) },
  );
  return { logger, lines };
}

/** Runs EchoWorkflow with each payload on a worker (with the plugin when given) and returns the results. */
async function echo(plugin: StompyPlugin | undefined, payloads: unknown[]): Promise<string[]> {
  const taskQueue = `bad-inputs-${queue++}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    ...(plugin ? { plugins: [plugin] } : {}),
  });
  return worker.runUntil(async () => {
    const results: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      results.push(
        await env.client.workflow.execute<
          (input: { customerId: string; payload: unknown }) => Promise<string>
        >('EchoWorkflow', {
          taskQueue,
          workflowId: `${taskQueue}-${i}`,
          args: [{ customerId: `C${i}`, payload }],
        }),
      );
    }
    return results;
  });
}

const PAYLOADS = [
  'x'.repeat(3 * 1024 * 1024), // a 3 MB argument
  { nested: { deeper: { list: Array.from({ length: 1000 }, (_, i) => ({ i, s: `v${i}` })) } } },
  { unicode: '\u{1F600} ünïcödé \u0000 null byte', empty: '' },
  null,
];

it('passes huge and odd arguments through unchanged, with raw capture on', async () => {
  const { logger, lines } = capturingLogger();
  const plugin = new StompyPlugin({
    memory: { dbPath: join(dir, 'capture-memory.db') },
    outbox: { path: join(dir, 'capture-outbox.db') },
    capture: { args: true, result: true },
    rules: [
      { workflow: 'EchoWorkflow', entities: { customer: 'args.0.customerId', payload: 'args.0.payload' } },
    ],
    logger,
  });
  expect(await echo(plugin, PAYLOADS)).toEqual(await echo(undefined, PAYLOADS));
  expect(plugin.counters()).toMatchObject({
    outcomesQueued: 8,
    outcomesDelivered: 8,
    outcomesDropped: 0,
    internalErrors: 0,
  });
  expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
});

it('skips rules that throw or return garbage, logs and counts them, and runs the activity as usual', async () => {
  const { logger, lines } = capturingLogger();
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const rules: StompyPluginOptions['rules'] = [
    {
      activity: 'describeInput',
      entities: () => {
        throw new Error('rule bug');
      },
    },
    {
      activity: (type) => {
        if (type) throw new Error('matcher bug');
        return false;
      },
    },
    {
      activity: 'describeInput',
      eventTime: () => {
        throw new Error('time bug');
      },
    },
    {
      activity: 'describeInput',
      entities: () => ({ big: 10n, obj: circular as never, nan: NaN, ok: 'yes' }),
    },
    { activity: 'describeInput', entities: () => 'not an object' as never },
  ];
  const plugin = new StompyPlugin({
    memory: { dbPath: join(dir, 'rules-memory.db') },
    outbox: { path: join(dir, 'rules-outbox.db') },
    rules,
    logger,
  });
  expect(await echo(plugin, ['a', 'b'])).toEqual(['C0:3', 'C1:3']);
  // Per attempt: the throwing entities function, the throwing matcher and the throwing event time.
  expect(plugin.counters().ruleErrors).toBe(6);
  expect(plugin.counters().internalErrors).toBe(0);
  const warnings = lines.filter((l) => l.level === 40).map((l) => String(l.msg));
  expect(warnings.some((m) => m.includes('an activity tag rule threw'))).toBe(true);
  expect(warnings.some((m) => m.includes('matcher threw'))).toBe(true);
});

/**
 * A memory server that answers every Stompy tool with nonsense. It is a test double (our own server
 * never answers like this) built from the real MCP SDK over real Streamable HTTP, so the plugin's
 * client parses exactly what such a server would put on the wire.
 */
async function nonsenseServer(): Promise<{ url: string; close(): Promise<void> }> {
  const answers: Record<string, CallToolResult> = {
    context_search: {
      content: [
        {
          type: 'text',
          text: '{"results": [{"topic": 1}, "junk", {"metadata": "{broken"}], "total_found": "x"',
        },
      ],
    },
    lock_context: { content: [{ type: 'text', text: 'not json at all' }] },
    recall_batch: { content: [{ type: 'text', text: '[1, 2, 3]' }] },
    recall_context: { isError: true, content: [] },
  };
  const build = (): McpServer => {
    const server = new McpServer({ name: 'nonsense', version: '0.0.0' });
    for (const [name, answer] of Object.entries(answers)) {
      server.registerTool(name, { inputSchema: { anything: z.unknown().optional() } }, () => answer);
    }
    return server;
  };
  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const server = build();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => void transport.close());
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

it('degrades to no memory when the server answers nonsense, and keeps the outcomes queued', async () => {
  const server = await nonsenseServer();
  try {
    const { logger } = capturingLogger();
    const plugin = new StompyPlugin({
      memory: { url: server.url },
      outbox: { path: join(dir, 'nonsense-outbox.db') },
      rules: [{ workflow: 'EchoWorkflow', entities: { customer: 'args.0.customerId' } }],
      shutdownFlushMs: 500,
      logger,
    });
    expect(await echo(plugin, ['a', 'b'])).toEqual(['C0:3', 'C1:3']);
    const counters = plugin.counters();
    expect(counters).toMatchObject({ outcomesQueued: 4, outcomesDelivered: 0, internalErrors: 0 });
    // The nonsense never counts as delivered: the entries wait (or are dead-lettered after repeated
    // unreadable answers), and recall served what it could read: nothing.
    expect(counters.deliveryRetries + counters.outcomesDropped).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
});
