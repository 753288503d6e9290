import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { connectClient } from './connect-client';
import { httpStatusOf, refusalInAnswer } from './http-refusal';
import { callToolRaw, listToolNames } from './raw-requests';
import type { ToolSession } from './tool-session';
import { describeTarget, type MemoryTarget } from './memory-target';
import { StompyUnavailableError, type UnavailableReason } from './stompy-errors';
import { readToolResult, type JsonObject } from './tool-result';
import { TIMED_OUT, withDeadline } from '../support/deadline';
import { errorMessage } from '../support/error-message';

/** Calls in a row that time out before the connection is taken for dead and replaced. */
const TIMEOUTS_BEFORE_RECONNECT = 3;

/** What a session tells its owner. */
export interface McpSessionHooks {
  /** A connection was opened (each time, reconnects included); must not throw. */
  readonly onConnected?: () => void;
}

/**
 * One logical MCP connection to the memory server that reconnects on demand: a call after a
 * transport failure (server restarted, SSE stream dropped, stdio child died) opens a new client.
 * Every call has a timeout; no call ever waits on another's reconnect for longer than its own.
 */
export class McpSession implements ToolSession {
  private client: Promise<Client> | undefined;
  private current: Client | undefined;
  private toolNames: Promise<ReadonlySet<string>> | undefined;
  private closed = false;
  /** Calls in a row that timed out on the current connection. */
  private consecutiveTimeouts = 0;
  /** Resolves when {@link close} is called: calls waiting for a connection give up then. */
  private readonly closing: Promise<'closed'>;
  private signalClosed: () => void = () => undefined;

  constructor(
    private readonly target: MemoryTarget,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly hooks: McpSessionHooks = {},
  ) {
    this.closing = new Promise((resolve) => {
      this.signalClosed = () => resolve('closed');
    });
  }

  /** Calls a tool and returns its JSON result; throws StompyToolError (refused) or StompyUnavailableError. */
  async callTool(tool: string, args: JsonObject, timeoutMs = this.timeoutMs): Promise<JsonObject> {
    const client = await this.connected(tool, timeoutMs);
    let result: CallToolResult;
    try {
      result = await callToolRaw(client, tool, args, { timeout: timeoutMs });
    } catch (error) {
      const answered = refusalInAnswer(tool, error);
      if (answered) throw answered;
      const kept = this.timedOutOnLiveConnection(client, error);
      if (!kept) this.dropClient(client);
      const reason = authFailure(error) ? 'auth' : kept ? 'timeout' : 'transport';
      throw new StompyUnavailableError(tool, errorMessage(error), { cause: error, reason });
    }
    if (this.current === client) this.consecutiveTimeouts = 0;
    return readToolResult(tool, result);
  }

  /** The names of the tools the server offers (asked once per connection with `tools/list`, every page). */
  async availableTools(timeoutMs = this.timeoutMs): Promise<ReadonlySet<string>> {
    const client = await this.connected('tools/list', timeoutMs);
    this.toolNames ??= listToolNames(client, { timeout: timeoutMs });
    try {
      return await this.toolNames;
    } catch (error) {
      this.dropClient(client);
      throw new StompyUnavailableError('tools/list', errorMessage(error), {
        cause: error,
        reason: authFailure(error) ? 'auth' : 'transport',
      });
    }
  }

  /**
   * Closes the connection; calls in flight and calls waiting for a connection fail at once, later calls
   * too. A connect still in progress is closed when it completes, without waiting for it: against a
   * server that never answers it would hold the worker's shutdown for the whole call timeout. Waits
   * for the connection to close at most `timeoutMs` (a stdio child can take seconds to exit); the
   * rest of the closing goes on in the background.
   */
  async close(timeoutMs = this.timeoutMs): Promise<void> {
    this.closed = true;
    this.signalClosed();
    const client = this.client;
    const current = this.current;
    this.client = undefined;
    this.current = undefined;
    if (current)
      await withDeadline(
        current.close().catch(() => undefined),
        timeoutMs,
      );
    else if (client) void client.then((c) => c.close()).catch(() => undefined);
  }

  /**
   * Lets the current connection go (closed in the background) without closing the session: the next
   * call connects again. For a server the caller stops using for now (failover moved elsewhere).
   */
  release(): void {
    if (this.current) this.dropClient(this.current);
  }

  private async connected(tool: string, timeoutMs: number): Promise<Client> {
    if (this.closed) throw closedError(tool);
    if (!this.client) {
      const connecting = connectClient(this.target, timeoutMs, this.logger).then((c) => {
        this.current = c;
        this.hooks.onConnected?.();
        return c;
      });
      // Forget a failed connect even when every caller gave up waiting for it, so the next call retries.
      connecting.catch(() => {
        if (this.client === connecting) this.client = undefined;
      });
      this.client = connecting;
    }
    // A connect another call started may run for that call's (longer) timeout: wait no longer than ours.
    let client: Client | 'closed' | typeof TIMED_OUT;
    try {
      client = await withDeadline(Promise.race([this.client, this.closing]), timeoutMs);
    } catch (error) {
      // A server at its rate limit refuses `initialize` too: a refusal to wait out, not an outage.
      const refused = refusalInAnswer(tool, error);
      if (refused) throw refused;
      const reason: UnavailableReason = authFailure(error) ? 'auth' : 'connect';
      throw new StompyUnavailableError(
        tool,
        `cannot connect to ${describeTarget(this.target)}: ${errorMessage(error)}`,
        { cause: error, reason },
      );
    }
    if (client === 'closed') throw closedError(tool);
    if (client === TIMED_OUT) {
      throw new StompyUnavailableError(
        tool,
        `cannot connect to ${describeTarget(this.target)}: no connection within ${timeoutMs} ms`,
        { reason: 'connect' },
      );
    }
    return client;
  }

  /**
   * Whether a failed call only timed out on a connection that may well be fine: the SDK cancelled
   * that request, and the connection serves every other caller (delivery and recall share it), so one
   * slow search must not tear it down. A connection whose calls keep timing out is dropped all the same.
   */
  private timedOutOnLiveConnection(client: Client, error: unknown): boolean {
    if (!(error instanceof McpError) || error.code !== (ErrorCode.RequestTimeout as number)) return false;
    if (this.current !== client) return false;
    this.consecutiveTimeouts += 1;
    return this.consecutiveTimeouts < TIMEOUTS_BEFORE_RECONNECT;
  }

  /** Forgets a client whose transport failed so the next call reconnects (unless one already did). */
  private dropClient(client: Client): void {
    if (this.current === client) {
      this.client = undefined;
      this.current = undefined;
      this.toolNames = undefined;
      this.consecutiveTimeouts = 0;
    }
    void client.close().catch(() => undefined);
  }
}

function closedError(tool: string): StompyUnavailableError {
  return new StompyUnavailableError(tool, 'the memory connection is closed', { reason: 'closed' });
}

/** HTTP 401 or 403: the server refused the token (or its absence). */
function authFailure(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 401 || status === 403;
}
