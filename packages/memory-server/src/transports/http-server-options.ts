import type { MetricsSource } from './metrics-endpoint';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';
import type { RestApi } from '../rest/rest-api';
import type { WebPage } from '../web/web-page';
import type { CallerRateLimits } from '../tools/caller-rate-limits';
import type { ToolCaller } from '../tools/tool-context';
import type { ConnectionLimits } from './connection-limits';
import type { SseSessionLimits } from './sse-sessions';

/** Options of `startHttpServer`. */
export interface HttpServerOptions {
  /**
   * Builds a fresh MCP server for a caller (whose tool calls count against its own budget unless
   * `caller.counted`); called once per Streamable HTTP request and once per SSE session.
   */
  createMcpServer: (caller: ToolCaller) => McpServer;
  logger: Logger;
  /** Address to bind; default `127.0.0.1`. Any other address requires `token`. */
  host?: string;
  /** Port to bind; default 0 (a free port). */
  port?: number;
  /** Bearer token required on every request of every transport when set. */
  token?: string;
  /** More bearer tokens, each accepted like `token` (each caller gets its own rate-limit budget). */
  tokens?: readonly string[];
  /**
   * Counts every request to `/mcp`, `/sse`, `/messages` and `/api/v1` against its caller's budget and
   * answers HTTP 429 over it, as hosted Stompy does (`rateLimitScope: 'request'`); the MCP servers and
   * REST calls of a counted request then count nothing more. Without it, tool calls count (if limited).
   */
  requestRateLimits?: CallerRateLimits;
  /** Clock for the rate-limit headers; default `Date.now`. */
  now?: () => number;
  /** Largest accepted JSON-RPC request body; default 4 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive a request body; default 30 s. */
  bodyTimeoutMs?: number;
  /**
   * Limits on connections (see `ConnectionLimits`); default 1024 open at once, headers within 20 s,
   * a request within 60 s, and a reply's unsent bytes read within 30 s.
   */
  connections?: Partial<ConnectionLimits>;
  /** Limits on legacy SSE sessions; default 256 open at once, ended after 10 minutes without a message. */
  sse?: Partial<SseSessionLimits>;
  /** The REST API served under `/api/v1` (see `createRestApi`); without it those paths are 404. */
  rest?: RestApi;
  /**
   * Whether the server can serve, for `GET /readyz` (200 when it resolves true within 2 s, else 503),
   * e.g. that the store is reachable; default: ready. `/healthz` only says the process is live.
   */
  ready?: () => Promise<boolean>;
  /**
   * The server's metrics, served at `GET /metrics` in Prometheus' text format (behind the bearer token
   * when tokens are set, like every path but the probes); without them `/metrics` is 404.
   */
  metrics?: MetricsSource;
  /** Time `close()` lets requests in flight finish before it cuts them off; default 10 s. */
  shutdownTimeoutMs?: number;
  /** The read-only web page served at `/` (same auth as MCP, or its session cookie); without it those paths are 404. */
  web?: WebPage;
  /** Serve the web page and the probes only (`stompy-memory ui`): MCP, SSE, REST and metrics are 404. */
  pageOnly?: boolean;
  /** Told of every answered request (method, path, status), e.g. to count calls and 429s; must not throw. */
  onResponse?: (answered: AnsweredRequest) => void;
}

/** A request the server answered, as `onResponse` hears of it. */
export interface AnsweredRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A running HTTP memory server. */
export interface RunningHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:4123`; MCP endpoints are `${url}/mcp` and `${url}/sse`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting connections, ends open SSE sessions, lets requests in flight finish (up to
   * `shutdownTimeoutMs`), then closes every connection and resolves.
   */
  close(): Promise<void>;
}
