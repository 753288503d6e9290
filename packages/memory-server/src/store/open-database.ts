import { openSharedDatabase } from '@temporal-stompy/sqlite-file';
import type { Database } from 'better-sqlite3';
import { migrate } from './schema';

/** How long a connection waits for another process's write lock before failing, in milliseconds. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * WAL pages after which a commit checkpoints the WAL into the database file (SQLite's default: 1000).
 * A `lock_context` writes about 27 pages (row, indexes, one leaf per tag, the FTS segment), so the
 * default checkpoints every few dozen locks, and each checkpoint stalls the committing call on two
 * fsyncs and the copy of the pages it backfills. At 4000 pages (a WAL of about 16 MB) a run of
 * `lock_context` calls checkpoints a quarter as often and copies half as many pages, since pages
 * rewritten between two checkpoints are copied once. Durability is unchanged in kind: commits are
 * durable across process crashes, and after a power loss the transactions since the last checkpoint may
 * be lost (synchronous=NORMAL), of which there may now be more.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * Opens (creating it and its folder when missing) the SQLite file at `path` for a memory server, ready
 * to be shared with other processes, even ones opening it at the same moment: WAL journal (readers
 * never block the writer), a busy timeout, `synchronous=NORMAL` (durable across process crashes; the
 * last transactions may be lost on power loss), a checkpoint every {@link WAL_AUTOCHECKPOINT_PAGES}
 * WAL pages, foreign keys on, and the schema migrated.
 */
export function openDatabase(path: string, now: () => number): Database {
  return openSharedDatabase(path, {
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    initialize: (db) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      db.pragma('foreign_keys = ON');
      db.pragma('temp_store = MEMORY');
      migrate(db, now);
    },
  });
}
