import { createHash, type Hash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { Pool } from 'pg';
import { inSnapshot } from './pg-pool';

/** What a memory holds, in a form two stores can be compared by: rows per table and one hash over them all. */
export interface MemoryFingerprint {
  readonly rows: Readonly<Record<string, number>>;
  /** SHA-256 (hex) over every row of every table, in a fixed order, values in one canonical form. */
  readonly sha256: string;
}

/** The tables and columns compared, in order; contexts by content hash (content itself is covered by it). */
const COMPARED: readonly { table: string; columns: string; order: string }[] = [
  { table: 'topics', columns: 'project, topic, last_minor', order: 'project, topic' },
  {
    table: 'contexts',
    columns:
      'id, project, topic, minor, version, content_sha256, tags, priority, created_at, is_latest, archived_at, access_count',
    order: 'id',
  },
  { table: 'outcome_facts', columns: 'id, project, topic, facts, keys', order: 'id' },
  { table: 'outcome_totals', columns: 'project, runs, failures', order: 'project' },
  {
    table: 'outcome_keys',
    columns: 'project, key, latest_ms, time_zone, failure_ms, failure_issue, failure_message, failure_topic',
    order: 'project, key',
  },
  {
    table: 'outcome_hours',
    columns: 'project, key, hour, hour_of_week, handling, runs, failures',
    order: 'project, key, hour, hour_of_week, handling',
  },
  {
    table: 'outcome_dimensions',
    columns: 'project, key, dimension, value, handling, runs, failures, first_ms, last_ms',
    order: 'project, key, dimension, value, handling',
  },
  { table: 'outcome_durations', columns: 'project, key, bucket, count', order: 'project, key, bucket' },
  {
    table: 'outcome_windows',
    columns:
      'project, key, handling, hour_of_week, runs, failures, failed_occurrences, latest_hour, weighted_runs, weighted_failures',
    order: 'project, key, handling, hour_of_week',
  },
  {
    table: 'key_outcomes',
    columns: 'project, key, hour, outcome_id',
    order: 'project, key, hour, outcome_id',
  },
];

/** JSON columns, parsed on both sides so that formatting and key order do not matter. */
const JSON_COLUMNS = new Set(['tags', 'facts', 'keys']);

/** One value in the canonical form hashed: JSON with sorted keys; booleans as SQLite's 0/1. */
function canonical(column: string, value: unknown): string {
  let normal = value;
  if (JSON_COLUMNS.has(column)) normal = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof normal === 'boolean') normal = normal ? 1 : 0;
  return JSON.stringify(normal, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function hashRow(hash: Hash, table: string, columns: readonly string[], row: readonly unknown[]): void {
  hash.update(`${table}\u0001${columns.map((column, i) => canonical(column, row[i])).join('\u0002')}\n`);
}

/** The fingerprint of a SQLite memory file. */
export function sqliteFingerprint(path: string): MemoryFingerprint {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    const rows: Record<string, number> = {};
    for (const { table, columns, order } of COMPARED) {
      const names = columns.split(', ');
      let count = 0;
      const statement = db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${order}`).raw(true);
      for (const row of statement.iterate() as Iterable<unknown[]>) {
        hashRow(hash, table, names, row);
        count += 1;
      }
      rows[table] = count;
    }
    return { rows, sha256: hash.digest('hex') };
  } finally {
    db.close();
  }
}

/** Rows fetched at a time when fingerprinting PostgreSQL (a cursor keeps memory flat at any size). */
const PAGE = 5000;

/** The fingerprint of a PostgreSQL memory database (text ordered byte-wise, as SQLite orders it). */
export async function postgresFingerprint(pool: Pool): Promise<MemoryFingerprint> {
  return inSnapshot(pool, async (client) => {
    const hash = createHash('sha256');
    const rows: Record<string, number> = {};
    for (const { table, columns, order } of COMPARED) {
      const names = columns.split(', ');
      const collated = order
        .split(', ')
        .map((column) =>
          /^(id|hour|hour_of_week|bucket|outcome_id)$/.test(column) ? column : `${column} COLLATE "C"`,
        )
        .join(', ');
      await client.query(
        `DECLARE fingerprint NO SCROLL CURSOR FOR SELECT ${columns} FROM ${table} ORDER BY ${collated}`,
      );
      let count = 0;
      for (;;) {
        const page = await client.query({ text: `FETCH ${PAGE} FROM fingerprint`, rowMode: 'array' });
        for (const row of page.rows as unknown[][]) hashRow(hash, table, names, row);
        count += page.rows.length;
        if (page.rows.length < PAGE) break;
      }
      await client.query('CLOSE fingerprint');
      rows[table] = count;
    }
    return { rows, sha256: hash.digest('hex') };
  });
}
