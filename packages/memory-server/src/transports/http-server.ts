import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from 'pino';
import { REST_PREFIX } from '../rest/path-segments';
import type { RestApi } from '../rest/rest-api';
import type { ToolCaller } from '../tools/tool-context';
import { acceptBareJsonRpc } from './bare-json-rpc';
import { hasValidBearerToken, presentedBearerToken } from './bearer-auth';
import { httpCaller } from './http-caller';
import { isLoopbackHost, isLoopbackHostHeader } from './loopback';
import { guardConnections } from './connection-guard';
import { closeGracefully, DEFAULT_SHUTDOWN_TIMEOUT_MS } from './graceful-close';
import { InFlightRequests } from './in-flight-requests';
import { answerMetrics } from './metrics-endpoint';
import { answerReadiness } from './readiness';
import { resolveConnectionLimits } from './connection-limits';
import { BodyError, readJsonBody } from './read-json-body';
import { admitRequest } from './request-rate-limit';
import { DEFAULT_SSE_LIMITS, SseSessions } from './sse-sessions';
import { acceptsStructuredContent, sendTextOnlyResults } from './text-only-results';
import { RateLimitedLog } from './rate-limited-log';
import { refuseWeakTokens } from './token-strength';
import { jsonRpcError, listen, sendJson } from './http-answers';
import { answerWebPage } from './web-page-route';

import type { HttpServerOptions, RunningHttpServer } from './http-server-options';

