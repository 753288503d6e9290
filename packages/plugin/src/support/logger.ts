import pino, { type Logger } from 'pino';

/** The plugin's default logger: pino on stderr, named `stompy`, level from `STOMPY_LOG_LEVEL` (default `info`). */
export function createLogger(): Logger {
  return pino({ name: 'stompy', level: process.env.STOMPY_LOG_LEVEL ?? 'info' }, pino.destination(2));
}
