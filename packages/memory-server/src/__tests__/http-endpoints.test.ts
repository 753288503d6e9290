import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config';
import { createServerDeps, createStompyServer, type StompyServerDeps } from '../create-server';
import { secretsEqual } from '../transports/bearer-auth';
import { startHttpServer, type RunningHttpServer } from '../transports/http-server';
import { captureLogger } from './helpers/capture-logger';

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
  deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });
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
  const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong' }, { Authorization: TOKEN }];
  for (const headers of attempts) {
    expect((await post('/mcp', JSON.stringify(INIT), headers)).status).toBe(401);
    expect((await fetch(`${server.url}/sse`, { headers })).status).toBe(401);
    expect((await post('/messages?sessionId=x', '{}', headers)).status).toBe(401);
  }
  const refused = await post('/mcp', JSON.stringify(INIT));
  expect(refused.headers.get('www-authenticate')).toBe('Bearer');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
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
  expect(deps.store.dashboard().total_topics).toBe(0);
});

it('answers 405 to GET /mcp (stateless), 404 to unknown routes and SSE sessions', async () => {
  const get = await fetch(`${server.url}/mcp`, { headers: auth });
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');
  expect((await fetch(`${server.url}/nope`, { headers: auth })).status).toBe(404);
  expect((await post('/messages?sessionId=unknown', '{}', auth)).status).toBe(404);
});

it('requires clients to accept JSON and event streams (406 otherwise), as Stompy does', async () => {
  const response = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...auth },
    body: JSON.stringify(INIT),
  });
  expect(response.status).toBe(406);
});

it('refuses requests whose Host header names another machine when bound to loopback (403)', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      `${server.url}/mcp`,
      { method: 'POST', headers: { ...MCP_HEADERS, ...auth, Host: 'evil.example:80' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(INIT));
  });
  expect(status).toBe(403);
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
  expect(deps.store.dashboard().total_topics).toBe(50);
});

it('refuses to bind beyond loopback without a token, and binds with one', async () => {
  await expect(
    startHttpServer({ createMcpServer: () => createStompyServer(deps), logger: log.logger, host: '0.0.0.0' }),
  ).rejects.toThrow(/refusing to bind 0\.0\.0\.0 without a bearer token.*--token/);
  const open = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: log.logger,
    host: '0.0.0.0',
    token: TOKEN,
  });
  await open.close();
});
