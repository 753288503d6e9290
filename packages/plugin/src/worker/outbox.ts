import { randomUUID } from 'node:crypto';
import { openSharedDatabase } from '@temporal-stompy/sqlite-file';
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Priority } from '../memory/result-forms';
import type { ContextWrite } from '../memory/stompy-client';
import type { PluginCounters } from './plugin-counters';

/** What {@link OutcomeOutbox.enqueue} did with a write. */
export type EnqueueResult = 'queued' | 'duplicate' | 'dropped';

/** Options of {@link OutcomeOutbox}. */
export interface OutcomeOutboxOptions {
  /** The SQLite file (created with its folder when missing), or `:memory:` (nothing survives a restart). */
  path: string;
  logger: Logger;
  /** Where queued, delivered, deduplicated and dropped outcomes are counted. Only `add` is used. */
  counters: Pick<PluginCounters, 'add'>;
  /** Most bytes of pending writes (topic + content + tags); default 64 MiB. Past it new writes are dropped. */
  maxPendingBytes?: number;
  /** Most pending writes; default 100,000. Past it new writes are dropped. */
  maxPending?: number;
  /** Delivered topics remembered for deduplication: at most this many, newest kept; default 100,000. */
  maxDeliveredTopics?: number;
  /** Delivered topics are remembered for deduplication at most this long, in ms; default 7 days. */
  deliveredRetentionMs?: number;
  /** Dead letters (writes the server refused for good) kept for inspection, newest kept; default 1,000. */
  maxDeadLetters?: number;
  /** How long a claim keeps other deliverers off an entry, in ms, unless {@link claim} says; default 30 s. */
  defaultLeaseMs?: number;
  /**
   * How long a statement waits for another process's write lock, in ms; default 1,000. Kept short
   * because better-sqlite3 waits synchronously, on the thread that runs the user's activities.
   */
  busyTimeoutMs?: number;
  /** Shortest interval between two "outbox full" error logs (drops in between are summed), in ms; default 10 s. */
  dropLogIntervalMs?: number;
  /** The clock, epoch ms; default `Date.now`. */
  now?: () => number;
}

/** A pending write handed out by {@link OutcomeOutbox.claim}, leased to the caller. */
export interface ClaimedEntry {
  topic: string;
  write: ContextWrite;
  /** This attempt's number, from 1 (claims count as attempts; {@link OutcomeOutbox.release} gives one back). */
  attempt: number;
  /**
   * An earlier attempt may have reached the server without an answer (timeout, dropped connection,
   * or a deliverer that died holding the lease): check whether the topic is stored before writing it again.
   */
  outcomeUnknown: boolean;
  /** When it was queued, epoch ms. */
  enqueuedAt: number;
}

/** Options of {@link OutcomeOutbox.markFailed}. */
export interface FailureDetail {
  /** What went wrong, kept with the entry for inspection (truncated). */
  error?: string;
  /** The write may have reached the server (no answer came): verify before writing it again. */
  outcomeUnknown?: boolean;
}

/** A write the server refused for good, kept for inspection. */
export interface DeadLetter {
  topic: string;
  /** The content, cut to 64 Ki characters; `contentBytes` is its full size in UTF-8 bytes. */
  content: string;
  contentBytes: number;
  tags: string[];
  priority: Priority;
  reason: string;
  attempts: number;
  enqueuedAt: number;
  droppedAt: number;
}

