import { openSharedDatabase } from '@temporal-stompy/sqlite-file';
import type { Database } from 'better-sqlite3';
import { addAggregateTables } from './aggregate-schema';

const MiB = 1024 * 1024;
/**
 * The schema version this outbox writes; a file of a newer version is refused, an older one migrated.
 * Additive changes (a nullable column) keep the version, so an older plugin still opens the file
 * (its statements name their columns) and a rollback keeps working: see {@link ADDED_COLUMNS}.
 */
export const SCHEMA_VERSION = 1;

/**
 * Columns added to a table after its version was released, each added on open where missing. NULL
 * in the rows an older plugin wrote (or writes, during a rolling upgrade).
 */
const ADDED_COLUMNS = [
  // The outcome's keys and facts (JSON), for a memory server that counts them (issue 8).
  { table: 'outbox_pending', column: 'outcome', type: 'TEXT' },
  // The outcome pack the entry goes out in, against a server without a batch tool (issue 10).
  { table: 'outbox_pending', column: 'pack', type: 'TEXT' },
] as const;

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
  last_error      TEXT,
  outcome         TEXT
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

/**
 * Opens (creating it when missing) the outbox file: WAL, synchronous=NORMAL (a process crash loses
 * nothing committed), incremental vacuum, and the schema at {@link SCHEMA_VERSION}.
 */
export function openOutboxDatabase(path: string, busyTimeoutMs: number): Database {
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
      addMissingColumns(db);
      addAggregateTables(db);
    },
  });
}

/** Adds the {@link ADDED_COLUMNS} a file made by an older plugin lacks (checked again under the write lock). */
function addMissingColumns(db: Database): void {
  const missing = (): (typeof ADDED_COLUMNS)[number][] =>
    ADDED_COLUMNS.filter(
      ({ table, column }) =>
        !(db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column),
    );
  if (missing().length === 0) return;
  db.transaction(() => {
    for (const { table, column, type } of missing())
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }).immediate();
}

/** Free pages are returned to the file system once they add up to this much. */
const VACUUM_FREE_BYTES = 16 * MiB;

/** Returns free pages to the file system once they add up to 16 MiB (the file was made with incremental vacuum). */
export function returnFreePages(db: Database, minFreeBytes = VACUUM_FREE_BYTES): void {
  const free =
    (db.pragma('freelist_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number);
  if (free >= minFreeBytes) db.pragma('incremental_vacuum');
}
