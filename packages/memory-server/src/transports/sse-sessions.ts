import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Logger } from 'pino';
import type { ToolCaller } from '../tools/tool-context';
import { RateLimitedLog } from './rate-limited-log';

/** Limits on legacy SSE sessions, each of which holds a connection and an MCP server open. */
export interface SseSessionLimits {
  /** Most sessions open at once; one more is answered 503 with `Retry-After`. */
  maxSessions: number;
  /**
   * Most sessions one caller (a bearer token, or a remote address without one) may hold at once, so
   * one client cannot take every slot; one more is answered 429 with `Retry-After`.
   */
  maxSessionsPerCaller: number;
  /** A session that has sent no message for this long is ended, in milliseconds. */
  idleTimeoutMs: number;
}

/** Default limits: generous for a fleet of workers, bounded against a client that opens streams in a loop. */
export const DEFAULT_SSE_LIMITS: SseSessionLimits = {
  maxSessions: 256,
  maxSessionsPerCaller: 16,
  idleTimeoutMs: 10 * 60_000,
};

/** Longest pause between keep-alive comments on an open stream, in milliseconds. */
const MAX_KEEP_ALIVE_MS = 30_000;

interface SseSession {
  transport: SSEServerTransport;
  server: McpServer;
  lastMessageAtMs: number;
}

function refuse(res: ServerResponse, status: 429 | 503, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Retry-After': '5' });
  res.end(JSON.stringify({ error: status === 429 ? 'too_many_sessions' : 'overloaded', message }));
}

/**
 * The open legacy SSE sessions (`GET /sse` opens one, `POST /messages?sessionId=` talks to it). Each
 * stream gets a keep-alive comment at least every 30 s, so proxies keep it and a vanished client is
 * noticed when the write fails; a session idle past its timeout is ended, and the number open at once
 * is capped.
 */
export class SseSessions {
  private readonly sessions = new Map<string, SseSession>();
  /** Open sessions per caller key. */
  private readonly perCaller = new Map<string, number>();
  private readonly refusals: RateLimitedLog;

  constructor(
    private readonly limits: SseSessionLimits,
    private readonly createMcpServer: (caller: ToolCaller) => McpServer,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.refusals = new RateLimitedLog(logger.child({ component: 'sse' }), 60_000, now);
  }

  /**
   * Opens a session for `caller` on a `GET /sse` response, or answers 503 when too many are open and
   * 429 when this caller holds its share; both refusals are logged (rate-limited, with a count).
   */
  async open(res: ServerResponse, caller: ToolCaller): Promise<void> {
    if (this.sessions.size >= this.limits.maxSessions) {
      this.refusals.warn(
        'max-sessions',
        { limit: 'maxSessions', maxSessions: this.limits.maxSessions },
        'memory server: SSE session refused, too many open',
      );
      return refuse(res, 503, 'too many open SSE sessions; use POST /mcp');
    }
    const held = this.perCaller.get(caller.key) ?? 0;
    if (held >= this.limits.maxSessionsPerCaller) {
      this.refusals.warn(
        `per-caller:${caller.key}`,
        {
          limit: 'maxSessionsPerCaller',
          maxSessionsPerCaller: this.limits.maxSessionsPerCaller,
          caller: caller.key,
        },
        'memory server: SSE session refused, this caller holds too many',
      );
      return refuse(
        res,
        429,
        `this caller holds ${held} open SSE sessions, the most allowed; close one or use POST /mcp`,
      );
    }
    this.perCaller.set(caller.key, held + 1);
    const transport = new SSEServerTransport('/messages', res);
    const server = this.createMcpServer(caller);
    const session: SseSession = { transport, server, lastMessageAtMs: this.now() };
    const { sessionId } = transport;
    this.sessions.set(sessionId, session);
    const keepAlive = setInterval(
      () => this.keepAlive(session, res),
      Math.min(MAX_KEEP_ALIVE_MS, this.limits.idleTimeoutMs / 4),
    );
    keepAlive.unref();
    res.on('close', () => {
      clearInterval(keepAlive);
      this.sessions.delete(sessionId);
      const left = (this.perCaller.get(caller.key) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller.key, left);
      else this.perCaller.delete(caller.key);
      server.close().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'memory server: closing an SSE session’s MCP server failed');
      });
    });
    await server.connect(transport);
  }

  /** Hands a `POST /messages` body to its session; false when no such session is open. */
  async message(
    sessionId: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
  ): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    session.lastMessageAtMs = this.now();
    await session.transport.handlePostMessage(req, res, body);
    return true;
  }

  /** Whether a session with this id is open. */
  has(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Ends every open session (at server shutdown). */
  async closeAll(): Promise<void> {
    const servers = [...this.sessions.values()].map((s) => s.server);
    this.sessions.clear();
    await Promise.allSettled(servers.map((server) => server.close()));
  }

  private keepAlive(session: SseSession, res: ServerResponse): void {
    const idleMs = this.now() - session.lastMessageAtMs;
    if (idleMs >= this.limits.idleTimeoutMs) {
      this.logger.info({ idleMs }, 'memory server: SSE session ended after being idle');
      res.end();
      return;
    }
    // An SSE comment: clients ignore it, and a write to a vanished client fails and closes the stream.
    res.write(': keep-alive\n\n');
  }
}
