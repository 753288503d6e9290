import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { InFlightRequests } from './in-flight-requests';

/** Default time closing lets requests in flight finish, in milliseconds. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** What {@link closeGracefully} closes, in order. */
export interface GracefulClose {
  readonly server: Server;
  readonly inFlight: InFlightRequests;
  /** Ends the long-lived streams (SSE sessions), which would otherwise never finish. */
  readonly endStreams: () => Promise<void>;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Closes an HTTP server gracefully: stops accepting connections, ends the long-lived streams, lets
 * the requests in flight finish (their responses say `Connection: close`) for up to `timeoutMs`, then
 * closes every connection left, logging how many requests were cut off. Resolves once it is closed.
 */
export async function closeGracefully(close: GracefulClose): Promise<void> {
  const { server, inFlight, logger } = close;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await close.endStreams();
  server.closeIdleConnections();
  const finished = await close.inFlight.drain(close.timeoutMs);
  if (!finished) {
    logger.warn(
      { requests: inFlight.size, timeoutMs: close.timeoutMs },
      'memory server: closing, requests still in flight were cut off',
    );
  }
  server.closeAllConnections();
  await closed;
}
