import type { Database, Statement } from 'better-sqlite3';
import type { Priority } from '../../mcp/result-forms';
import type { ContextWrite } from '../../mcp/stompy-client';
import { readCountedOutcome } from './counted-outcome-column';
import type { ClaimedEntry, DeadLetter, OutboxBacklog } from './outbox-types';

/** A pending row as the claim returns it (after the claim: its attempts counted, its fate known or not). */
export interface PendingRow {
  seq: number;
  topic: string;
  content: string;
  tags: string;
  priority: string;
  force_store: number;
  enqueued_at: number;
  attempts: number;
  outcome_unknown: number;
  /** The outcome's keys and facts as JSON; NULL when written by an older plugin or for no outcome. */
  outcome: string | null;
}

/** A dead letter as stored. */
export interface DeadLetterRow {
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

/** A pending row as enqueue writes it. */
export interface InsertRow {
  topic: string;
  content: string;
  tags: string;
  priority: string;
  force_store: number;
  outcome: string | null;
  bytes: number;
  enqueued_at: number;
}

/** The row of a write, with its size in bytes (what the outbox bounds). */
export function toRow(write: ContextWrite, now: number): InsertRow {
  const tags = JSON.stringify(write.tags);
  const outcome = write.outcome ? JSON.stringify(write.outcome) : null;
  return {
    topic: write.topic,
    content: write.content,
    tags,
    priority: write.priority,
    force_store: write.forceStore ? 1 : 0,
    outcome,
    bytes:
      Buffer.byteLength(write.topic) +
      Buffer.byteLength(write.content) +
      Buffer.byteLength(tags) +
      write.priority.length +
      (outcome === null ? 0 : Buffer.byteLength(outcome)),
    enqueued_at: now,
  };
}

/**
 * The write a claimed row holds, and why its outcome's keys and facts could not be read when they
 * could not (it is delivered without them).
 */
export function toWrite(row: PendingRow): { write: ContextWrite; outcomeProblem: string | undefined } {
  const write: ContextWrite = {
    topic: row.topic,
    content: row.content,
    tags: parseTags(row.tags),
    priority: row.priority as Priority,
  };
  if (row.force_store !== 0) write.forceStore = true;
  const { outcome, problem } = readCountedOutcome(row.outcome);
  if (outcome) write.outcome = outcome;
  return { write, outcomeProblem: problem };
}

/** A claimed row as delivery gets it. */
export function toClaimedEntry(row: PendingRow): ClaimedEntry {
  const { write, outcomeProblem } = toWrite(row);
  const entry: ClaimedEntry = {
    topic: row.topic,
    write,
    attempt: row.attempts,
    outcomeUnknown: row.outcome_unknown !== 0,
    enqueuedAt: row.enqueued_at,
  };
  if (outcomeProblem !== undefined) entry.outcomeProblem = outcomeProblem;
  return entry;
}

/** The backlog row as the `backlog` statement reads it. */
interface BacklogRow {
  pending_count: number;
  pending_bytes: number;
  oldest_enqueued_at: number | null;
  dead: number;
}

/** The backlog as the outbox hands it out, from the `backlog` statement's row (none: a closed outbox, empty). */
export function toBacklog(got: unknown): OutboxBacklog {
  if (got === undefined) return { pending: 0, pendingBytes: 0, oldestEnqueuedAt: undefined, deadLetters: 0 };
  const row = got as BacklogRow;
  return {
    pending: row.pending_count,
    pendingBytes: row.pending_bytes,
    oldestEnqueuedAt: row.oldest_enqueued_at ?? undefined,
    deadLetters: row.dead,
  };
}

/** A dead letter as the outbox hands it out. */
export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    topic: row.topic,
    content: row.content,
    contentBytes: row.content_bytes,
    tags: parseTags(row.tags),
    priority: row.priority as Priority,
    reason: row.reason,
    attempts: row.attempts,
    enqueuedAt: row.enqueued_at,
    droppedAt: row.dropped_at,
  };
}

