import pino, { type Logger } from 'pino';

/** One line a {@link capturingLogger} received, as pino wrote it. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger that keeps every line in memory, so a test can assert that an error path was logged. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: LogLine[];
  /** Messages at warn level or above (pino: warn 40, error 50, fatal 60). */
  warnings(): string[];
  /** Messages at error level or above. */
  errors(): string[];
  /** Whether some line at `minLevel` or above contains `text`. */
  has(text: string | RegExp, minLevel?: number): boolean;
}

/** A real pino logger writing JSON lines to an array (level `debug` unless told). */
export function capturingLogger(level: pino.Level = 'debug'): CapturedLogs {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const at = (min: number): string[] => lines.filter((l) => l.level >= min).map((l) => l.msg);
  return {
    logger,
    lines,
    warnings: () => at(40),
    errors: () => at(50),
    has: (text, minLevel = 40) =>
      at(minLevel).some((m) => (typeof text === 'string' ? m.includes(text) : text.test(m))),
  };
}
