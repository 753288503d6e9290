import pino, { type Logger, type LevelWithSilent } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written; default `info`. `silent` writes nothing. */
  level?: LevelWithSilent;
  /** Logger name, written as `name` on every line; default `stompy-memory`. */
  name?: string;
}

/**
 * Creates the memory server's pino logger. It writes JSON lines to stderr (fd 2), never stdout: in stdio
 * mode stdout carries only MCP protocol messages. Writes are synchronous so nothing is lost on exit.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { name: options.name ?? 'stompy-memory', level: options.level ?? 'info' },
    pino.destination({ dest: 2, sync: true }),
  );
}
