/** Limits on the connections of an HTTP memory server, against clients that hold them open. */
export interface ConnectionLimits {
  /** Most connections open at once; more are closed as they arrive (and logged). */
  readonly maxConnections: number;
  /** Time a request's headers may take to arrive, in milliseconds; then 408 and the connection is closed. */
  readonly headersTimeoutMs: number;
  /** Time a whole request may take to arrive, in milliseconds; then 408. */
  readonly requestTimeoutMs: number;
  /**
   * Time a connection may hold unsent reply bytes without the client reading any, in milliseconds;
   * then the connection is destroyed (and logged), so a client that never reads frees what it holds.
   */
  readonly drainTimeoutMs: number;
}

/** Default limits: room for a fleet of workers, bounded against one client that holds connections. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 1024,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  drainTimeoutMs: 30_000,
};

/** The limits of `given` over the defaults, each checked: a clear error names a bad one. */
export function resolveConnectionLimits(given: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`connections.${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(
      `connections.headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed connections.requestTimeoutMs (${limits.requestTimeoutMs})`,
    );
  }
  return limits;
}
