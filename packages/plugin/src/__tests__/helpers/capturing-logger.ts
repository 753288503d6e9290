import pino, { type Logger } from 'pino';

/** One line a {@link capturingLogger} received, as pino wrote it. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** pino's levels by name. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A pino logger that keeps every line in memory, so a test can assert that an error path was logged. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: LogLine[];
  /** The lines at exactly `level` whose message contains `text`. */
  at(level: keyof typeof LEVEL, text: string): LogLine[];
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
  const logger = pino(
    { level },
    {
      write: (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  const from = (min: number): string[] => lines.filter((l) => l.level >= min).map((l) => l.msg);
  return {
    logger,
    lines,
    at: (name, text) => lines.filter((l) => l.level === LEVEL[name] && l.msg.includes(text)),
    warnings: () => from(LEVEL.warn),
    errors: () => from(LEVEL.error),
    has: (text, minLevel = LEVEL.warn) =>
      from(minLevel).some((m) => (typeof text === 'string' ? m.includes(text) : text.test(m))),
  };
}
