import type { Logger } from 'pino';

/**
 * Logs a recurring warning at most once per interval, with how many were suppressed since the last
 * line. During an outage every activity would otherwise log the same warning.
 */
export class ThrottledLog {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `msg` at warn level unless one was logged less than the interval ago (then counts it). */
  warn(fields: Record<string, unknown>, msg: string): void {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const suppressed = this.suppressed;
    this.lastAt = now;
    this.suppressed = 0;
    this.logger.warn(suppressed > 0 ? { ...fields, suppressedSinceLast: suppressed } : fields, msg);
  }
}
