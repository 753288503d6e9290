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

/** A tool call that did not get an answer: connection refused, timed out, or the transport failed. */
export class StompyUnavailableError extends Error {
  constructor(
    readonly tool: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${tool}: memory server unavailable: ${message}`, options);
    this.name = 'StompyUnavailableError';
  }
}
