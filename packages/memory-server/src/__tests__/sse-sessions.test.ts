import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config';
import { createServerDeps, createStompyServer, type StompyServerDeps } from '../create-server';
import { startHttpServer, type RunningHttpServer } from '../transports/http-server';
import { captureLogger } from './helpers/capture-logger';

// Legacy SSE sessions hold a connection and an MCP server each, for as long as the client keeps the
// stream: they get keep-alive comments, end when idle, and are capped. Real HTTP, short limits.

const IDLE_MS = 600;
const MAX_SESSIONS = 2;

let dir: string;
let deps: StompyServerDeps;
let server: RunningHttpServer;
const log = captureLogger();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sse-sessions-'));
  deps = createServerDeps(resolveConfig({ dbPath: join(dir, 'memory.db'), logger: log.logger }));
  server = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: log.logger,
    sse: { maxSessions: MAX_SESSIONS, idleTimeoutMs: IDLE_MS },
  });
});
afterAll(async () => {
  await server.close();
  await deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An open SSE stream: what it has sent so far, and a promise that settles when the server ends it. */
interface OpenStream {
  endpoint: string;
  text(): string;
  ended: Promise<void>;
  cancel(): Promise<void>;
}

async function openStream(): Promise<OpenStream> {
  const response = await fetch(`${server.url}/sse`);
  expect(response.status).toBe(200);
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
  let text = '';
  let named: (endpoint: string) => void = () => undefined;
  const endpoint = new Promise<string>((resolve) => (named = resolve));
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += Buffer.from(value).toString('utf8');
      const found = /^data: (\/messages\S+)$/m.exec(text)?.[1];
      if (found) named(found);
    }
  })();
  ended.catch(() => undefined);
  return { endpoint: await endpoint, text: () => text, ended, cancel: () => reader.cancel() };
}

/** Sends a JSON-RPC ping into a session; resolves with the HTTP status. */
async function ping(endpoint: string): Promise<number> {
  const response = await fetch(`${server.url}${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await response.body?.cancel();
  return response.status;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('sends keep-alive comments, then ends a session that sent nothing for the idle timeout', async () => {
  // Timed from before the stream is asked for: the server's idle clock starts when it opens the
  // session, which a busy machine may do well before this test reads the endpoint event.
  const askedAt = Date.now();
  const stream = await openStream();
  await stream.ended;
  expect(Date.now() - askedAt).toBeGreaterThanOrEqual(IDLE_MS - 50);
  expect(stream.text()).toContain(': keep-alive\n\n');
  // The ended session is gone: its endpoint no longer answers.
  expect(await ping(stream.endpoint)).toBe(404);
  expect(log.lines).toContainEqual(
    expect.objectContaining({ msg: 'memory server: SSE session ended after being idle' }),
  );
});

it('keeps a session that sends messages open past the idle timeout', async () => {
  const stream = await openStream();
  let ended = false;
  void stream.ended.then(() => (ended = true));
  for (let i = 0; i < 6; i++) {
    expect(await ping(stream.endpoint)).toBe(202);
    await sleep(IDLE_MS / 3);
  }
  // Twice the idle timeout has passed, and the session is still answering.
  expect(ended).toBe(false);
  expect(stream.text()).toContain('"id":1');
  await stream.cancel();
});

it('refuses one session more than the cap with 503 and Retry-After, and opens one once a session ends', async () => {
  const streams = await Promise.all(Array.from({ length: MAX_SESSIONS }, openStream));
  const refused = await fetch(`${server.url}/sse`);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(await refused.json()).toMatchObject({ error: 'overloaded' });
  await streams[0]!.cancel();
  // The server notices the closed stream within moments, then takes a new session.
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    if (i > 0) await sleep(20);
    const probe = await fetch(`${server.url}/sse`);
    status = probe.status;
    await probe.body?.cancel();
  }
  expect(status).toBe(200);
  await Promise.all(streams.slice(1).map((s) => s.cancel()));
});
