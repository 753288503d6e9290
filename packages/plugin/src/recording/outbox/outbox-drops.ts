import type { Logger } from 'pino';
import type { PluginCounters } from '../../support/plugin-counters';
import { ThrottledLog } from '../../support/throttled-log';

/**
 * The writes an outbox drops: each counted (`outcomesDropped`) and logged as an error, at once and
 * then at most once per interval with the count since, and a line when writes are accepted again.
 */
export class OutboxDrops {
  private readonly log: ThrottledLog;

  constructor(
    logger: Logger,
    private readonly counters: Pick<PluginCounters, 'add'>,
    private readonly path: string,
    intervalMs: number,
    now: () => number,
  ) {
    this.log = new ThrottledLog(logger, { intervalMs, level: 'error', countField: 'droppedOutcomes', now });
  }

  /** Counts and logs a dropped write. */
  dropped(topic: string, reason: string, error?: unknown): 'dropped' {
    this.counters.add('outcomesDropped');
    this.log.log(
      { topic, reason, outbox: this.path, ...(error === undefined ? {} : { err: error }) },
      `dropped outcome(s) that will never reach memory: ${reason}`,
    );
    return 'dropped';
  }

  /** A write was accepted: drops not reported yet are, now. */
  accepted(): void {
    this.log.flush({ outbox: this.path }, 'dropped outcomes before the outbox accepted writes again');
  }

  /** The outbox closes: drops not reported yet are, now. */
  closing(): void {
    this.log.flush({ outbox: this.path }, 'dropped outcomes not reported yet, when closing');
  }
}
