import type { Database, Transaction } from 'better-sqlite3';
import type { ClaimedEntry } from './outbox-types';
import {
  toClaimedEntry,
  type DeadLetterRow,
  type InsertRow,
  type OutboxStatements,
  type PendingRow,
} from './outbox-statements';

/** Stored content of a dead letter is cut to this many characters, so the dead-letter table stays bounded. */
const DEAD_LETTER_CONTENT_CHARS = 64 * 1024;
/** Longest error or reason text kept with an entry. */
export const ERROR_CHARS = 1000;

/** What the enqueue transaction did with one row. */
export type EnqueueVerdict = 'queued' | 'duplicate' | 'full';

/** The bounds enqueue checks inside its transaction. */
export interface PendingBounds {
  readonly maxPending: number;
  readonly maxPendingBytes: number;
}

/** The outbox's multi-statement transactions (see {@link prepareTransactions}). */
export interface OutboxTransactions {
  readonly enqueue: Transaction<(rows: readonly InsertRow[], bounds: PendingBounds) => EnqueueVerdict[]>;
  readonly claim: Transaction<(limit: number, leaseMs: number, now: number, owner: string) => ClaimedEntry[]>;
  readonly markDelivered: Transaction<(topics: readonly string[], now: number) => number>;
  readonly release: Transaction<(topics: readonly string[], verified: boolean, owner: string) => number>;
  readonly bury: Transaction<(topic: string, reason: string, now: number) => DeadLetterRow | undefined>;
  readonly prune: Transaction<(retainAfter: number, maxDelivered: number, maxDeadLetters: number) => void>;
}

/**
 * The outbox's multi-statement transactions. Run each with `.immediate(...)` (BEGIN IMMEDIATE: the
 * write lock first, so two processes never deadlock upgrading a read lock).
 */
export function prepareTransactions(db: Database, s: OutboxStatements): OutboxTransactions {
  return {
    /** Queues rows, each unless its topic is known (pending, delivered or dead) or the outbox is full. */
    enqueue: db.transaction((rows: readonly InsertRow[], bounds: PendingBounds) =>
      rows.map((row): EnqueueVerdict => {
        if (s.known.get(row.topic, row.topic, row.topic) !== undefined) return 'duplicate';
        const size = s.size.get() as { pending_count: number; pending_bytes: number };
        if (
          size.pending_count >= bounds.maxPending ||
          size.pending_bytes + row.bytes > bounds.maxPendingBytes
        ) {
          return 'full';
        }
        return s.insert.run(row).changes > 0 ? 'queued' : 'duplicate';
      }),
    ),

    /** Leases the oldest due entries to `owner` until `now + leaseMs`; each claim counts as an attempt. */
    claim: db.transaction((limit: number, leaseMs: number, now: number, owner: string) => {
      const rows = s.claim.all({ limit, now, leaseUntil: now + leaseMs, owner }) as PendingRow[];
      return rows.sort((a, b) => a.seq - b.seq).map(toClaimedEntry);
    }),

    /** Removes delivered topics from pending and remembers them; returns how many were pending. */
    markDelivered: db.transaction((topics: readonly string[], now: number) => {
      const json = JSON.stringify(topics);
      s.rememberAll.run(now, json);
      return s.removeAll.run(json).changes;
    }),

    /** Gives claimed entries back without counting an attempt; returns how many this owner held. */
    release: db.transaction((topics: readonly string[], verified: boolean, owner: string) => {
      let released = 0;
      for (const topic of topics) released += s.release.run(verified ? 1 : 0, topic, owner).changes;
      return released;
    }),

    /** Moves a pending entry to the dead letters; returns the dead letter, or undefined when it was not pending. */
    bury: db.transaction((topic: string, reason: string, now: number) => {
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
        dropped_at: now,
      };
      s.bury.run(dead);
      s.remove.run(topic);
      return dead;
    }),

    /** Forgets delivered topics older than `retainAfter` or beyond the newest `maxDelivered`, and old dead letters. */
    prune: db.transaction((retainAfter: number, maxDelivered: number, maxDeadLetters: number) => {
      s.forgetOldDelivered.run(retainAfter);
      s.forgetExtraDelivered.run(maxDelivered);
      s.forgetExtraDeadLetters.run(maxDeadLetters);
    }),
  };
}
