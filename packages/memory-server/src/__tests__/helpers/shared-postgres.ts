import { startPostgres, type PostgresServer } from '@temporal-stompy/testing';
import { Client } from 'pg';

let server: Promise<PostgresServer> | undefined;

// Registered when a test file imports this helper: the file's PostgreSQL server stops after its tests.
afterAll(async () => {
  const started = server;
  server = undefined;
  if (started) await (await started).stop();
});

/** A real PostgreSQL server for this test file, started on first use and stopped after the file's tests. */
export function sharedPostgres(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}

/** A new, empty database on this file's PostgreSQL server. */
export async function newPostgresDatabase(): Promise<string> {
  return (await sharedPostgres()).createDatabase();
}

/** The tables a memory server's PostgreSQL schema holds, every one emptied by {@link emptyPostgres}. */
const TABLES = [
  'contexts',
  'topics',
  'outcome_facts',
  'outcome_totals',
  'outcome_keys',
  'outcome_hours',
  'outcome_dimensions',
  'outcome_durations',
  'outcome_windows',
  'key_outcomes',
];

/**
 * Empties every table of a memory server's database (ids start again at 1, as SQLite's do once its
 * tables are empty), then checks no other table holds rows, so a table added to the schema later
 * cannot leak from one test into the next unnoticed.
 */
export async function emptyPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`);
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    );
    for (const { name } of rows) {
      const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`);
      if (count.rows[0]?.n !== '0') throw new Error(`reset() left rows in table ${name}: empty it there too`);
    }
  } finally {
    await client.end();
  }
}
