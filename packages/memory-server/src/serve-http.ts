import { createStompyServer, type StompyServerDeps } from './create-server';
import { createRestApi } from './rest/rest-api';
import { createWebPage } from './web/web-page';
import type { ConnectionLimits } from './transports/connection-limits';
import { startHttpServer, type AnsweredRequest, type RunningHttpServer } from './transports/http-server';

/** Where and for whom {@link serveHttp} listens. */
export interface ServeHttpOptions {
  /** Address to bind; default `127.0.0.1`. Any other address requires a token. */
  readonly host?: string;
  /** Port to bind; default 0 (a free port). */
  readonly port?: number;
  /** Bearer tokens accepted (each one a caller with its own rate-limit budget); none: no auth. */
  readonly tokens?: readonly string[];
  /** Limits on connections (see `ConnectionLimits`); each has a default. */
  readonly connections?: Partial<ConnectionLimits>;
  /** Told of every answered request (method, path, status): to count calls and 429s; must not throw. */
  readonly onResponse?: (answered: AnsweredRequest) => void;
  /** The Temporal Web UI's address, for the web page's links to runs; default `http://localhost:8233`. */
  readonly temporalUiUrl?: string;
  /** Serve the web page and the probes only, no MCP, REST or metrics (`stompy-memory ui`); default false. */
  readonly pageOnly?: boolean;
}

/** What hears of every answer: the metrics' HTTP counter and the caller's `onResponse`, when there are. */
function onResponseOf(
  deps: StompyServerDeps,
  options: ServeHttpOptions,
): { onResponse?: (answered: AnsweredRequest) => void } {
  const { metrics } = deps;
  const { onResponse } = options;
  if (metrics === undefined) return onResponse === undefined ? {} : { onResponse };
  return {
    onResponse: (answered) => {
      metrics.httpResponse(answered.status);
      onResponse?.(answered);
    },
  };
}

/**
 * Serves the memory server of `deps` over HTTP exactly as `stompy-memory serve` does: MCP over
 * Streamable HTTP (`/mcp`, bare JSON-RPC included) and legacy SSE (`/sse`), the REST API under
 * `/api/v1`, and the read-only web page at `/` (what the memory learned). With `rateLimitScope: 'request'` (the hosted profile) every request to those paths
 * counts against its caller's budget and is answered HTTP 429 over it; otherwise each tool call
 * counts, refused with an `isError` result over it.
 */
export function serveHttp(
  deps: StompyServerDeps,
  options: ServeHttpOptions = {},
): Promise<RunningHttpServer> {
  const perRequest = deps.config.rateLimitScope === 'request' && deps.rateLimits !== null;
  return startHttpServer({
    createMcpServer: (caller) => createStompyServer(deps, caller),
    rest: createRestApi(deps),
    logger: deps.config.logger,
    now: deps.config.now,
    ready: () => deps.store.ping().then(() => true),
    web: createWebPage({
      store: deps.store,
      logger: deps.config.logger,
      now: deps.config.now,
      ...(options.temporalUiUrl !== undefined ? { temporalUiUrl: options.temporalUiUrl } : {}),
    }),
    ...(options.pageOnly === true ? { pageOnly: true } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.tokens !== undefined ? { tokens: options.tokens } : {}),
    ...onResponseOf(deps, options),
    ...(deps.metrics !== undefined ? { metrics: deps.metrics } : {}),
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
    ...(perRequest && deps.rateLimits ? { requestRateLimits: deps.rateLimits } : {}),
  });
}
