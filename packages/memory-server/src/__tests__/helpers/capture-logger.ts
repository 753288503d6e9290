import pino, { type Logger } from 'pino';

/** A pino logger that keeps its lines in memory, for tests that check what was logged. */
export interface CapturedLogger {
  readonly logger: Logger;
  /** Every line logged so far, parsed. */
  readonly lines: Array<Record<string, unknown>>;
}

/** Creates a {@link CapturedLogger} at `debug` level. */
export function captureLogger(): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}
