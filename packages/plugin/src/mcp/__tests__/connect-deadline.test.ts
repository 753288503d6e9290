import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { McpSession } from '../mcp-session';
import { StompyUnavailableError } from '../stompy-errors';

// A connect that the server never completes must fail within the call's timeout, and the next call
// must try again: servers that hang mid-handshake, over plain HTTP.

const TIMEOUT_MS = 300;
const logger = pino({ level: 'silent' });

interface HangingServer {
  url: string;
  /** Requests received, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts a server that answers requests with `handle`, keeping every response it leaves open. */
async function hangingServer(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<HangingServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A session to a hanging server, over one transport, with the test's short call timeout. */
function sessionTo(server: HangingServer, path: '/sse' | '/mcp', transport: 'sse' | 'streamable-http') {
  return new McpSession(
    { kind: 'http', url: new URL(`${server.url}${path}`), transport, token: undefined },
    TIMEOUT_MS,
    logger,
  );
}

/** Calls a tool and expects it to fail as unavailable, well within a second past the call timeout. */
async function expectFastFailure(session: McpSession): Promise<void> {
  const started = Date.now();
  const error = await session.callTool('context_search', { query: 'x' }).then(
    () => new Error('the call succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StompyUnavailableError);
  expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
}

it('gives up on an SSE stream that never names its endpoint, and tries again on the next call', async () => {
  const server = await hangingServer((_req, res) => {
    // Headers and a comment, then nothing: no `endpoint` event.
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(': waiting\n\n');
  });
  const session = sessionTo(server, '/sse', 'sse');
  try {
    for (let call = 1; call <= 2; call++) {
      await expectFastFailure(session);
      expect(server.requests.filter((r) => r.startsWith('GET /sse'))).toHaveLength(call);
    }
  } finally {
    await session.close();
    await server.close();
  }
});

it('gives up on a server that answers initialize but never the initialized notification', async () => {
  const server = await hangingServer((_req, res, body) => {
    const message = JSON.parse(body) as { id?: number; method: string };
    if (message.method !== 'initialize') return; // the notification's POST is left hanging
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: message.id,
        result: {
          protocolVersion: '2025-03-26',
          capabilities: { tools: {} },
          serverInfo: { name: 'hang', version: '0' },
        },
      }),
    );
  });
  const session = sessionTo(server, '/mcp', 'streamable-http');
  try {
    for (let call = 1; call <= 2; call++) await expectFastFailure(session);
    expect(server.requests.filter((r) => r.startsWith('POST /mcp')).length).toBeGreaterThanOrEqual(4);
  } finally {
    await session.close();
    await server.close();
  }
});
