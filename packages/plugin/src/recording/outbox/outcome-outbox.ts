import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ContextWrite } from '../../mcp/stompy-client';
import type { PluginCounters } from '../../support/plugin-counters';
import { OutboxAggregates } from './outbox-aggregates';
import { OutboxDrops } from './outbox-drops';
import { OutboxHousekeeping } from './outbox-housekeeping';
import { openOutboxDatabase } from './outbox-schema';
import {
  prepareStatements,
  toBacklog,
  toDeadLetter,
  toRow,
  type DeadLetterRow,
  type OutboxStatements,
} from './outbox-statements';
import {
  ERROR_CHARS,
  prepareTransactions,
  type EnqueueVerdict,
  type OutboxTransactions,
} from './outbox-transactions';
import type {
  ClaimedEntry,
  DeadLetter,
  EnqueueResult,
  FailureDetail,
  OutboxBacklog,
  OutboxStats,
  OutcomeOutboxOptions,
} from './outbox-types';
import { outboxSettings, type OutboxSettings } from './outbox-settings';
import { errorMessage } from '../../support/error-message';

/**
 * The durable local outbox of outcome writes: a SQLite file (WAL, busy timeout, synchronous=NORMAL)
 * holding pending {@link ContextWrite}s keyed by topic, so recording never waits on the network and
 * nothing is lost to a memory-server outage or a worker restart.
 *
 * - {@link enqueue} never throws: a topic already pending, delivered (the last `maxDeliveredTopics` /
 *   `deliveredRetentionMs`) or dead-lettered is a duplicate, which is what makes a duplicate report
 *   record nothing twice.
 * - The pending entries are bounded (`maxPendingBytes`, `maxPending`); past the bound new writes are
 *   dropped, counted and logged as errors.
 * - Deliverers {@link claim} entries under a lease taken in a `BEGIN IMMEDIATE` transaction, so
 *   several outboxes on one file, in one process or several, never deliver the same entry at the same
 *   time; a deliverer that dies leaves its lease to expire and the entry is claimed again, flagged
 *   {@link ClaimedEntry.outcomeUnknown}.
 *
 * The delivery-side methods ({@link claim}, {@link markDelivered}, ...) throw on SQLite errors; the
 * delivery loop catches, logs and counts them.
 */
export class OutcomeOutbox {
  readonly path: string;
  /** The aggregated write path's packs and digests (used against a server without a batch tool). */
  readonly aggregates: OutboxAggregates;
  private readonly db: Database;
  private readonly logger: Logger;
  private readonly counters: Pick<PluginCounters, 'add'>;
  private readonly now: () => number;
  private readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly settings: OutboxSettings;
  private readonly statements: OutboxStatements;
  private readonly tx: OutboxTransactions;
  private readonly drops: OutboxDrops;
  private readonly housekeeping: OutboxHousekeeping;
  private closed = false;

  constructor(options: OutcomeOutboxOptions) {
    const settings = outboxSettings(options);
    this.path = options.path;
    this.logger = options.logger;
    this.counters = options.counters;
    this.now = options.now ?? Date.now;
    this.settings = settings;
    this.drops = new OutboxDrops(this.logger, this.counters, this.path, settings.dropLogIntervalMs, this.now);
    this.db = openOutboxDatabase(options.path, settings.busyTimeoutMs);
    this.statements = prepareStatements(this.db);
    this.tx = prepareTransactions(this.db, this.statements);
    this.housekeeping = new OutboxHousekeeping(this.db, this.tx, settings, this.now, {
      logger: this.logger,
      counters: this.counters,
      path: this.path,
    });
    this.aggregates = new OutboxAggregates({
      db: this.db,
      outbox: this.statements,
      owner: this.owner,
      now: this.now,
      counters: this.counters,
      afterDelivered: () => this.housekeeping.runSometimes(),
    });
  }

