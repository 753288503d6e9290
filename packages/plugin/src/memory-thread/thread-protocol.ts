import type { MemoryTarget } from '../mcp/memory-target';
import type { CallBudgetSettings } from '../options/resolve-call-budget';
import type { KnownDeliveryBacklog } from '../recording/delivery/delivery-backlog';
import type { ContextWrite } from '../mcp/stompy-client';
import { StompyToolError, StompyUnavailableError } from '../mcp/stompy-errors';
import type { JsonObject } from '../mcp/tool-result';
import { errorMessage } from '../support/error-message';
import type { PluginCounterValues } from '../support/plugin-counters';

type HttpTarget = Extract<MemoryTarget, { kind: 'http' }>;

/**
 * The memory connection as the thread makes it: a server's {@link MemoryTarget} as plain data (the
 * URL as text), since it crosses the thread boundary, or the embedded server's file.
 */
export type ThreadMemory =
  /** One server or several of a fleet (URLs as text, in order of preference), all with one token. */
  | (Omit<HttpTarget, 'url'> & { urls: string[] })
  | Extract<MemoryTarget, { kind: 'stdio' }>
  | { kind: 'embedded'; dbPath: string };

/** What the memory thread is started with (`workerData`). */
export interface ThreadSettings {
  readonly memory: ThreadMemory;
  readonly project: string | undefined;
  readonly timeoutMs: number;
  /** The cap on calls recall and delivery share (`memory.maxCallsPerMinute`); undefined: no cap. */
  readonly callBudget: CallBudgetSettings | undefined;
  /** Half-life of the recency weights in digests, in days (`recall.halfLifeDays`). */
  readonly halfLifeDays: number;
  readonly outbox: { readonly path: string; readonly maxBytes: number; readonly maxEntries: number };
  /** The plugin logger's level: the thread logs nothing below it. */
  readonly logLevel: string;
}

/** A request from the worker's main thread; the thread answers each with a {@link ThreadReply} of the same id. */
export type ThreadRequest =
  | { id: number; op: 'call'; tool: string; args: JsonObject; timeoutMs: number | undefined }
  | { id: number; op: 'tools'; timeoutMs: number | undefined }
  | { id: number; op: 'record'; writes: ContextWrite[] }
  | { id: number; op: 'start' }
  | { id: number; op: 'flush'; timeoutMs: number }
  | { id: number; op: 'backlog' }
  /** The id this worker's outbox writes digests under (recall reads its own digests first). */
  | { id: number; op: 'writer' }
  | { id: number; op: 'close'; flushMs: number };

/** An error as it crosses the thread boundary (class identity does not survive structured cloning). */
export interface WireError {
  readonly kind: 'refused' | 'unavailable' | 'internal';
  readonly tool: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly retryAfterSeconds: number | undefined;
}

/**
 * The thread's answer to one request, with the counts that led to it (so a caller that gets an
 * answer sees them, and they cost no message of their own).
 */
export type ThreadReply = (
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError }
) & { counts?: Partial<PluginCounterValues> };

/** What the thread tells the main thread unasked: counter increments, log lines, and the outbox backlog (every 10 s while delivery runs). */
export type ThreadEvent =
  | { event: 'count'; counts: Partial<PluginCounterValues> }
  | { event: 'log'; line: string }
  | { event: 'backlog'; backlog: KnownDeliveryBacklog };

/** A message from the thread. */
export type ThreadMessage = ThreadReply | ThreadEvent;

/** An error, ready to cross the thread boundary. */
export function toWireError(error: unknown, tool = ''): WireError {
  if (error instanceof StompyToolError) {
    const message = error.message.startsWith(`${error.tool}: `)
      ? error.message.slice(error.tool.length + 2)
      : error.message;
    return {
      kind: 'refused',
      tool: error.tool,
      code: error.code,
      message,
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof StompyUnavailableError) {
    const prefix = `${error.tool}: memory server unavailable: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return { kind: 'unavailable', tool: error.tool, code: undefined, message, retryAfterSeconds: undefined };
  }
  return {
    kind: 'internal',
    tool,
    code: undefined,
    message: errorMessage(error),
    retryAfterSeconds: undefined,
  };
}

/** The error a {@link WireError} stands for, rebuilt on this side: the same class, code and message. */
export function fromWireError(wire: WireError): Error {
  switch (wire.kind) {
    case 'refused':
      return new StompyToolError(wire.tool, wire.code, wire.message, wire.retryAfterSeconds);
    case 'unavailable':
      return new StompyUnavailableError(wire.tool, wire.message);
    case 'internal':
      return new Error(`memory thread: ${wire.message}`);
  }
}
