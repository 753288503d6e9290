import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { openServerDeps } from '../create-server';
import { resolveConfig } from '../config';
import { copySqliteToPostgres } from '../store/postgres/copy-from-sqlite';
import { postgresFingerprint, sqliteFingerprint } from '../store/postgres/memory-fingerprint';
import { connectPostgres } from '../store/postgres/pg-connect';
import { isPostgresUrl, redactDatabaseUrl } from '../store/postgres/pg-pool';

/** Options of `stompy-memory migrate`. */
export interface MigrateCliOptions {
  /** The database to create or upgrade (without `--from`). */
  readonly db: string;
  /** A SQLite memory file to copy from. */
  readonly from?: string;
  /** The PostgreSQL database to copy into; default `db` when it is one (e.g. from `STOMPY_DATABASE_URL`). */
  readonly to?: string;
}

/**
 * `stompy-memory migrate`: brings a database's schema up to date (the server does it on start too; run
 * it first to migrate before rolling out servers), or, with `--from <file> --to <url>`, copies a
 * single-machine memory into an empty PostgreSQL database and checks nothing was lost: the rows of
 * every table and a SHA-256 over all of them must be equal on both sides. Returns what it prints.
 */
export async function runMigrate(opts: MigrateCliOptions, logger: Logger): Promise<string> {
  const to = opts.to ?? (opts.from !== undefined && isPostgresUrl(opts.db) ? opts.db : undefined);
  if (opts.from === undefined && to === undefined) {
    const deps = await openServerDeps(resolveConfig({ dbPath: opts.db, logger }));
    await deps.store.close();
    return `schema of ${redactDatabaseUrl(opts.db)} is up to date\n`;
  }
  if (opts.from === undefined || to === undefined) {
    throw new Error(
      'give both --from <sqlite file> and --to <postgres url> (or STOMPY_DATABASE_URL) to copy a memory',
    );
  }
  if (!existsSync(opts.from)) throw new Error(`--from ${opts.from}: no such SQLite file`);
  if (!isPostgresUrl(to)) throw new Error('--to must be a postgres:// URL');
  // Opening the SQLite file through the server brings it to the current schema first.
  const source = await openServerDeps(resolveConfig({ dbPath: opts.from, logger }));
  await source.store.close();
  const pool = await connectPostgres({ url: to, now: Date.now, logger });
  try {
    const copied = await copySqliteToPostgres(opts.from, pool);
    const [before, after] = [sqliteFingerprint(opts.from), await postgresFingerprint(pool)];
    const differing = Object.keys(before.rows).filter((table) => before.rows[table] !== after.rows[table]);
    if (differing.length > 0 || before.sha256 !== after.sha256) {
      throw new Error(
        `the copy differs from ${opts.from} (${differing.length > 0 ? `rows of ${differing.join(', ')}` : 'content hash'}): ` +
          'nothing is removed from the source; drop the target database and copy again',
      );
    }
    const counts = Object.entries(copied)
      .map(([table, rows]) => `${table} ${rows}`)
      .join(', ');
    return (
      `copied ${opts.from} into ${redactDatabaseUrl(to)}: ${counts}\n` +
      `verified: every table has the same rows on both sides, content hash sha256 ${after.sha256}\n`
    );
  } finally {
    await pool.end();
  }
}
