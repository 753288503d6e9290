import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config';
import { createServerDeps, createStompyServer, type StompyServerDeps } from '../create-server';
import { serveHttp } from '../serve-http';
import { startHttpServer } from '../transports/http-server';
import { captureLogger } from './helpers/capture-logger';

// /healthz says the process is live, /readyz that the store answers; closing lets requests in
// flight finish (bounded) while refusing new connections. Real HTTP, real SQLite.

let dir: string;
let deps: StompyServerDeps;
const log = captureLogger();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'probes-and-shutdown-'));
  deps = createServerDeps(resolveConfig({ dbPath: join(dir, 'memory.db'), logger: log.logger }));
});
afterEach(async () => {
  await deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('/readyz answers 200 while the store answers and 503 once it does not; /healthz stays 200', async () => {
  const server = await serveHttp(deps);
  try {
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    await deps.store.close();
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    await server.close();
  }
});

it('/readyz answers 503 when the check throws or does not answer in time, and logs why', async () => {
  for (const ready of [
    () => Promise.reject(new Error('store gone')),
    () => new Promise<boolean>(() => undefined),
  ]) {
    const server = await startHttpServer({
      createMcpServer: () => createStompyServer(deps),
      logger: log.logger,
      ready,
    });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    } finally {
      await server.close();
    }
  }
  expect(log.lines.map((line) => line['msg'])).toEqual(
    expect.arrayContaining([
      'memory server: not ready, the readiness check failed',
      'memory server: not ready, the readiness check timed out',
    ]),
  );
});

/** Sends a request's headers and the first half of its body; resolves once the server took the request (100 Continue). */
function startRequest(url: string, body: string): Promise<{ socket: Socket; finish(): Promise<string> }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return new Promise((resolve) => {
    const check = (): void => {
      if (!received.includes('100 Continue')) return;
      socket.off('data', check);
      resolve({
        socket,
        finish: () => {
          socket.write(body.slice(half));
          return closed;
        },
      });
    };
    socket.on('data', check);
  });
}

const dashboardCall = JSON.stringify({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'context_dashboard', arguments: {} },
});

it('closing refuses new connections, lets a request in flight finish, then resolves', async () => {
  const server = await serveHttp(deps);
  const inFlight = await startRequest(server.url, dashboardCall);
  let closed = false;
  const closing = server.close().then(() => (closed = true));
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  expect(closed).toBe(false);
  const answer = await inFlight.finish();
  expect(answer).toMatch(/HTTP\/1\.1 200 OK/);
  expect(answer).toMatch(/connection: close/i);
  expect(answer).toContain('"id":7');
  await closing;
  expect(closed).toBe(true);
});

it('closing cuts off requests still in flight after its timeout, and logs it', async () => {
  const server = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: log.logger,
    shutdownTimeoutMs: 300,
  });
  const inFlight = await startRequest(server.url, dashboardCall);
  const started = Date.now();
  await server.close();
  expect(Date.now() - started).toBeLessThan(5000);
  // The server cut the connection: the client sees it close (no answer came).
  expect(await inFlight.finish()).not.toMatch(/200 OK/);
  expect(log.lines).toContainEqual(
    expect.objectContaining({
      level: 40,
      requests: 1,
      msg: 'memory server: closing, requests still in flight were cut off',
    }),
  );
});
