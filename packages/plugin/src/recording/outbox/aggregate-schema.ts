import type { Database } from 'better-sqlite3';

/**
 * Tables of the aggregated write path (a memory server without a batch tool), created on open when
 * missing: additive, so the schema version stays and an older plugin still opens the file. Which pack
 * an entry went out in lives in `outbox_pending.pack` (an added column).
 */
const AGGREGATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- One digest per key ('' is the base digest: the whole memory's runs and failures), kept as JSON.
-- revision counts folds; written_revision is the one the server has. dirty_since is set while they differ.
CREATE TABLE IF NOT EXISTS outbox_digest (
  key              TEXT    PRIMARY KEY,
  state            TEXT    NOT NULL,
  revision         INTEGER NOT NULL,
  written_revision INTEGER NOT NULL DEFAULT 0,
  dirty_since      INTEGER,
  written_at       INTEGER NOT NULL DEFAULT 0,
  claimed_until    INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_digest_dirty ON outbox_digest (dirty_since) WHERE dirty_since IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbox_pending_pack ON outbox_pending (pack) WHERE pack IS NOT NULL;
`;

/** Creates the aggregated write path's tables where missing (after the `pack` column was added). */
export function addAggregateTables(db: Database): void {
  const present = (
    db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'outbox_digest'").get() as {
      n: number;
    }
  ).n;
  if (present > 0) return;
  db.transaction(() => db.exec(AGGREGATE_SCHEMA)).immediate();
}