/** Tags stored as JSON; anything unreadable reads as none. */
export function parseTags(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The outbox's SQL, one statement a name. */
const SQL = {
  known: `SELECT 1 WHERE EXISTS (SELECT 1 FROM outbox_pending WHERE topic = ?)
          OR EXISTS (SELECT 1 FROM outbox_delivered WHERE topic = ?)
          OR EXISTS (SELECT 1 FROM outbox_dead_letter WHERE topic = ?)`,
  size: 'SELECT pending_count, pending_bytes FROM outbox_size WHERE id = 1',
  counts:
    'SELECT (SELECT COUNT(*) FROM outbox_delivered) AS delivered, (SELECT COUNT(*) FROM outbox_dead_letter) AS dead',
  // The oldest pending entry by the primary key (no index of its own); dead letters are few (bounded).
  backlog: `SELECT pending_count, pending_bytes,
              (SELECT enqueued_at FROM outbox_pending ORDER BY seq LIMIT 1) AS oldest_enqueued_at,
              (SELECT COUNT(*) FROM outbox_dead_letter) AS dead
         FROM outbox_size WHERE id = 1`,
  insert: `INSERT OR IGNORE INTO outbox_pending (topic, content, tags, priority, force_store, outcome, bytes, enqueued_at)
       VALUES (@topic, @content, @tags, @priority, @force_store, @outcome, @bytes, @enqueued_at)`,
  // Leases the oldest due entries in one statement. A lease still set on a due entry expired without
  // its holder reporting back: that attempt's fate is unknown (SET reads the values before the update).
  claim: `UPDATE outbox_pending
             SET claimed_until = @leaseUntil, claimed_by = @owner, attempts = attempts + 1,
                 outcome_unknown = CASE WHEN outcome_unknown != 0 OR claimed_until != 0 THEN 1 ELSE 0 END
           WHERE seq IN (SELECT seq FROM outbox_pending
                          WHERE next_attempt_at <= @now AND claimed_until <= @now ORDER BY seq LIMIT @limit)
       RETURNING seq, topic, content, tags, priority, force_store, outcome, enqueued_at, attempts, outcome_unknown`,
  pendingByTopic: 'SELECT * FROM outbox_pending WHERE topic = ?',
  // Many topics in one statement each: the topics come as a JSON array.
  rememberAll:
    'INSERT OR IGNORE INTO outbox_delivered (topic, delivered_at) SELECT value, ? FROM json_each(?)',
  removeAll: 'DELETE FROM outbox_pending WHERE topic IN (SELECT value FROM json_each(?))',
  remove: 'DELETE FROM outbox_pending WHERE topic = ?',
  fail: `UPDATE outbox_pending SET next_attempt_at = ?, last_error = ?, outcome_unknown = ?, claimed_until = 0, claimed_by = NULL
        WHERE topic = ? AND claimed_by = ?`,
  release: `UPDATE outbox_pending
          SET claimed_until = 0, claimed_by = NULL, attempts = MAX(attempts - 1, 0),
              outcome_unknown = CASE WHEN ? = 1 THEN 0 ELSE outcome_unknown END
        WHERE topic = ? AND claimed_by = ?`,
  releaseOwned: `UPDATE outbox_pending SET claimed_until = 0, claimed_by = NULL, outcome_unknown = 1 WHERE claimed_by = ?`,
  releaseBackoff: 'UPDATE outbox_pending SET next_attempt_at = 0 WHERE next_attempt_at > ?',
  nextDue: `SELECT (SELECT MIN(next_attempt_at) FROM outbox_pending WHERE next_attempt_at > ?) AS next_attempt,
              (SELECT MIN(claimed_until) FROM outbox_pending WHERE claimed_until > ?) AS lease_end`,
  bury: `INSERT INTO outbox_dead_letter (topic, content, content_bytes, tags, priority, reason, attempts, enqueued_at, dropped_at)
       VALUES (@topic, @content, @content_bytes, @tags, @priority, @reason, @attempts, @enqueued_at, @dropped_at)`,
  deadLetters: `SELECT topic, content, content_bytes, tags, priority, reason, attempts, enqueued_at, dropped_at
         FROM outbox_dead_letter ORDER BY seq DESC LIMIT ?`,
  forgetOldDelivered: 'DELETE FROM outbox_delivered WHERE delivered_at < ?',
  // Keeps at most the N newest (highest seq) rows.
  forgetExtraDelivered:
    'DELETE FROM outbox_delivered WHERE seq <= (SELECT MAX(seq) FROM outbox_delivered) - ?',
  forgetExtraDeadLetters:
    'DELETE FROM outbox_dead_letter WHERE seq <= (SELECT MAX(seq) FROM outbox_dead_letter) - ?',
} as const;

/** Every statement of the outbox, prepared once. */
export type OutboxStatements = { readonly [Name in keyof typeof SQL]: Statement };

/** Prepares the outbox's statements on an open file. */
export function prepareStatements(db: Database): OutboxStatements {
  return prepareAll(db, SQL);
}

/** Prepares every statement of a table of SQL, under the same names. */
export function prepareAll<T extends Record<string, string>>(
  db: Database,
  sql: T,
): { readonly [Name in keyof T]: Statement } {
  const entries = Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]);
  return Object.fromEntries(entries) as { readonly [Name in keyof T]: Statement };
}
