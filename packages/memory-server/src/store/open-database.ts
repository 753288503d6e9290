import type { Database } from 'better-sqlite3';
import { migrate } from './schema';
import { openSharedDatabase } from './shared-database';

/** How long a connection waits for another process's write lock before failing, in milliseconds. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its folder when missing) the SQLite file at `path` for a memory server, ready
 * to be shared with other processes, even ones opening it at the same moment: WAL journal (readers
 * never block the writer), a busy timeout, `synchronous=NORMAL` (durable across process crashes; the
 * last transactions may be lost on power loss), foreign keys on, and the schema migrated.
 */
export function openDatabase(path: string, now: () => number): Database {
  return openSharedDatabase(path, {
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    initialize: (db) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('temp_store = MEMORY');
      migrate(db, now);
    },
  });
}
