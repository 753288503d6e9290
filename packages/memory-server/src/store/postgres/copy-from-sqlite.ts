import BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './pg-pool';
import { searchVector } from './pg-search-text';

/** A table copied from a SQLite memory file: its columns and their PostgreSQL array types for `unnest`. */
interface CopiedTable {
  readonly name: string;
  readonly columns: readonly (readonly [column: string, arrayType: string])[];
  /** Its rows in a stable order, on both sides. */
  readonly order: string;
  /** Whether it has an identity column `id` whose values are kept. */
  readonly keepsIds?: boolean;
}

const COUNT_TABLES: readonly CopiedTable[] = [
  {
    name: 'topics',
    columns: [
      ['project', 'text'],
      ['topic', 'text'],
      ['last_minor', 'int'],
    ],
    order: 'project, topic',
  },
  {
    name: 'outcome_facts',
    columns: [
      ['id', 'bigint'],
      ['project', 'text'],
      ['topic', 'text'],
      ['facts', 'jsonb'],
      ['keys', 'jsonb'],
    ],
    order: 'id',
    keepsIds: true,
  },
  {
    name: 'outcome_totals',
    columns: [
      ['project', 'text'],
      ['runs', 'bigint'],
      ['failures', 'bigint'],
    ],
    order: 'project',
  },
  {
    name: 'outcome_keys',
    columns: [
      ['project', 'text'],
      ['key', 'text'],
      ['latest_ms', 'float8'],
      ['time_zone', 'text'],
      ['failure_ms', 'float8'],
      ['failure_issue', 'text'],
      ['failure_message', 'text'],
      ['failure_topic', 'text'],
    ],
    order: 'project, key',
  },
  {
    name: 'outcome_hours',
    columns: [
      ['project', 'text'],
      ['key', 'text'],
      ['hour', 'bigint'],
      ['hour_of_week', 'int'],
      ['handling', 'text'],
      ['runs', 'bigint'],
      ['failures', 'bigint'],
    ],
    order: 'project, key, hour, hour_of_week, handling',
  },
  {
    name: 'outcome_dimensions',
    columns: [
      ['project', 'text'],
      ['key', 'text'],
      ['dimension', 'text'],
      ['value', 'text'],
      ['handling', 'text'],
      ['runs', 'bigint'],
      ['failures', 'bigint'],
      ['first_ms', 'float8'],
      ['last_ms', 'float8'],
    ],
    order: 'project, key, dimension, value, handling',
  },
  {
    name: 'outcome_durations',
    columns: [
      ['project', 'text'],
      ['key', 'text'],
      ['bucket', 'int'],
      ['count', 'bigint'],
    ],
    order: 'project, key, bucket',
  },
  {
    name: 'outcome_windows',
    columns: [
      ['project', 'text'],
      ['key', 'text'],
      ['handling', 'text'],
      ['hour_of_week', 'int'],
      ['runs', 'bigint'],
      ['failures', 'bigint'],
      ['failed_occurrences', 'bigint'],
      ['latest_hour', 'bigint'],
      ['weighted_runs', 'float8'],
      ['weighted_failures', 'float8'],
    ],
    order: 'project, key, handling, hour_of_week',
  },
  {
    name: 'key_outcomes',
    columns: [
      ['project', 'text'],
      ['key', 'text'],
      ['hour', 'bigint'],
      ['outcome_id', 'bigint'],
    ],
    order: 'project, key, hour, outcome_id',
  },
];

const CONTEXT_COLUMNS = [
  ['id', 'bigint'],
  ['project', 'text'],
  ['topic', 'text'],
  ['minor', 'int'],
  ['version', 'text'],
  ['content', 'text'],
  ['content_sha256', 'text'],
  ['tags', 'jsonb'],
  ['priority', 'text'],
  ['created_at', 'float8'],
  ['is_latest', 'boolean'],
  ['archived_at', 'float8'],
  ['access_count', 'int'],
  ['search', 'tsvector'],
] as const;

