import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config';
import { createServerDeps, createStompyServer, type StompyServerDeps } from '../create-server';
import { secretsEqual } from '../transports/bearer-auth';
import { startHttpServer, type RunningHttpServer } from '../transports/http-server';
import { captureLogger } from './helpers/capture-logger';
import { stringMatching } from './helpers/matchers';

// The HTTP endpoints as a plain HTTP client sees them: auth on every route, size and shape limits,
// loopback-only binding without a token, and the Host check that defeats DNS rebinding.

const TOKEN = 's3cret-token-7f';
const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'curl', version: '0' } },
};
const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

let dir: string;
let deps: StompyServerDeps;
let server: RunningHttpServer;
const log = captureLogger();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'http-endpoints-'));
  deps = createServerDeps(resolveConfig({ dbPath: join(dir, 'memory.db'), logger: log.logger }));
  server = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: log.logger,
    token: TOKEN,
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(async () => {
  await server.close();
  await deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });
}

/** A `tools/call` request body. */
function toolCall(name: string, args: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/** Opens an SSE session with the token and returns the path its messages go to (`/messages?sessionId=`). */
async function openSseSession(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const response = await fetch(`${server.url}/sse`, { headers: auth });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
  let text = '';
  let endpoint: string | undefined;
  while (endpoint === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the SSE stream ended before naming its endpoint: ${text}`);
    text += Buffer.from(value).toString('utf8');
    endpoint = /^data: (\/messages\S+)$/m.exec(text)?.[1];
  }
  return { endpoint, close: () => reader.cancel() };
}

/**
 * A request through node:http, which lets a test send a foreign Host header, a chunked body (no
 * Content-Length) or part of a body and then stall. Resolves with the status, headers and body.
 */
function rawRequest(
  url: string,
  options: { headers?: Record<string, string>; chunks?: string[]; stall?: boolean },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...MCP_HEADERS, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (!options.stall) req.end();
  });
}

it('answers an authorized MCP initialize and a tool call', async () => {
  const init = await post('/mcp', JSON.stringify(INIT), auth);
  expect(init.status).toBe(200);
  expect(await init.json()).toMatchObject({ result: { serverInfo: { name: 'stompy-memory' } } });
  const call = await post(
    '/mcp',
    JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'context_dashboard', arguments: {} },
    }),
    auth,
  );
  expect(call.status).toBe(200);
});

it('refuses every route but the health probe without the right token (401), and never logs the token', async () => {
  const wrong = 'Bearer wrong-token-5d1';
  const attempts: Record<string, string>[] = [{}, { Authorization: wrong }, { Authorization: TOKEN }];
  for (const headers of attempts) {
    expect((await post('/mcp', JSON.stringify(INIT), headers)).status).toBe(401);
    expect((await fetch(`${server.url}/sse`, { headers })).status).toBe(401);
    expect((await post('/messages?sessionId=x', '{}', headers)).status).toBe(401);
  }
  const refused = await post('/mcp', JSON.stringify(INIT));
  expect(refused.headers.get('www-authenticate')).toBe('Bearer');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  // A valid session id does not stand in for the token.
  const session = await openSseSession();
  expect((await post(session.endpoint, JSON.stringify(INIT), { Authorization: wrong })).status).toBe(401);
  await session.close();
  expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
  expect(JSON.stringify(log.lines)).not.toContain('wrong-token-5d1');
});

it('accepts the token on every route: /mcp (200), /sse (200, an event stream) and /messages (202)', async () => {
  expect((await post('/mcp', JSON.stringify(INIT), auth)).status).toBe(200);
  const session = await openSseSession();
  expect(session.endpoint).toMatch(/^\/messages\?sessionId=[\w-]+$/);
  expect((await post(session.endpoint, JSON.stringify(INIT), auth)).status).toBe(202);
  await session.close();
});

it('compares tokens in constant time, whatever their lengths', () => {
  expect(secretsEqual(TOKEN, TOKEN)).toBe(true);
  expect(secretsEqual(TOKEN, `${TOKEN}x`)).toBe(false);
  expect(secretsEqual('', TOKEN)).toBe(false);
});

it('refuses an oversized body (413) and malformed JSON (400), storing nothing', async () => {
  const big = JSON.stringify({ ...INIT, padding: 'x'.repeat(100 * 1024) });
  expect((await post('/mcp', big, auth)).status).toBe(413);
  expect((await post('/mcp', '{"jsonrpc": ', auth)).status).toBe(400);
  expect((await deps.store.dashboard()).total_topics).toBe(0);
});

it('refuses a lock_context over the body limit, declared or chunked, on /mcp and /messages (413), storing nothing', async () => {
  const before = await deps.store.dashboard();
  const body = toolCall('lock_context', { topic: 'too-big', content: 'x'.repeat(70 * 1024) });
  const declared = await post('/mcp', body, auth);
  expect(declared.status).toBe(413);
  expect(await declared.json()).toMatchObject({
    error: { message: stringMatching(/exceeds the 65536-byte limit/) },
  });
  // Without a Content-Length, the limit is enforced while reading.
  const chunks = Array.from({ length: 8 }, (_, i) => body.slice(i * 10_000, (i + 1) * 10_000));
  expect((await rawRequest(`${server.url}/mcp`, { headers: auth, chunks })).status).toBe(413);
  const session = await openSseSession();
  expect((await post(session.endpoint, body, auth)).status).toBe(413);
  expect((await rawRequest(`${server.url}${session.endpoint}`, { headers: auth, chunks })).status).toBe(413);
  await session.close();
  expect(await deps.store.dashboard()).toEqual(before);
});

it('answers a client that stalls mid-body with 408 and closes the connection', async () => {
  const slow = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: log.logger,
    token: TOKEN,
    bodyTimeoutMs: 200,
  });
  try {
    const answer = await rawRequest(`${slow.url}/mcp`, {
      headers: auth,
      chunks: ['{"jsonrpc": '],
      stall: true,
    });
    expect(answer.status).toBe(408);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toMatch(/not received within 200 ms/);
  } finally {
    await slow.close();
  }
});

it('answers 405 to GET /mcp (stateless), 404 to unknown routes and SSE sessions', async () => {
  const get = await fetch(`${server.url}/mcp`, { headers: auth });
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');
  expect((await fetch(`${server.url}/mcp`, { method: 'DELETE', headers: auth })).status).toBe(405);
  expect((await fetch(`${server.url}/nope`, { headers: auth })).status).toBe(404);
  expect((await post('/messages?sessionId=unknown', '{}', auth)).status).toBe(404);
});

it('answers a POST that does not accept event streams with plain JSON, as hosted Stompy does', async () => {
  // Stompy's CLI sends only Content-Type (no Accept): the SDK alone would answer 406.
  for (const accept of [undefined, 'application/json', 'text/event-stream', '*/*']) {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth, ...(accept ? { Accept: accept } : {}) },
      body: JSON.stringify(INIT),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'stompy-memory' } } });
  }
});

it('refuses requests whose Host header names another machine when bound to loopback (403)', async () => {
  const foreign = await rawRequest(`${server.url}/mcp`, {
    headers: { ...auth, Host: 'evil.example:80' },
    chunks: [JSON.stringify(INIT)],
  });
  expect(foreign.status).toBe(403);
  const local = { ...auth, Host: `localhost:${server.port}` };
  expect(
    (await rawRequest(`${server.url}/mcp`, { headers: local, chunks: [JSON.stringify(INIT)] })).status,
  ).toBe(200);
});

it('serves many concurrent stateless requests', async () => {
  const statuses = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      post(
        '/mcp',
        JSON.stringify({
          jsonrpc: '2.0',
          id: i,
          method: 'tools/call',
          params: { name: 'lock_context', arguments: { topic: `c${i}`, content: `note ${i}` } },
        }),
        auth,
      ).then((r) => r.status),
    ),
  );
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect((await deps.store.dashboard()).total_topics).toBe(50);
});

it('refuses to bind beyond loopback without a token, and binds with one', async () => {
  await expect(
    startHttpServer({ createMcpServer: () => createStompyServer(deps), logger: log.logger, host: '0.0.0.0' }),
  ).rejects.toThrow(/refusing to bind 0\.0\.0\.0 without a bearer token.*--token/);
  const open = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: log.logger,
    host: '0.0.0.0',
    token: `${TOKEN}-off-loopback`, // off loopback a token needs 16 characters or more
  });
  await open.close();
});
