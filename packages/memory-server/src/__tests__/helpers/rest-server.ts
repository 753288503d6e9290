import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type MemoryServerConfig } from '../../config';
import { openServerDeps, type StompyServerDeps } from '../../create-server';
import type { StoreKind } from '../../store/memory-store';
import { newPostgresDatabase } from './shared-postgres';
import { serveHttp } from '../../serve-http';
import type { RunningHttpServer } from '../../transports/http-server';
import { captureLogger } from './capture-logger';

/** The token the REST test server requires. */
export const REST_TOKEN = 'rest-token-5d1c';

/** Headers every request of Stompy's CLI carries (`internal/api/client.go`). */
const CLI_HEADERS = { Authorization: `Bearer ${REST_TOKEN}`, 'User-Agent': 'stompy-cli/0.2.0' };

/** An answer as a plain HTTP client sees it: status, headers and the body parsed as JSON. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** `stompy-memory serve` in the test process: REST and MCP on a real port, a real SQLite file, a token. */
export interface RestServer {
  readonly url: string;
  readonly deps: StompyServerDeps;
  readonly server: RunningHttpServer;
  /** Everything the server logged. */
  readonly logs: Array<Record<string, unknown>>;
  /**
   * A request as the CLI sends it (`Client.Do`): bearer token, User-Agent, and a JSON body with
   * `Content-Type: application/json` for POST and PUT. `path` is below `/api/v1`.
   */
  cli(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  /**
   * A tool call as the CLI's MCP client sends it (`MCPClient.CallTool`): a bare JSON-RPC `tools/call`
   * POST to `/mcp` with only `Content-Type: application/json`, no `initialize`. Returns the answer;
   * the tool's JSON is `result.content[0].text`.
   */
  bareCall(
    tool: string,
    args: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer>;
  /** Stops the server, closes the store and removes the temp folder. */
  close(): Promise<void>;
}

/**
 * Starts a {@link RestServer} on a new SQLite file (or a new PostgreSQL database); `config` overrides
 * the defaults (that database, a captured logger).
 */
export async function startRestServer(
  config: Partial<MemoryServerConfig> = {},
  store: StoreKind = 'sqlite',
): Promise<RestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stompy-rest-test-'));
  const captured = captureLogger();
  const dbPath = store === 'postgres' ? await newPostgresDatabase() : join(dir, 'memory.db');
  const deps = await openServerDeps(resolveConfig({ dbPath, logger: captured.logger, ...config }));
  const server = await serveHttp(deps, { tokens: [REST_TOKEN] });
  let nextId = 0;
  return {
    url: server.url,
    deps,
    server,
    logs: captured.lines,
    async cli(method, path, body, headers = {}) {
      const withBody = body !== undefined && (method === 'POST' || method === 'PUT');
      return answer(
        await fetch(`${server.url}/api/v1${path}`, {
          method,
          headers: {
            ...CLI_HEADERS,
            ...(withBody ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }),
      );
    },
    async bareCall(tool, args, headers = {}) {
      nextId += 1;
      const request = {
        jsonrpc: '2.0',
        id: nextId,
        method: 'tools/call',
        params: { name: tool, arguments: args },
      };
      return answer(
        await fetch(`${server.url}/mcp`, {
          method: 'POST',
          headers: { ...CLI_HEADERS, 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify(request),
        }),
      );
    },
    async close() {
      await server.close();
      await deps.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fetch response as an {@link HttpAnswer}: status, headers and the body parsed as JSON (or `{unparsed}`). */
export async function answer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * The text of a bare tool call's result, as the CLI reads it: every `text` content item joined with
 * newlines (`MCPClient.CallTool`), parsed as JSON (`CallToolTyped`). Throws when the call failed.
 */
export function toolText(answer: HttpAnswer): unknown {
  const result = answer.body.result as { content?: Array<{ type: string; text: string }>; isError?: boolean };
  if (answer.status !== 200 || result === undefined || result.isError === true) {
    throw new Error(`tool call failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const texts = (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text);
  return JSON.parse(texts.join('\n')) as unknown;
}

/**
 * Go's `url.PathEscape`, which the CLI applies to the project and topic in every path: letters,
 * digits, `-_.~` and `$&+,:;=@` stay; everything else (`/`, `?`, `%`, quotes, spaces) is escaped.
 */
export function goPathEscape(segment: string): string {
  return Array.from(new TextEncoder().encode(segment), (byte) => {
    const ch = String.fromCharCode(byte);
    return /[A-Za-z0-9\-_.~$&+,:;=@]/.test(ch) && byte < 0x80
      ? ch
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}
