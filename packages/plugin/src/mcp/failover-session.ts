import type { Logger } from 'pino';
import type { PluginCounters } from '../support/plugin-counters';
import { ThrottledLog } from '../support/throttled-log';
import { McpSession } from './mcp-session';
import { redactedUrl, type MemoryTarget } from './memory-target';
import { ServerRoster, type CoolDownPolicy, type MemoryServerState } from './server-roster';
import { StompyToolError, StompyUnavailableError } from './stompy-errors';
import type { JsonObject } from './tool-result';
import type { ToolSession } from './tool-session';

/** Tools that only read: a call of one that failed after it was sent may be sent again elsewhere. */
const READ_ONLY_TOOLS: ReadonlySet<string> = new Set([
  'recall_context',
  'recall_batch',
  'context_search',
  'context_search_batch',
  'context_explore',
  'context_dashboard',
  'outcome_insights',
]);

/** A probe of a server that failed before gets at most this share of the call's time when another could answer. */
const PROBE_SHARE = 0.5;

/** Below this many ms left, a call does not try another server. */
const MIN_ATTEMPT_MS = 20;

/** What a {@link FailoverSession} needs beside its servers. */
export interface FailoverSessionOptions {
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly counters: Pick<PluginCounters, 'add'>;
  /** A connection was opened to any of the servers (each time); must not throw. */
  readonly onConnected?: () => void;
  /** A call was sent again to another server (one request more than its caller was charged for). */
  readonly onResent?: () => void;
  readonly coolDown?: CoolDownPolicy;
  /** Shortest interval between two failover warnings, in ms; default 10,000. */
  readonly logIntervalMs?: number;
  /** The clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

type HttpTarget = Extract<MemoryTarget, { kind: 'http' }>;

/**
 * One logical MCP connection over several memory servers that serve the same memory (a fleet in
 * front of one database), used one at a time. A call goes to the current server; when it gets no
 * answer for a transport reason (connection refused or reset, 5xx, a connection that had to be
 * dropped), that server cools down ({@link ServerRoster}) and calls move to the next. The failed call
 * is sent again to the next server, within its own timeout, when nothing of it was sent (the
 * connection could not be opened) or it only reads; a write that may have arrived fails as with one
 * server, and delivery checks before writing it again. Refusals (tool errors, HTTP 429) and a refused
 * token (401/403: misconfiguration, logged) never fail over.
 */
export class FailoverSession implements ToolSession {
  private readonly sessions: readonly McpSession[];
  private readonly roster: ServerRoster;
  private readonly failoverLog: ThrottledLog;
  private readonly allDownLog: ThrottledLog;
  private readonly authLog: ThrottledLog;
  private readonly now: () => number;
  /** Calls in flight on each server: a server calls left is let go only once its calls are done. */
  private readonly inFlight: number[];
  /** Servers calls left whose connection is to be let go when their last call in flight ends. */
  private readonly toRelease = new Set<number>();
  private closed = false;

  constructor(
    targets: readonly HttpTarget[],
    private readonly options: FailoverSessionOptions,
  ) {
    const hooks = { onConnected: () => this.connected() };
    this.sessions = targets.map((t) => new McpSession(t, options.timeoutMs, options.logger, hooks));
    this.roster = new ServerRoster(
      targets.map((t) => redactedUrl(t.url)),
      options.coolDown,
    );
    this.now = options.now ?? Date.now;
    this.inFlight = targets.map(() => 0);
    const intervalMs = options.logIntervalMs ?? 10_000;
    const logOptions = { intervalMs, now: this.now };
    this.failoverLog = new ThrottledLog(options.logger, { ...logOptions, countField: 'failovers' });
    this.allDownLog = new ThrottledLog(options.logger, logOptions);
    this.authLog = new ThrottledLog(options.logger, { ...logOptions, level: 'error' });
  }

  /** Calls a tool on the current server, failing over as the class describes. */
  callTool(tool: string, args: JsonObject, timeoutMs = this.options.timeoutMs): Promise<JsonObject> {
    return this.run(tool, READ_ONLY_TOOLS.has(tool), timeoutMs, (s, ms) => s.callTool(tool, args, ms));
  }