/** Sizes of the outbox's tables. */
export interface OutboxStats {
  pending: number;
  pendingBytes: number;
  deliveredTopics: number;
  deadLetters: number;
}

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Stored content of a dead letter is cut to this many characters, so the dead-letter table stays bounded. */
const DEAD_LETTER_CONTENT_CHARS = 64 * 1024;
const ERROR_CHARS = 1000;
/** Housekeeping (pruning delivered topics and dead letters, returning free pages) runs at most this often. */
const MAINTENANCE_INTERVAL_MS = 60_000;
/** Free pages are returned to the file system once they add up to this much. */
const VACUUM_FREE_BYTES = 16 * MiB;
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox_pending (
  seq             INTEGER PRIMARY KEY,
  topic           TEXT    NOT NULL UNIQUE,
  content         TEXT    NOT NULL,
  tags            TEXT    NOT NULL,
  priority        TEXT    NOT NULL,
  force_store     INTEGER NOT NULL,
  bytes           INTEGER NOT NULL,
  enqueued_at     INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  claimed_until   INTEGER NOT NULL DEFAULT 0,
  claimed_by      TEXT,
  outcome_unknown INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending_next_attempt ON outbox_pending (next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_pending_claimed_until ON outbox_pending (claimed_until);

CREATE TABLE IF NOT EXISTS outbox_delivered (
  seq          INTEGER PRIMARY KEY,
  topic        TEXT    NOT NULL UNIQUE,
  delivered_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_delivered_at ON outbox_delivered (delivered_at);

CREATE TABLE IF NOT EXISTS outbox_dead_letter (
  seq           INTEGER PRIMARY KEY,
  topic         TEXT    NOT NULL,
  content       TEXT    NOT NULL,
  content_bytes INTEGER NOT NULL,
  tags          TEXT    NOT NULL,
  priority      TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  attempts      INTEGER NOT NULL,
  enqueued_at   INTEGER NOT NULL,
  dropped_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_dead_letter_topic ON outbox_dead_letter (topic);

-- Pending count and bytes, kept by triggers so the size check on every enqueue reads one row.
CREATE TABLE IF NOT EXISTS outbox_size (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  pending_count INTEGER NOT NULL,
  pending_bytes INTEGER NOT NULL
);
INSERT OR IGNORE INTO outbox_size (id, pending_count, pending_bytes) VALUES (1, 0, 0);
CREATE TRIGGER IF NOT EXISTS outbox_pending_added AFTER INSERT ON outbox_pending BEGIN
  UPDATE outbox_size SET pending_count = pending_count + 1, pending_bytes = pending_bytes + NEW.bytes WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS outbox_pending_removed AFTER DELETE ON outbox_pending BEGIN
  UPDATE outbox_size SET pending_count = pending_count - 1, pending_bytes = pending_bytes - OLD.bytes WHERE id = 1;
END;
`;

interface PendingRow {
  seq: number;
  topic: string;
  content: string;
  tags: string;
  priority: string;
  force_store: number;
  enqueued_at: number;
  attempts: number;
  claimed_until: number;
  outcome_unknown: number;
}

interface DeadLetterRow {
  topic: string;
  content: string;
  content_bytes: number;
  tags: string;
  priority: string;
  reason: string;
  attempts: number;
  enqueued_at: number;
  dropped_at: number;
}

/**
 * The durable local outbox of outcome writes: a SQLite file (WAL, busy timeout, synchronous=NORMAL)
 * holding pending {@link ContextWrite}s keyed by topic, so recording never waits on the network and
 * nothing is lost to a memory-server outage or a worker restart.
 *
 * - {@link enqueue} is synchronous and fast and never throws: a topic already pending, delivered
 *   (the last `maxDeliveredTopics` / `deliveredRetentionMs`) or dead-lettered is a duplicate, which
 *   is what makes a duplicate report record nothing twice.
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
  private readonly db: Database;
  private readonly logger: Logger;
  private readonly counters: Pick<PluginCounters, 'add'>;
  private readonly now: () => number;
  private readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly maxPendingBytes: number;
  private readonly maxPending: number;
  private readonly maxDeliveredTopics: number;
  private readonly deliveredRetentionMs: number;
  private readonly maxDeadLetters: number;
  private readonly defaultLeaseMs: number;
  private readonly dropLogIntervalMs: number;
  private readonly statements: ReturnType<typeof prepareStatements>;
  /** Transactions; always run with `.immediate` (BEGIN IMMEDIATE: the write lock first, no upgrade deadlock). */
  private readonly enqueueTx: Transaction<(row: InsertRow) => 'queued' | 'duplicate' | 'full'>;
  private readonly claimTx: Transaction<(limit: number, leaseMs: number) => ClaimedEntry[]>;
  private readonly markDeliveredTx: Transaction<(topics: readonly string[]) => number>;
  private readonly dropTx: Transaction<(topic: string, reason: string) => DeadLetterRow | undefined>;
  private closed = false;
  private lastMaintenance = 0;
  /** Drops not yet reported in an error log, and when the last report was written. */
  private unreportedDrops = 0;
  private lastDropLog = Number.NEGATIVE_INFINITY;

  constructor(options: OutcomeOutboxOptions) {
    this.path = options.path;
    this.logger = options.logger;
    this.counters = options.counters;
    this.now = options.now ?? Date.now;
    this.maxPendingBytes = positive('maxPendingBytes', options.maxPendingBytes, 64 * MiB);
    this.maxPending = positive('maxPending', options.maxPending, 100_000);
    this.maxDeliveredTopics = positive('maxDeliveredTopics', options.maxDeliveredTopics, 100_000);
    this.deliveredRetentionMs = positive('deliveredRetentionMs', options.deliveredRetentionMs, 7 * DAY_MS);
    this.maxDeadLetters = positive('maxDeadLetters', options.maxDeadLetters, 1_000);
    this.defaultLeaseMs = positive('defaultLeaseMs', options.defaultLeaseMs, 30_000);
    this.dropLogIntervalMs = nonNegative('dropLogIntervalMs', options.dropLogIntervalMs, 10_000);
    this.db = openOutboxDatabase(options.path, nonNegative('busyTimeoutMs', options.busyTimeoutMs, 1_000));
    const s = (this.statements = prepareStatements(this.db));

    this.enqueueTx = this.db.transaction((row: InsertRow) => {
      if (s.known.get(row.topic, row.topic, row.topic) !== undefined) return 'duplicate' as const;
      const size = s.size.get() as { pending_count: number; pending_bytes: number };
      if (size.pending_count >= this.maxPending || size.pending_bytes + row.bytes > this.maxPendingBytes) {
        return 'full' as const;
      }
      return s.insert.run(row).changes > 0 ? ('queued' as const) : ('duplicate' as const);
    });

    this.claimTx = this.db.transaction((limit: number, leaseMs: number) => {
      const now = this.now();
      const rows = s.claimable.all(now, now, limit) as PendingRow[];
      return rows.map((row): ClaimedEntry => {
        // A lease still set here expired without its holder reporting back: that attempt's fate is unknown.
        const outcomeUnknown = row.outcome_unknown !== 0 || row.claimed_until !== 0;
        s.lease.run(now + leaseMs, this.owner, outcomeUnknown ? 1 : 0, row.seq);
        return {
          topic: row.topic,
          write: toWrite(row),
          attempt: row.attempts + 1,
          outcomeUnknown,
          enqueuedAt: row.enqueued_at,
        };
      });
    });

    this.markDeliveredTx = this.db.transaction((topics: readonly string[]) => {
      const now = this.now();
      let removed = 0;
      for (const topic of topics) {
        s.remember.run(topic, now);
        removed += s.remove.run(topic).changes;
      }
      return removed;
    });

    this.dropTx = this.db.transaction((topic: string, reason: string) => {
      const row = s.pendingByTopic.get(topic) as PendingRow | undefined;
      if (!row) return undefined;
      const dead: DeadLetterRow = {
        topic,
        content: row.content.slice(0, DEAD_LETTER_CONTENT_CHARS),
        content_bytes: Buffer.byteLength(row.content),
        tags: row.tags,
        priority: row.priority,
        reason: reason.slice(0, ERROR_CHARS),
        attempts: row.attempts,
        enqueued_at: row.enqueued_at,
        dropped_at: this.now(),
      };
      s.bury.run(dead);
      s.remove.run(topic);
      return dead;
    });
  }

  /**
   * Queues a write for delivery. Synchronous, local and never throws: 'queued', 'duplicate' (the
   * topic is pending, was delivered, or was refused for good) or 'dropped' (the outbox is full, or
   * the file cannot be written; logged as an error and counted).
   *
   * When full, the NEW write is dropped rather than the oldest pending one: pending entries are
   * already promised to the system (another deliverer may hold a lease on them, and dropping them
   * would rewrite history behind a reader's back), the oldest are often the most valuable (they
   * describe what happened when the outage began), and refusing at the door keeps enqueue a single
   * cheap statement that cannot interfere with a delivery in flight.
   */
  enqueue(write: ContextWrite): EnqueueResult {
    if (this.closed) return this.dropped(write.topic, 'the outbox is closed');
    const row = toRow(write, this.now());
    if (row.bytes > this.maxPendingBytes) {
      return this.dropped(
        write.topic,
        `the write (${row.bytes} bytes) is larger than maxPendingBytes (${this.maxPendingBytes})`,
      );
    }
    let result: 'queued' | 'duplicate' | 'full';
    try {
      result = this.enqueueTx.immediate(row);
    } catch (error) {
      return this.dropped(write.topic, `the outbox file cannot be written: ${message(error)}`, error);
    }
    switch (result) {
      case 'queued':
        this.counters.add('outcomesQueued');
        this.reportRecovery();
        return 'queued';
      case 'duplicate':
        this.counters.add('outcomesDeduplicated');
        return 'duplicate';
      case 'full':
        return this.dropped(
          write.topic,
          `the outbox is full (maxPending ${this.maxPending}, maxPendingBytes ${this.maxPendingBytes})`,
        );
    }
  }

  /**
   * Leases the oldest due entries (not in backoff, not leased by anyone) to this outbox for `leaseMs`
   * and returns them; each claim counts as an attempt.
   */
  claim(limit: number, leaseMs = this.defaultLeaseMs): ClaimedEntry[] {
    if (this.closed || limit <= 0) return [];
    return this.claimTx.immediate(Math.floor(limit), Math.max(1, leaseMs));
  }

  /** Marks topics as delivered: removes them from pending and remembers them for deduplication. Returns how many were pending. */
  markDelivered(topics: readonly string[]): number {
    if (this.closed || topics.length === 0) return 0;
    const removed = this.markDeliveredTx.immediate(topics);
    if (removed > 0) this.counters.add('outcomesDelivered', removed);
    this.maintainSometimes();
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
    let released = 0;
    const verified = options.verified ? 1 : 0;
    this.db
      .transaction(() => {
        for (const topic of topics)
          released += this.statements.release.run(verified, topic, this.owner).changes;
      })
      .immediate();
    return released;
  }

  /**
   * Removes a pending entry for good because the server refused it (bad input): keeps it in the
   * dead-letter table for inspection, logs an error and counts `outcomesDropped`. Returns whether it was pending.
   */
  drop(topic: string, reason: string): boolean {
    if (this.closed) return false;
    const dead = this.dropTx.immediate(topic, reason);
    if (!dead) return false;
    this.counters.add('outcomesDropped');
    this.logger.error(
      { topic, reason: dead.reason, attempts: dead.attempts, outbox: this.path },
      'stompy outbox: the memory server refused an outcome for good; it is kept in the dead-letter table and will not be retried',
    );
    this.maintainSometimes();
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

  /** The newest dead letters first. */
  deadLetters(limit = 100): DeadLetter[] {
    if (this.closed) return [];
    return (this.statements.deadLetters.all(Math.max(0, Math.floor(limit))) as DeadLetterRow[]).map(
      (row) => ({
        topic: row.topic,
        content: row.content,
        contentBytes: row.content_bytes,
        tags: parseTags(row.tags),
        priority: row.priority as Priority,
        reason: row.reason,
        attempts: row.attempts,
        enqueuedAt: row.enqueued_at,
        droppedAt: row.dropped_at,
      }),
    );
  }

  /**
   * Prunes delivered topics (older than the retention or beyond the count) and dead letters, and
   * returns free pages to the file system. Runs by itself at most once a minute.
   */
  maintain(): void {
    if (this.closed) return;
    const now = this.now();
    this.lastMaintenance = now;
    const s = this.statements;
    this.db
      .transaction(() => {
        s.forgetOldDelivered.run(now - this.deliveredRetentionMs);
        s.forgetExtraDelivered.run(this.maxDeliveredTopics);
        s.forgetExtraDeadLetters.run(this.maxDeadLetters);
      })
      .immediate();
    const free =
      (this.db.pragma('freelist_count', { simple: true }) as number) *
      (this.db.pragma('page_size', { simple: true }) as number);
    if (free >= VACUUM_FREE_BYTES) this.db.pragma('incremental_vacuum');
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
        'stompy outbox: could not give back claimed entries; they are retried when their lease ends',
      );
    }
    this.closed = true;
    if (this.unreportedDrops > 0) this.reportDrops(this.unreportedDrops, undefined, 'when closing');
    try {
      this.db.close();
    } catch (error) {
      this.logger.warn({ err: error, outbox: this.path }, 'stompy outbox: error while closing the file');
    }
  }

  /** Counts and logs a dropped write. Errors are logged at once, then at most once per `dropLogIntervalMs` with the count since. */
  private dropped(topic: string, reason: string, error?: unknown): 'dropped' {
    this.counters.add('outcomesDropped');
    this.unreportedDrops += 1;
    if (this.now() - this.lastDropLog >= this.dropLogIntervalMs) {
      this.reportDrops(this.unreportedDrops, topic, reason, error);
    }
    return 'dropped';
  }

  private reportDrops(count: number, topic: string | undefined, reason: string, error?: unknown): void {
    this.lastDropLog = this.now();
    this.unreportedDrops = 0;
    this.logger.error(
      {
        droppedOutcomes: count,
        topic,
        reason,
        outbox: this.path,
        ...(error === undefined ? {} : { err: error }),
      },
      `stompy outbox: dropped ${count} outcome(s) that will never reach memory: ${reason}`,
    );
  }

  /** After drops, the first accepted write says so, with the drops not reported yet. */
  private reportRecovery(): void {
    if (this.unreportedDrops === 0) return;
    this.reportDrops(this.unreportedDrops, undefined, 'before the outbox accepted writes again');
  }

  private maintainSometimes(): void {
    if (this.now() - this.lastMaintenance < MAINTENANCE_INTERVAL_MS) return;
    try {
      this.maintain();
    } catch (error) {
      this.counters.add('internalErrors');
      this.logger.warn(
        { err: error, outbox: this.path },
        'stompy outbox: housekeeping failed; it is tried again later',
      );
    }
  }
}

interface InsertRow {
  topic: string;
  content: string;
  tags: string;
  priority: string;
  force_store: number;
  bytes: number;
  enqueued_at: number;
}

function toRow(write: ContextWrite, now: number): InsertRow {
  const tags = JSON.stringify(write.tags);
  return {
    topic: write.topic,
    content: write.content,
    tags,
    priority: write.priority,
    force_store: write.forceStore ? 1 : 0,
    bytes:
      Buffer.byteLength(write.topic) +
      Buffer.byteLength(write.content) +
      Buffer.byteLength(tags) +
      write.priority.length,
    enqueued_at: now,
  };
}

function toWrite(row: PendingRow): ContextWrite {
  const write: ContextWrite = {
    topic: row.topic,
    content: row.content,
    tags: parseTags(row.tags),
    priority: row.priority as Priority,
  };
  if (row.force_store !== 0) write.forceStore = true;
  return write;
}

function parseTags(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

function openOutboxDatabase(path: string, busyTimeoutMs: number): Database {
  return openSharedDatabase(path, {
    busyTimeoutMs,
    initialize: (db) => {
      // Only takes effect on a new file (before the first table): lets maintain() give free pages back.
      db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A checkpointed WAL file is cut back to this size, so a burst does not leave a large file behind.
      db.pragma(`journal_size_limit = ${16 * MiB}`);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(
          `${path} was written by a newer version of the outbox (schema ${version}, this one knows ${SCHEMA_VERSION})`,
        );
      }
      if (version < SCHEMA_VERSION) {
        db.transaction(() => {
          db.exec(SCHEMA);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        }).immediate();
      }
    },
  });
}

function prepareStatements(db: Database) {
  const prepare = (sql: string): Statement => db.prepare(sql);
  return {
    known: prepare(
      `SELECT 1 WHERE EXISTS (SELECT 1 FROM outbox_pending WHERE topic = ?)
          OR EXISTS (SELECT 1 FROM outbox_delivered WHERE topic = ?)
          OR EXISTS (SELECT 1 FROM outbox_dead_letter WHERE topic = ?)`,
    ),
    size: prepare('SELECT pending_count, pending_bytes FROM outbox_size WHERE id = 1'),
    counts: prepare(
      'SELECT (SELECT COUNT(*) FROM outbox_delivered) AS delivered, (SELECT COUNT(*) FROM outbox_dead_letter) AS dead',
    ),
    insert: prepare(
      `INSERT OR IGNORE INTO outbox_pending (topic, content, tags, priority, force_store, bytes, enqueued_at)
       VALUES (@topic, @content, @tags, @priority, @force_store, @bytes, @enqueued_at)`,
    ),
    claimable: prepare(
      `SELECT seq, topic, content, tags, priority, force_store, enqueued_at, attempts, claimed_until, outcome_unknown
         FROM outbox_pending
        WHERE next_attempt_at <= ? AND claimed_until <= ?
        ORDER BY seq LIMIT ?`,
    ),
    lease: prepare(
      `UPDATE outbox_pending SET claimed_until = ?, claimed_by = ?, outcome_unknown = ?, attempts = attempts + 1 WHERE seq = ?`,
    ),
    pendingByTopic: prepare('SELECT * FROM outbox_pending WHERE topic = ?'),
    remember: prepare('INSERT OR IGNORE INTO outbox_delivered (topic, delivered_at) VALUES (?, ?)'),
    remove: prepare('DELETE FROM outbox_pending WHERE topic = ?'),
    fail: prepare(
      `UPDATE outbox_pending SET next_attempt_at = ?, last_error = ?, outcome_unknown = ?, claimed_until = 0, claimed_by = NULL
        WHERE topic = ? AND claimed_by = ?`,
    ),
    release: prepare(
      `UPDATE outbox_pending
          SET claimed_until = 0, claimed_by = NULL, attempts = MAX(attempts - 1, 0),
              outcome_unknown = CASE WHEN ? = 1 THEN 0 ELSE outcome_unknown END
        WHERE topic = ? AND claimed_by = ?`,
    ),
    releaseOwned: prepare(
      `UPDATE outbox_pending SET claimed_until = 0, claimed_by = NULL, outcome_unknown = 1 WHERE claimed_by = ?`,
    ),
    releaseBackoff: prepare('UPDATE outbox_pending SET next_attempt_at = 0 WHERE next_attempt_at > ?'),
    nextDue: prepare(
      `SELECT (SELECT MIN(next_attempt_at) FROM outbox_pending WHERE next_attempt_at > ?) AS next_attempt,
              (SELECT MIN(claimed_until) FROM outbox_pending WHERE claimed_until > ?) AS lease_end`,
    ),
    bury: prepare(
      `INSERT INTO outbox_dead_letter (topic, content, content_bytes, tags, priority, reason, attempts, enqueued_at, dropped_at)
       VALUES (@topic, @content, @content_bytes, @tags, @priority, @reason, @attempts, @enqueued_at, @dropped_at)`,
    ),
    deadLetters: prepare(
      `SELECT topic, content, content_bytes, tags, priority, reason, attempts, enqueued_at, dropped_at
         FROM outbox_dead_letter ORDER BY seq DESC LIMIT ?`,
    ),
    forgetOldDelivered: prepare('DELETE FROM outbox_delivered WHERE delivered_at < ?'),
    // Keeps at most the N newest (highest seq) rows.
    forgetExtraDelivered: prepare(
      'DELETE FROM outbox_delivered WHERE seq <= (SELECT MAX(seq) FROM outbox_delivered) - ?',
    ),
    forgetExtraDeadLetters: prepare(
      'DELETE FROM outbox_dead_letter WHERE seq <= (SELECT MAX(seq) FROM outbox_dead_letter) - ?',
    ),
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`OutcomeOutbox: ${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`OutcomeOutbox: ${name} must be a number >= 0, got ${value}`);
  return value;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
