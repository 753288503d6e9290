import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Logger } from 'pino';
import { TIMED_OUT, withDeadline } from '../support/deadline';
import type { MemoryTarget } from './memory-target';

const CLIENT_INFO = { name: 'temporal-stompy', version: '0.1.0' };

/** Opens an initialized MCP client to the target, failing after `timeoutMs`. */
export async function connectClient(
  target: MemoryTarget,
  timeoutMs: number,
  logger: Logger,
): Promise<Client> {
  switch (target.kind) {
    case 'in-process':
      return connectInProcess(target.createServer, timeoutMs);
    case 'stdio':
      return connectWith(
        new StdioClientTransport({
          command: target.command,
          args: target.args,
          env: { ...getDefaultEnvironment(), ...target.env },
          cwd: target.cwd,
          stderr: 'inherit',
        }),
        timeoutMs,
      );
    case 'http':
      return connectHttp(target, timeoutMs, logger);
  }
}

async function connectInProcess(createServer: () => McpServer, timeoutMs: number): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createServer().connect(serverSide);
  return connectWith(clientSide, timeoutMs);
}

async function connectHttp(
  target: MemoryTarget & { kind: 'http' },
  timeoutMs: number,
  logger: Logger,
): Promise<Client> {
  const requestInit: RequestInit = target.token
    ? { headers: { Authorization: `Bearer ${target.token}` } }
    : {};
  if (target.transport !== 'sse') {
    try {
      return await connectWith(new StreamableHTTPClientTransport(target.url, { requestInit }), timeoutMs);
    } catch (error) {
      if (target.transport === 'streamable-http' || !speaksAnotherProtocol(error)) throw error;
      logger.info({ url: target.url.origin }, 'server does not speak Streamable HTTP, falling back to SSE');
    }
  }
  return connectWith(new SSEClientTransport(sseUrl(target.url), { requestInit }), timeoutMs);
}

/** A 404/405 (or 400 from some servers) to the initialize POST means "wrong protocol", not "server down". */
function speaksAnotherProtocol(error: unknown): boolean {
  return (
    error instanceof StreamableHTTPError && error.code !== undefined && [400, 404, 405].includes(error.code)
  );
}

/** Stompy serves Streamable HTTP at `/mcp` and SSE at `/sse`: follow that convention, else keep the URL. */
function sseUrl(url: URL): URL {
  if (!url.pathname.endsWith('/mcp')) return url;
  const sse = new URL(url);
  sse.pathname = url.pathname.replace(/\/mcp$/, '/sse');
  return sse;
}

/**
 * Connects and initializes a client within `timeoutMs`, all of it: the SDK's own timeout covers only
 * the `initialize` request, not an SSE stream that never names its endpoint nor the `initialized`
 * notification, and a connect that hangs would hold every later call of the session. On the deadline
 * the client is closed (in the background: closing a stdio child takes seconds) and the connect fails.
 */
async function connectWith(transport: Transport, timeoutMs: number): Promise<Client> {
  const client = new Client(CLIENT_INFO);
  const connecting = client.connect(transport, { timeout: timeoutMs });
  // Settles after the deadline when the client is closed; nobody waits for it then.
  connecting.catch(() => undefined);
  try {
    const connected = await withDeadline(connecting, timeoutMs);
    if (connected === TIMED_OUT) throw new Error(`no MCP handshake within ${timeoutMs} ms`);
    return client;
  } catch (error) {
    client.close().catch(() => undefined);
    throw error;
  }
}