export type { AnsweredRequest, HttpServerOptions, RunningHttpServer } from './http-server-options';

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Closed MCP servers kept for the next stateless requests (each serves one request at a time). */
const MAX_IDLE_SERVERS = 32;
const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/**
 * Serves MCP over Streamable HTTP at `/mcp` (stateless: a new server and transport per request) and
 * over the legacy SSE transport at `/sse` + `/messages`, with bearer-token auth, a body size limit,
 * connection limits, a liveness probe at `/healthz` and a readiness probe at `/readyz`. Closing it
 * lets the requests in flight finish (bounded).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const tokens = [...(options.token ? [options.token] : []), ...(options.tokens ?? [])];
  if (!loopback && tokens.length === 0) {
    throw new Error(
      `refusing to bind ${host} without a bearer token: anyone on the network could read and write memory. ` +
        'Pass --token-file <path> (or STOMPY_TOKEN, STOMPY_MEMORY_TOKEN, --token <secret>), or bind 127.0.0.1.',
    );
  }
  const limits = resolveConnectionLimits(options.connections);
  if (!loopback) refuseWeakTokens(host, tokens);
  const handler = new McpHttpHandler(options, loopback, tokens);
  const inFlight = new InFlightRequests();
  const { onResponse } = options;
  // Node checks the header and request timeouts every `connectionsCheckingInterval`.
  const checkingIntervalMs = Math.max(100, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 2)));
  const server = createServer({ connectionsCheckingInterval: checkingIntervalMs }, (req, res) => {
    inFlight.track(req, res);
    if (onResponse)
      res.on('finish', () =>
        onResponse({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode }),
      );
    handler.handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error, path: req.url }, 'memory server: request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'internal server error' });
      else res.end();
    });
  });
  const stopGuard = guardConnections(server, limits, options.logger);
  await listen(server, host, options.port ?? 0).catch((error: unknown) => {
    stopGuard();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger.info(
    { url, auth: tokens.length > 0 ? 'bearer' : 'none', tokens: tokens.length },
    'memory server: listening',
  );
  return {
    url,
    port,
    close: async () => {
      stopGuard();
      await closeGracefully({
        server,
        inFlight,
        endStreams: () => handler.closeSessions(),
        timeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
        logger: options.logger,
      });
    },
  };
}

class McpHttpHandler {
  /** Closed MCP servers of each caller, kept for that caller's next stateless requests. */
  private readonly idleServers = new Map<string, McpServer[]>();
  private idleCount = 0;
  private readonly sseSessions: SseSessions;
  private readonly maxBodyBytes: number;
  private readonly rateLimitLogger: Logger;
  /** Refused logins: one line per remote address a minute, with a count, never the token. */
  private readonly authLog: RateLimitedLog;
  private readonly bodyTimeoutMs: number;
  /** Whether the store can serve (`/readyz`); without a check given, ready while the process lives. */
  private readonly ready: () => Promise<boolean>;

  constructor(
    private readonly options: HttpServerOptions,
    private readonly loopbackOnly: boolean,
    private readonly tokens: readonly string[],
  ) {
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.rateLimitLogger = options.logger.child({ component: 'rate-limit' });
    this.authLog = new RateLimitedLog(options.logger.child({ component: 'auth' }));
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    this.ready = options.ready ?? (() => Promise.resolve(true));
    this.sseSessions = new SseSessions(
      { ...DEFAULT_SSE_LIMITS, ...options.sse },
      options.createMcpServer,
      options.logger,
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') return answerReadiness(res, this.ready, this.options.logger);
    if (this.loopbackOnly && !isLoopbackHostHeader(req.headers.host)) {
      return sendJson(res, 403, { error: 'forbidden', message: 'Host header must name this machine' });
    }
    const { web } = this.options;
    if (web?.owns(path)) {
      const { authLog, bodyTimeoutMs, tokens } = this;
      return answerWebPage(
        { web, tokens, authLog, bodyTimeoutMs, logger: this.options.logger },
        req,
        res,
        url,
      );
    }
    if (this.options.pageOnly)
      return sendJson(res, 404, { error: 'not_found', message: 'this server serves its web page only' });
    if (!hasValidBearerToken(req, this.tokens)) {
      const remoteAddress = req.socket.remoteAddress ?? 'unknown';
      this.authLog.warn(
        `address:${remoteAddress}`,
        { remoteAddress, path, reason: presentedBearerToken(req) === undefined ? 'no token' : 'wrong token' },
        'memory server: request refused (401), missing or wrong bearer token',
      );
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(res, 401, { error: 'unauthorized', message: 'missing or wrong bearer token' });
    }
    if (path === '/metrics' && this.options.metrics)
      return answerMetrics(res, this.options.metrics, this.options.logger);
    const isRest =
      this.options.rest !== undefined && (path === REST_PREFIX || path.startsWith(`${REST_PREFIX}/`));
    const limits = this.options.requestRateLimits;
    const caller = httpCaller(req, limits !== undefined);
    if (limits && (isRest || ['/mcp', '/sse', '/messages'].includes(path))) {
      const now = this.options.now ?? Date.now;
      if (!admitRequest(limits, caller.key, res, this.rateLimitLogger, path, now)) return;
    }
    if (path === '/mcp') return this.handleStreamable(req, res, caller);
    if (isRest && this.options.rest) return this.handleRest(this.options.rest, req, res, url, caller);
    if (path === '/sse' && req.method === 'GET') return this.sseSessions.open(res, caller);
    if (path === '/messages' && req.method === 'POST') return this.handleSseMessage(req, res);
    return sendJson(res, 404, { error: 'not_found', message: `no route for ${req.method ?? 'GET'} ${path}` });
  }

  private async handleStreamable(
    req: IncomingMessage,
    res: ServerResponse,
    caller: ToolCaller,
  ): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendJson(res, 405, jsonRpcError('this server is stateless: use POST /mcp'));
    }
    const body = await this.readBody(req, res, jsonRpcError);
    if (body === undefined) return;
    // Hosted Stompy answers a bare JSON-RPC POST (no SSE in Accept, no initialize) with plain JSON.
    acceptBareJsonRpc(req);
    // Stateless: a new transport per request (the SDK's rule), on an MCP server that served an earlier
    // request and was closed since. Reusing servers halves the cost of a call; each serves one
    // request at a time, so request ids never collide.
    const server = this.takeIdleServer(caller.key) ?? this.options.createMcpServer(caller);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    if (!acceptsStructuredContent(req)) sendTextOnlyResults(transport);
    res.on('close', () => {
      server.close().then(
        () => this.keepIdleServer(caller.key, server),
        () => undefined,
      );
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private takeIdleServer(callerKey: string): McpServer | undefined {
    const idle = this.idleServers.get(callerKey);
    const server = idle?.pop();
    if (server === undefined) return undefined;
    this.idleCount--;
    if (idle?.length === 0) this.idleServers.delete(callerKey);
    return server;
  }

  private keepIdleServer(callerKey: string, server: McpServer): void {
    if (this.idleCount >= MAX_IDLE_SERVERS) return;
    const idle = this.idleServers.get(callerKey) ?? [];
    idle.push(server);
    this.idleServers.set(callerKey, idle);
    this.idleCount++;
  }

  private async handleSseMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '';
    const unknown = () =>
      sendJson(res, 404, { error: 'unknown_session', message: 'no open SSE session with that id' });
    if (!this.sseSessions.has(sessionId)) return unknown();
    const body = await this.readBody(req, res, jsonRpcError);
    if (body === undefined) return;
    // The session may have ended while its body was read.
    if (!(await this.sseSessions.message(sessionId, req, res, body))) unknown();
  }

  private async handleRest(
    rest: RestApi,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    caller: ToolCaller,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    let body: unknown;
    if (method === 'POST' || method === 'PUT') {
      body = await this.readBody(req, res, (message, status) => ({
        status_code: status,
        error: 'invalid_body',
        message,
      }));
      if (body === undefined) return;
    }
    const response = await rest.handle({
      method,
      pathname: url.pathname,
      query: url.searchParams,
      body,
      caller,
    });
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    sendJson(res, response.status, response.body);
  }

  /**
   * Reads the JSON body, answering the error itself (in the body `errorBody` makes: JSON-RPC for MCP,
   * the REST error shape for REST) and returning undefined when it is refused.
   */
  private async readBody(
    req: IncomingMessage,
    res: ServerResponse,
    errorBody: (message: string, status: number) => object,
  ): Promise<unknown> {
    try {
      return await readJsonBody(req, this.maxBodyBytes, this.bodyTimeoutMs);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      this.options.logger.warn(
        { status: error.status, reason: error.message },
        'memory server: request body refused',
      );
      // A client that stalls is still meant to be sending: close the connection after the answer.
      if (error.status === 408) res.setHeader('Connection', 'close');
      sendJson(res, error.status, errorBody(error.message, error.status));
      return undefined;
    }
  }

  closeSessions(): Promise<void> {
    return this.sseSessions.closeAll();
  }
}