  /** The tools the current server offers (a fleet serves the same tools everywhere). */
  availableTools(timeoutMs = this.options.timeoutMs): Promise<ReadonlySet<string>> {
    return this.run('tools/list', true, timeoutMs, (s, ms) => s.availableTools(ms));
  }

  /** Every server's state, in order of preference. */
  servers(): readonly MemoryServerState[] {
    return this.roster.states(this.now());
  }

  /** Closes every server's connection, waiting at most `timeoutMs` in all. */
  async close(timeoutMs = this.options.timeoutMs): Promise<void> {
    this.closed = true;
    await Promise.all(this.sessions.map((s) => s.close(timeoutMs)));
  }

  private async run<T>(
    tool: string,
    readOnly: boolean,
    timeoutMs: number,
    call: (session: McpSession, timeoutMs: number) => Promise<T>,
  ): Promise<T> {
    const deadline = this.now() + timeoutMs;
    const plan = this.roster.plan(this.now());
    let lastError: StompyUnavailableError | undefined;
    for (const [attempt, index] of plan.entries()) {
      const session = this.sessions[index];
      const left = deadline - this.now();
      if (!session || (attempt > 0 && left < MIN_ATTEMPT_MS)) break;
      const probe = this.roster.isProbe(index) && attempt < plan.length - 1;
      if (attempt > 0) this.options.onResent?.();
      this.inFlight[index] = (this.inFlight[index] ?? 0) + 1;
      try {
        const result = await call(session, probe ? Math.ceil(left * PROBE_SHARE) : left);
        this.answered(index);
        return result;
      } catch (error) {
        if (error instanceof StompyToolError) this.answered(index);
        if (!(error instanceof StompyUnavailableError) || this.closed) throw error;
        if (error.reason === 'auth') {
          this.authLog.log(
            { url: this.roster.url(index), err: error },
            'memory server refused the token (HTTP 401/403); check memory.token. Not failing over: every server of a fleet takes the same token',
          );
          throw error;
        }
        // One slow call on a connection kept for others is not a failed server; a probe that times
        // out is: the server that failed before is not back yet.
        if (error.reason === 'closed' || (error.reason === 'timeout' && !probe)) throw error;
        this.failed(index, error);
        lastError = error;
        if (error.reason !== 'connect' && !readOnly) throw error;
      } finally {
        this.inFlight[index] = (this.inFlight[index] ?? 1) - 1;
        this.releaseIfIdle(index);
      }
    }
    throw lastError ?? new StompyUnavailableError(tool, 'no memory server to call', { reason: 'connect' });
  }

  private answered(index: number): void {
    const previous = this.roster.answered(index, this.now());
    if (previous === undefined) return;
    this.options.logger.info(
      { url: this.roster.url(index), from: this.roster.url(previous) },
      'memory server answers; calls go to it again',
    );
    // Calls no longer go there: let its connection go (it reconnects if calls come back), once the
    // calls still in flight there are done (closing it under them would fail them).
    this.toRelease.add(previous);
    this.releaseIfIdle(previous);
  }

  private releaseIfIdle(index: number): void {
    if (!this.toRelease.has(index) || (this.inFlight[index] ?? 0) > 0) return;
    this.toRelease.delete(index);
    if (index !== this.roster.current) this.sessions[index]?.release();
  }

  private failed(index: number, error: StompyUnavailableError): void {
    // Let its connection go (a timed-out probe's is still open) once its calls in flight are done.
    this.toRelease.add(index);
    const now = this.now();
    const { coolDownMs, movedTo } = this.roster.failed(index, now);
    if (movedTo !== undefined) {
      this.options.counters.add('memoryFailovers');
      this.failoverLog.log(
        {
          url: this.roster.url(index),
          to: this.roster.url(movedTo),
          reason: error.reason,
          err: error,
          coolDownMs,
        },
        'memory server failed; failing over to the next one',
      );
    } else if (this.roster.allDown(now)) {
      this.allDownLog.log(
        { url: this.roster.url(index), reason: error.reason, err: error, servers: this.sessions.length },
        'every memory server is down; recall answers from its cache and outcomes wait in the outbox until one answers',
      );
    }
  }

  private connected(): void {
    try {
      this.options.onConnected?.();
    } catch (error) {
      this.options.logger.error({ err: error }, 'internal error counting a memory connection');
    }
  }
}
