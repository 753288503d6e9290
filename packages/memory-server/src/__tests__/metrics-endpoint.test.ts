import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolveConfig } from '../config';
import { openServerDeps, type StompyServerDeps } from '../create-server';
import { serveHttp } from '../serve-http';
import type { RunningHttpServer } from '../transports/http-server';
import { captureLogger } from './helpers/capture-logger';
import { newPostgresDatabase } from './helpers/shared-postgres';

// GET /metrics: what an operator scrapes from a fleet's memory servers, on a real PostgreSQL store.

const TOKEN = 'metrics-test-token-4f1c9a';
let deps: StompyServerDeps;
let server: RunningHttpServer;

beforeAll(async () => {
  const url = await newPostgresDatabase();
  deps = await openServerDeps(
    resolveConfig({ dbPath: url, logger: captureLogger().logger, postgres: { maxConnections: 4 } }),
  );
  server = await serveHttp(deps, { tokens: [TOKEN] });
});
afterAll(async () => {
  await server.close();
  await deps.store.close();
});

async function metrics(token?: string): Promise<Response> {
  return fetch(`${server.url}/metrics`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
}

/** The value of one sample line, e.g. `stompy_memory_tool_calls_total{tool="x",outcome="ok"}`. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

it('counts tool calls by tool and outcome, times them, counts answers by status, and shows the pool', async () => {
  const client = new Client({ name: 'metrics-test', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    }),
  );
  try {
    await client.callTool({ name: 'lock_context', arguments: { topic: 'orders/C1', content: 'a note' } });
    await client.callTool({ name: 'lock_context', arguments: { topic: 'orders/C2', content: 'another' } });
    const refused = await client.callTool({ name: 'recall_context', arguments: { topic: 'never/written' } });
    expect(refused.isError).toBe(true);
  } finally {
    await client.close();
  }
  expect((await metrics()).status).toBe(401);

  const answer = await metrics(TOKEN);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await answer.text();
  expect(sample(text, 'stompy_memory_tool_calls_total{tool="lock_context",outcome="ok"}')).toBe(2);
  expect(sample(text, 'stompy_memory_tool_calls_total{tool="recall_context",outcome="refused"}')).toBe(1);
  expect(sample(text, 'stompy_memory_tool_call_duration_seconds_count{tool="lock_context"}')).toBe(2);
  expect(sample(text, 'stompy_memory_tool_call_duration_seconds_bucket{le="10",tool="lock_context"}')).toBe(
    2,
  );
  expect(sample(text, 'stompy_memory_http_responses_total{status="401"}')).toBe(1);
  expect(sample(text, 'stompy_memory_http_responses_total{status="200"}')).toBeGreaterThanOrEqual(4);
  expect(sample(text, 'stompy_memory_db_pool_connections{state="max"}')).toBe(4);
  expect(sample(text, 'stompy_memory_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
  expect(text).toContain('stompy_memory_process_cpu_seconds_total');
});

it('has no /metrics on a server whose deps carry no metrics (a store embedded elsewhere)', async () => {
  const { metrics: _omitted, ...bare } = deps;
  const plain = await serveHttp(bare, { tokens: [TOKEN] });
  try {
    const answer = await fetch(`${plain.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(answer.status).toBe(404);
  } finally {
    await plain.close();
  }
});
