/** The code of a call the plugin itself refused: the call budget (`memory.maxCallsPerMinute`) had no room. */
export const CLIENT_RATE_LIMIT = 'client_rate_limit';

/** A tool call the server (or the plugin's own call budget) refused, with the reason it gave. */
export class StompyToolError extends Error {
  constructor(
    readonly tool: string,
    /** Machine-readable reason when the server gave one, e.g. `rate_limit_exceeded`. */
    readonly code: string | undefined,
    message: string,
    /** Seconds the server asked us to wait before calling again, when it said. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${tool}: ${message}`);
    this.name = 'StompyToolError';
  }

  /** Whether calling again later can succeed (rate limits and server-side overload), as opposed to bad input. */
  get retryable(): boolean {
    return (
      this.code === 'rate_limit_exceeded' ||
      this.code === 'overloaded' ||
      this.retryAfterSeconds !== undefined
    );
  }
}

/**
 * Why a call got no answer, as the MCP session saw it (what failover decides by):
 * - `connect`: no connection could be opened (refused, reset, timed out, or 5xx to `initialize`);
 *   nothing of the call was sent.
 * - `transport`: the call was sent and the connection failed under it (reset, 5xx, calls timing out
 *   in a row); the connection was dropped. A write may have arrived.
 * - `timeout`: one call timed out on a connection kept for other callers.
 * - `auth`: the server refused the token (HTTP 401 or 403): misconfiguration, not an outage.
 * - `closed`: the session was closed.
 */
export type UnavailableReason = 'connect' | 'transport' | 'timeout' | 'auth' | 'closed';

/** A tool call that did not get an answer: connection refused, timed out, or the transport failed. */
export class StompyUnavailableError extends Error {
  /** Why, when the session knew; undefined for errors rebuilt from elsewhere (e.g. across the thread boundary). */
  readonly reason: UnavailableReason | undefined;

  constructor(
    readonly tool: string,
    message: string,
    options?: { cause?: unknown; reason?: UnavailableReason },
  ) {
    super(`${tool}: memory server unavailable: ${message}`, options);
    this.name = 'StompyUnavailableError';
    this.reason = options?.reason;
  }
}
