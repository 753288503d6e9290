import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type MemoryServerConfig } from '../../config';
import { createServerDeps, type StompyServerDeps } from '../../create-server';
import { serveHttp } from '../../serve-http';
import type { AnsweredRequest } from '../../transports/http-server';
import { captureLogger } from './capture-logger';
import { FakeClock } from './fake-clock';
import { answer, type HttpAnswer } from './rest-server';

/** Two bearer tokens the hosted test server accepts: two callers, two budgets. */
export const TOKEN_A = 'hosted-token-a-71c2';
export const TOKEN_B = 'hosted-token-b-0e9d';

/**
 * `stompy-memory serve --profile hosted` in the test process, exactly as the CLI wires it
 * (`serveHttp`): a real port, a real SQLite file in a temp folder, two tokens, and a FakeClock that
 * starts on a minute boundary (2026-01-01T00:00:00Z), so fixed windows are exact.
 */
export interface HostedServer {
  readonly url: string;
  /** Every request the server answered, as `onResponse` heard of it. */
  readonly answered: AnsweredRequest[];
  readonly deps: StompyServerDeps;
  readonly clock: FakeClock;
  readonly logs: Array<Record<string, unknown>>;
  /** A bare JSON-RPC request to `/mcp` as Stompy's CLI sends it (no `initialize`), with `token`. */
  rpc(method: string, params: object, token?: string | null): Promise<HttpAnswer>;
  /** `tools/call` of `tool` over bare JSON-RPC; `token` defaults to {@link TOKEN_A}. */
  call(tool: string, args?: object, token?: string | null): Promise<HttpAnswer>;
  /** A REST request below `/api/v1` with `token`. */
  rest(method: string, path: string, body?: unknown, token?: string): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** Starts a {@link HostedServer}; `config` overrides the hosted defaults; `tokens: []` serves without auth. */
export async function startHostedServer(
  config: Partial<MemoryServerConfig> = {},
  tokens: readonly string[] = [TOKEN_A, TOKEN_B],
): Promise<HostedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stompy-hosted-test-'));
  const clock = new FakeClock();
  const captured = captureLogger();
  const deps = createServerDeps(
    resolveConfig({
      dbPath: join(dir, 'memory.db'),
      profile: 'hosted',
      logger: captured.logger,
      now: clock.now,
      ...config,
    }),
  );
  const answered: AnsweredRequest[] = [];
  const server = await serveHttp(deps, { tokens, onResponse: (a) => answered.push(a) });
  let nextId = 0;
  const auth = (token: string | null): Record<string, string> =>
    token === null ? {} : { Authorization: `Bearer ${token}` };
  const hosted: HostedServer = {
    url: server.url,
    answered,
    deps,
    clock,
    logs: captured.lines,
    async rpc(method, params, token = TOKEN_A) {
      nextId += 1;
      return answer(
        await fetch(`${server.url}/mcp`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth(token) },
          body: JSON.stringify({ jsonrpc: '2.0', id: nextId, method, params }),
        }),
      );
    },
    call: (tool, args = {}, token = TOKEN_A) =>
      hosted.rpc('tools/call', { name: tool, arguments: args }, token),
    async rest(method, path, body, token = TOKEN_A) {
      return answer(
        await fetch(`${server.url}/api/v1${path}`, {
          method,
          headers: { ...auth(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
    },
    async close() {
      await server.close();
      await deps.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return hosted;
}

/** The JSON a bare `tools/call` answer carries in its first text content, and whether it is a refusal. */
export function toolAnswer(answer: HttpAnswer): { isError: boolean; json: Record<string, unknown> } {
  const result = answer.body.result as { content: Array<{ text: string }>; isError?: boolean } | undefined;
  if (answer.status !== 200 || result === undefined) {
    throw new Error(`not a tool result: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const text = result.content[0]?.text ?? '';
  try {
    return { isError: result.isError === true, json: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { isError: result.isError === true, json: { message: text } }; // the SDK's plain-text refusals
  }
}
