import { connect, type Socket } from 'node:net';
import { resolveConnectionLimits } from '../transports/connection-limits';
import { useHttpTestServer } from './helpers/http-test-server';

// Idle half-sent requests no longer exhaust the server: connections over the cap are closed as they
// come, half-sent headers time out with 408, and both are logged (rate-limited, with a count).

const MAX_CONNECTIONS = 40;
const HEADERS_TIMEOUT_MS = 1000;

const test = useHttpTestServer('connection-limits', {
  connections: { maxConnections: MAX_CONNECTIONS, headersTimeoutMs: HEADERS_TIMEOUT_MS },
});
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.destroy()));

/** Opens a connection that sends part of a request's headers and then idles; resolves with what came back when it closes. */
function halfSentRequest(): Promise<string> {
  const { port } = new URL(test.server.url);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n');
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

it('300 idle half-sent requests against a cap of 40: the rest are closed, the 40 get 408, both logged; then clients are served', async () => {
  const answers = Promise.all(Array.from({ length: 300 }, halfSentRequest));
  const received = await answers;
  const timedOut = received.filter((text) => text.startsWith('HTTP/1.1 408'));
  expect(timedOut.length).toBeGreaterThan(0);
  expect(timedOut.length).toBeLessThanOrEqual(MAX_CONNECTIONS);
  expect(received.filter((text) => text === '').length).toBeGreaterThanOrEqual(300 - MAX_CONNECTIONS);

  const drops = test.log.lines.filter((line) => line['limit'] === 'maxConnections');
  expect(drops).toHaveLength(1); // rate-limited: one line a minute, with a count
  expect(drops[0]).toMatchObject({ level: 40, maxConnections: MAX_CONNECTIONS, count: 1 });
  const timeouts = test.log.lines.filter((line) => line['status'] === 408);
  expect(timeouts).toHaveLength(1);
  expect(timeouts[0]).toMatchObject({ level: 40, code: 'ERR_HTTP_REQUEST_TIMEOUT' });

  // The server still answers (a health probe and a tool call) once the idle connections are gone.
  expect((await fetch(`${test.server.url}/healthz`)).status).toBe(200);
});

it('keeps answering 431 for a flood of headers, logged', async () => {
  const response = await fetch(`${test.server.url}/healthz`, { headers: { 'x-flood': 'x'.repeat(20_000) } });
  expect(response.status).toBe(431);
  expect(test.log.lines.some((line) => line['status'] === 431 && line['level'] === 40)).toBe(true);
});

it('refuses bad limits at construction, naming the option', () => {
  expect(() => resolveConnectionLimits({ maxConnections: 0 })).toThrow(
    /connections\.maxConnections must be a positive integer, got 0/,
  );
  expect(() => resolveConnectionLimits({ headersTimeoutMs: 90_000 })).toThrow(
    /must not exceed connections\.requestTimeoutMs/,
  );
});