/** The tables {@link copySqliteToPostgres} copies, in the order it copies them (`topics` before `contexts`). */
export const COPIED_TABLES: readonly string[] = [
  'topics',
  'contexts',
  ...COUNT_TABLES.slice(1).map((t) => t.name),
];

/** Rows written per statement. */
const CHUNK = 1000;

/**
 * Copies a SQLite memory file into an empty PostgreSQL memory database, in one transaction (on any
 * failure the target stays empty): every context version (archived ones, ids and access counts
 * included), the topics' issued version numbers, the outcome facts and the counts insights read. A
 * target that already holds a context is refused. Returns the rows copied per table.
 */
export async function copySqliteToPostgres(sqlitePath: string, pool: Pool): Promise<Record<string, number>> {
  const source = new BetterSqlite3(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    return await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ n: number }>('SELECT count(*) AS n FROM contexts');
      if ((rows[0]?.n ?? 0) > 0) {
        throw new Error('the target database already holds contexts: copy into a new, empty database');
      }
      const copied: Record<string, number> = {};
      const [topics, ...counts] = COUNT_TABLES;
      if (topics) copied.topics = await copyTable(source, client, topics);
      copied.contexts = await copyContexts(source, client);
      for (const table of counts) copied[table.name] = await copyTable(source, client, table);
      for (const table of ['contexts', 'outcome_facts']) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
        );
      }
      return copied;
    });
  } finally {
    source.close();
  }
}

async function copyTable(
  source: BetterSqlite3.Database,
  client: PoolClient,
  table: CopiedTable,
): Promise<number> {
  const names = table.columns.map(([column]) => column);
  const statement = source
    .prepare(`SELECT ${names.join(', ')} FROM ${table.name} ORDER BY ${table.order}`)
    .raw(true);
  return copyRows(
    client,
    table.name,
    table.columns,
    table.keepsIds === true,
    statement.iterate() as Iterable<unknown[]>,
  );
}

async function copyContexts(source: BetterSqlite3.Database, client: PoolClient): Promise<number> {
  const names = CONTEXT_COLUMNS.slice(0, -1).map(([column]) => column);
  const rows = source
    .prepare(`SELECT ${names.join(', ')} FROM contexts ORDER BY id`)
    .raw(true)
    .iterate() as Iterable<unknown[]>;
  function* withSearch(): Iterable<unknown[]> {
    for (const row of rows) {
      const [, , topic, , , content, , tags] = row as [
        number,
        string,
        string,
        number,
        string,
        string,
        string,
        string,
      ];
      const tagList = JSON.parse(tags) as string[];
      row[10] = row[10] === 1;
      yield [...row, searchVector({ topic, tags: tagList, content })];
    }
  }
  return copyRows(client, 'contexts', CONTEXT_COLUMNS, true, withSearch());
}

async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly (readonly [string, string])[],
  keepsIds: boolean,
  rows: Iterable<unknown[]>,
): Promise<number> {
  const names = columns.map(([column]) => column).join(', ');
  // jsonb and tsvector go through text arrays, cast once per value.
  const unnest = columns.map(
    ([, type], i) => `$${i + 1}::${type === 'jsonb' || type === 'tsvector' ? 'text' : type}[]`,
  );
  const casts = columns.map(([column, type]) =>
    type === 'jsonb' || type === 'tsvector' ? `${column}::${type}` : column,
  );
  const sql =
    `INSERT INTO ${table} (${names}) ${keepsIds ? 'OVERRIDING SYSTEM VALUE ' : ''}` +
    `SELECT ${casts.join(', ')} FROM unnest(${unnest.join(', ')}) AS r (${names})`;
  let count = 0;
  let chunk: unknown[][] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    await client.query(
      sql,
      columns.map((_, i) => chunk.map((row) => row[i])),
    );
    count += chunk.length;
    chunk = [];
  };
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === CHUNK) await flush();
  }
  await flush();
  return count;
}
