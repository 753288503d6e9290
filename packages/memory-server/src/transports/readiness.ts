import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** How long `/readyz` waits for the store's check before answering 503, in milliseconds. */
export const READY_TIMEOUT_MS = 2000;

/**
 * Answers `GET /readyz`: 200 `{status: "ready"}` when `ready()` resolves true within
 * {@link READY_TIMEOUT_MS}, 503 `{status: "unavailable"}` otherwise (false, an error, or no answer in
 * time), logging why. `/healthz` says the process is live; this says it can serve, e.g. that its store
 * is reachable (SQLite: a trivial read; another store plugs in its own check).
 */
export async function answerReadiness(
  res: ServerResponse,
  ready: () => Promise<boolean>,
  logger: Logger,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let outcome: boolean | 'timeout';
  try {
    outcome = await Promise.race([ready(), timedOut]);
  } catch (error) {
    logger.warn({ err: error }, 'memory server: not ready, the readiness check failed');
    outcome = false;
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'timeout')
    logger.warn({ timeoutMs }, 'memory server: not ready, the readiness check timed out');
  const isReady = outcome === true;
  res.writeHead(isReady ? 200 : 503, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: isReady ? 'ready' : 'unavailable' }));
}
