import type { Logger } from 'pino';

/** How a {@link ThrottledLog} logs. */
export interface ThrottledLogOptions {
  /** Shortest interval between two lines, in ms. */
  readonly intervalMs: number;
  /** The level of its lines; default `warn`. */
  readonly level?: 'warn' | 'error';
  /** The field that says how many events a line stands for; default `occurrences`. */
  readonly countField?: string;
  /** The clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Logs a recurring event at most once per interval: the first at once, the next ones held back and
 * counted, and each line says how many events it stands for. During an outage every activity would
 * otherwise log the same line; this way the log stays readable and no event goes uncounted.
 */
export class ThrottledLog {
  private lastAt = Number.NEGATIVE_INFINITY;
  private held = 0;
  private readonly intervalMs: number;
  private readonly level: 'warn' | 'error';
  private readonly countField: string;
  private readonly now: () => number;

  constructor(
    private readonly logger: Logger,
    options: ThrottledLogOptions,
  ) {
    this.intervalMs = options.intervalMs;
    this.level = options.level ?? 'warn';
    this.countField = options.countField ?? 'occurrences';
    this.now = options.now ?? Date.now;
  }

  /** Logs one event, with those held back since the last line, unless a line went out less than the interval ago. */
  log(fields: Record<string, unknown>, msg: string): void {
    this.held += 1;
    if (this.now() - this.lastAt >= this.intervalMs) this.write(fields, msg);
  }

  /** Logs the events held back since the last line, if any (when the condition ends, or at close). */
  flush(fields: Record<string, unknown>, msg: string): void {
    if (this.held > 0) this.write(fields, msg);
  }

  private write(fields: Record<string, unknown>, msg: string): void {
    const count = this.held;
    this.held = 0;
    this.lastAt = this.now();
    this.logger[this.level]({ ...fields, [this.countField]: count }, msg);
  }
}
