import type { Database, Statement } from 'better-sqlite3';
import { prepareAll } from './outbox-statements';

/** The SQL of the aggregated write path, one statement a name. */
const SQL = {
  meta: 'SELECT value FROM outbox_meta WHERE name = ?',
  setMeta: 'INSERT OR IGNORE INTO outbox_meta (name, value) VALUES (?, ?)',
  firstDue: `SELECT seq, pack FROM outbox_pending
              WHERE next_attempt_at <= @now AND claimed_until <= @now ORDER BY seq LIMIT 1`,
  packHeld: 'SELECT count(*) AS n FROM outbox_pending WHERE pack = @pack AND claimed_until > @now',
  // Entries not yet in a pack, oldest first, with what they add to a pack's content.
  unpacked: `SELECT seq, length(CAST(content AS BLOB)) + length(CAST(topic AS BLOB)) + 16 AS size
               FROM outbox_pending
              WHERE next_attempt_at <= @now AND claimed_until <= @now AND pack IS NULL
              ORDER BY seq LIMIT @limit`,
  // What a new pack would hold now: its oldest entry's age and its size (an earlier pack due first: ready).
  packReadiness: `SELECT MIN(enqueued_at) AS oldest, COALESCE(SUM(size), 0) AS bytes, count(*) AS entries,
                         (SELECT pack FROM outbox_pending WHERE next_attempt_at <= @now AND claimed_until <= @now
                           ORDER BY seq LIMIT 1) AS first_pack
                    FROM (SELECT enqueued_at, length(CAST(content AS BLOB)) + length(CAST(topic AS BLOB)) + 16 AS size
                            FROM outbox_pending
                           WHERE next_attempt_at <= @now AND claimed_until <= @now AND pack IS NULL
                           ORDER BY seq LIMIT @limit)`,
  assignPack: 'UPDATE outbox_pending SET pack = @pack WHERE seq IN (SELECT value FROM json_each(@seqs))',
  // A claim as `claim` takes it (see outbox-statements.ts), of every entry of one pack.
  claimPack: `UPDATE outbox_pending
                 SET claimed_until = @leaseUntil, claimed_by = @owner, attempts = attempts + 1,
                     outcome_unknown = CASE WHEN outcome_unknown != 0 OR claimed_until != 0 THEN 1 ELSE 0 END
               WHERE pack = @pack
           RETURNING seq, topic, content, tags, priority, force_store, outcome, enqueued_at, attempts, outcome_unknown`,
  pendingOf: `SELECT topic, content, tags, outcome FROM outbox_pending
               WHERE topic IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  digest: 'SELECT state FROM outbox_digest WHERE key = ?',
  saveDigest: `INSERT INTO outbox_digest (key, state, revision, dirty_since) VALUES (@key, @state, 1, @now)
               ON CONFLICT (key) DO UPDATE SET state = excluded.state, revision = revision + 1,
                  dirty_since = COALESCE(dirty_since, excluded.dirty_since)`,
  claimDigest: `UPDATE outbox_digest SET claimed_until = @leaseUntil
                 WHERE key = (SELECT key FROM outbox_digest
                               WHERE dirty_since IS NOT NULL AND claimed_until <= @now
                                 AND next_attempt_at <= @now AND written_at <= @writtenBefore
                               ORDER BY dirty_since, key LIMIT 1)
             RETURNING key, state, revision`,
  digestWritten: `UPDATE outbox_digest
                     SET written_revision = @revision, written_at = @now, claimed_until = 0, next_attempt_at = 0,
                         dirty_since = CASE WHEN revision > @revision THEN @now ELSE NULL END
                   WHERE key = @key`,
  digestFailed: 'UPDATE outbox_digest SET claimed_until = 0, next_attempt_at = @retryAt WHERE key = @key',
  nextDigestDue: `SELECT MIN(MAX(written_at + @interval, next_attempt_at, claimed_until)) AS at
                    FROM outbox_digest WHERE dirty_since IS NOT NULL`,
  digestCounts: `SELECT count(*) AS keys, COALESCE(SUM(dirty_since IS NOT NULL), 0) AS dirty,
                        MIN(dirty_since) AS oldest_dirty FROM outbox_digest`,
} as const;

/** Every statement of the aggregated write path, prepared once. */
export type AggregateStatements = { readonly [Name in keyof typeof SQL]: Statement };

/** Prepares the aggregated write path's statements on an open outbox file. */
export function prepareAggregateStatements(db: Database): AggregateStatements {
  return prepareAll(db, SQL);
}
