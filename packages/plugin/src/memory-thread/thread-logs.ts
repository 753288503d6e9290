import pino, { type Logger } from 'pino';

/**
 * The memory thread's logger: pino writing each line to `post`, which hands it to the main thread.
 * The user's logger cannot cross the thread boundary, so the thread logs with its own pino at the
 * same level and the main thread writes every line again through the user's logger.
 */
export function threadLogger(level: string, post: (line: string) => void): Logger {
  return pino({ level, base: undefined, timestamp: false }, { write: (line: string) => post(line) });
}

/** Writes a line the memory thread logged through `logger`, at its level, with its fields and message. */
export function forwardLogLine(logger: Logger, line: string): void {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    logger.warn({ line: line.slice(0, 1_000) }, 'stompy: unreadable log line from the memory thread');
    return;
  }
  const { level, msg, ...fields } = parsed;
  const label = typeof level === 'number' ? pino.levels.labels[level] : undefined;
  const method = label === 'fatal' ? 'error' : label === 'trace' ? 'debug' : (label ?? 'info');
  if (method === 'debug' || method === 'info' || method === 'warn' || method === 'error') {
    logger[method](fields, typeof msg === 'string' ? msg : '');
  }
}
