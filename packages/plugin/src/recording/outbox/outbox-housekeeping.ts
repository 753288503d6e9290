import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { PluginCounters } from '../../support/plugin-counters';
import { returnFreePages } from './outbox-schema';
import type { OutboxSettings } from './outbox-settings';
import type { OutboxTransactions } from './outbox-transactions';

/** Housekeeping runs by itself at most this often. */
const INTERVAL_MS = 60_000;

/**
 * Keeps the outbox file bounded: forgets delivered topics older than the retention or beyond the
 * count, and old dead letters, and returns free pages to the file system.
 */
export class OutboxHousekeeping {
  private lastRun = 0;

  constructor(
    private readonly db: Database,
    private readonly tx: OutboxTransactions,
    private readonly settings: OutboxSettings,
    private readonly now: () => number,
    private readonly report: { logger: Logger; counters: Pick<PluginCounters, 'add'>; path: string },
  ) {}

  /** Prunes and returns free pages now; throws on SQLite errors. */
  run(): void {
    const now = this.now();
    this.lastRun = now;
    const { deliveredRetentionMs, maxDeliveredTopics, maxDeadLetters } = this.settings;
    this.tx.prune.immediate(now - deliveredRetentionMs, maxDeliveredTopics, maxDeadLetters);
    returnFreePages(this.db);
  }

  /** Runs when the last run is a minute old; a failure is logged and counted, and tried again later. */
  runSometimes(): void {
    if (this.now() - this.lastRun < INTERVAL_MS) return;
    try {
      this.run();
    } catch (error) {
      this.report.counters.add('internalErrors');
      this.report.logger.warn(
        { err: error, outbox: this.report.path },
        'housekeeping failed; it is tried again later',
      );
    }
  }
}