  /**
   * Queues a write for delivery. Local and never throws: 'queued', 'duplicate' (the topic is pending,
   * was delivered, or was refused for good) or 'dropped' (the outbox is full, or the file cannot be
   * written; logged as an error and counted).
   *
   * When full, the NEW write is dropped rather than the oldest pending one: pending entries are
   * already promised to the system (another deliverer may hold a lease on them, and dropping them
   * would rewrite history behind a reader's back), the oldest are often the most valuable (they
   * describe what happened when the outage began), and refusing at the door keeps enqueue a single
   * cheap statement that cannot interfere with a delivery in flight.
   */
  enqueue(write: ContextWrite): EnqueueResult {
    return this.enqueueAll([write])[0] ?? 'dropped';
  }

  /**
   * Queues writes in one transaction (a group commit: the cost of a commit is paid once for all of
   * them), each as {@link enqueue} would; the results are in the order of the writes.
   */
  enqueueAll(writes: readonly ContextWrite[]): EnqueueResult[] {
    if (this.closed) return writes.map((w) => this.drops.dropped(w.topic, 'the outbox is closed'));
    const now = this.now();
    const { maxPending, maxPendingBytes } = this.settings;
    const rows = writes.map((write) => toRow(write, now));
    const fitting = rows.filter((row) => row.bytes <= maxPendingBytes);
    let verdicts: EnqueueVerdict[];
    try {
      verdicts = fitting.length === 0 ? [] : this.tx.enqueue.immediate(fitting, this.settings);
    } catch (error) {
      const reason = `the outbox file cannot be written: ${errorMessage(error)}`;
      return writes.map((w) => this.drops.dropped(w.topic, reason, error));
    }
    let next = 0;
    return rows.map((row): EnqueueResult => {
      if (row.bytes > maxPendingBytes) {
        return this.drops.dropped(
          row.topic,
          `the write (${row.bytes} bytes) is larger than maxPendingBytes (${maxPendingBytes})`,
        );
      }
      switch (verdicts[next++]) {
        case 'queued':
          this.counters.add('outcomesQueued');
          this.drops.accepted();
          return 'queued';
        case 'duplicate':
          this.counters.add('outcomesDeduplicated');
          return 'duplicate';
        default:
          return this.drops.dropped(
            row.topic,
            `the outbox is full (maxPending ${maxPending}, maxPendingBytes ${maxPendingBytes})`,
          );
      }
    });
  }

  /**
   * Leases the oldest due entries (not in backoff, not leased by anyone) to this outbox for `leaseMs`
   * and returns them; each claim counts as an attempt.
   */
  claim(limit: number, leaseMs = this.settings.defaultLeaseMs): ClaimedEntry[] {
    if (this.closed || limit <= 0) return [];
    return this.tx.claim.immediate(Math.floor(limit), Math.max(1, leaseMs), this.now(), this.owner);
  }

  /** Marks topics as delivered: removes them from pending and remembers them for deduplication. Returns how many were pending. */
  markDelivered(topics: readonly string[]): number {
    if (this.closed || topics.length === 0) return 0;
    const removed = this.tx.markDelivered.immediate(topics, this.now());
    if (removed > 0) this.counters.add('outcomesDelivered', removed);
    this.housekeeping.runSometimes();
    return removed;
  }

  /**
   * Gives a claimed entry back after a failed attempt; it becomes due again at `nextAttemptAt`
   * (epoch ms; the backoff schedule lives in the file, so it survives a restart). Ignored when this
   * outbox no longer holds the lease. Returns whether the entry was updated.
   */
  markFailed(topic: string, nextAttemptAt: number, detail: FailureDetail = {}): boolean {
    if (this.closed) return false;
    const changes = this.statements.fail.run(
      Math.floor(nextAttemptAt),
      detail.error === undefined ? null : detail.error.slice(0, ERROR_CHARS),
      detail.outcomeUnknown ? 1 : 0,
      topic,
      this.owner,
    ).changes;
    return changes > 0;
  }

