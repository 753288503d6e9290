import { StoreError } from '../errors';

/** How long a client is asked to wait before calling again while the database cannot be reached. */
const RETRY_AFTER_SECONDS = 1;
/** SQLSTATEs of a database going away: administrator or crash shutdown, starting up. */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);
/** System errors of a connection that cannot be opened or broke. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** node-postgres's own messages for a connection that timed out, broke or was closed under a call. */
const BROKEN_CONNECTION = /connection terminated|timeout exceeded when trying to connect|is not queryable/i;

/**
 * Whether `error` says the database cannot be reached (refused, broken connection, shutting down or
 * starting up), rather than that a statement failed: the same call can succeed once it is back.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  // Not `instanceof Error`: socket errors may come from another realm (a test runner's sandbox).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || SHUTDOWN_STATES.has(code) || SOCKET_ERRORS.has(code))
  ) {
    return true;
  }
  return typeof message === 'string' && BROKEN_CONNECTION.test(message);
}

/**
 * `error` as the store's refusal `database_unavailable` (with `retry_after_seconds`) when the database
 * cannot be reached, so clients wait and call again instead of taking it for a bad request; any other
 * error as it is.
 */
export function unavailableOr(error: unknown): unknown {
  if (!isDatabaseUnreachable(error)) return error;
  const reason = String((error as { message?: unknown }).message);
  return new StoreError(
    'database_unavailable',
    `the database cannot be reached (${reason}); call again shortly`,
    {
      retry_after_seconds: RETRY_AFTER_SECONDS,
    },
  );
}