  /**
   * Gives claimed entries back without counting an attempt, due at once (e.g. claimed but not sent).
   * `verified`: the server was asked and does not have them, so they can be written without a check.
   */
  release(topics: readonly string[], options: { verified?: boolean } = {}): number {
    if (this.closed || topics.length === 0) return 0;
    return this.tx.release.immediate(topics, options.verified === true, this.owner);
  }

  /**
   * Removes a pending entry for good because the server refused it (bad input): keeps it in the
   * dead-letter table for inspection, logs an error and counts `outcomesDropped`. Returns whether it was pending.
   */
  drop(topic: string, reason: string): boolean {
    if (this.closed) return false;
    const dead = this.tx.bury.immediate(topic, reason, this.now());
    if (!dead) return false;
    this.counters.add('outcomesDropped');
    this.logger.error(
      { topic, reason: dead.reason, attempts: dead.attempts, outbox: this.path },
      'the memory server refused an outcome for good; it is kept in the dead-letter table and will not be retried',
    );
    this.housekeeping.runSometimes();
    return true;
  }

  /** Makes every entry waiting on backoff due now (the memory server is back). Returns how many. */
  releaseBackoff(): number {
    if (this.closed) return 0;
    return this.statements.releaseBackoff.run(this.now()).changes;
  }

  /** The earliest time (epoch ms) something not claimable now may become claimable; undefined when nothing is pending. */
  nextDueAt(): number | undefined {
    if (this.closed) return undefined;
    const now = this.now();
    const row = this.statements.nextDue.get(now, now) as {
      next_attempt: number | null;
      lease_end: number | null;
    };
    const times = [row.next_attempt, row.lease_end].filter((t): t is number => t !== null);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Number of pending entries (claimed or not). */
  pendingCount(): number {
    if (this.closed) return 0;
    return (this.statements.size.get() as { pending_count: number }).pending_count;
  }

  /** Sizes of the outbox's tables. */
  stats(): OutboxStats {
    if (this.closed) return { pending: 0, pendingBytes: 0, deliveredTopics: 0, deadLetters: 0 };
    const size = this.statements.size.get() as { pending_count: number; pending_bytes: number };
    const counts = this.statements.counts.get() as { delivered: number; dead: number };
    return {
      pending: size.pending_count,
      pendingBytes: size.pending_bytes,
      deliveredTopics: counts.delivered,
      deadLetters: counts.dead,
    };
  }

  /** Pending entries and bytes, when the oldest was queued, and the dead letters: one cheap read. */
  backlog(): OutboxBacklog {
    return toBacklog(this.closed ? undefined : this.statements.backlog.get());
  }

  /** The newest dead letters first. */
  deadLetters(limit = 100): DeadLetter[] {
    if (this.closed) return [];
    const rows = this.statements.deadLetters.all(Math.max(0, Math.floor(limit))) as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }

  /**
   * Prunes delivered topics (older than the retention or beyond the count) and dead letters, and
   * returns free pages to the file system. Runs by itself at most once a minute.
   */
  maintain(): void {
    if (!this.closed) this.housekeeping.run();
  }

  /**
   * Closes the file. Entries this outbox still holds are given back (due at once, flagged as of
   * unknown outcome), so a new outbox on the file picks them up without waiting for the lease.
   * Call it after the delivery loop stopped. Never throws.
   */
  close(): void {
    if (this.closed) return;
    try {
      this.statements.releaseOwned.run(this.owner);
    } catch (error) {
      this.logger.warn(
        { err: error, outbox: this.path },
        'could not give back claimed entries; they are retried when their lease ends',
      );
    }
    this.closed = true;
    this.drops.closing();
    try {
      this.db.close();
    } catch (error) {
      this.logger.warn({ err: error, outbox: this.path }, 'error while closing the file');
    }
  }
}
