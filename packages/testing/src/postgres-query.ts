// One query against a PostgreSQL database, for tests that check what a memory server stored.
import { Client, type QueryResultRow } from 'pg';

const QUERY_TIMEOUT_MS = 15_000;

/**
 * Connects to the database at `url`, runs `sql` with `params` and returns its rows; gives up (and
 * throws) when connecting or the query takes longer than 15 s. Every connection is closed again.
 */
export async function queryPostgres<T extends QueryResultRow>(
  url: string,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: QUERY_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  await client.connect();
  try {
    return (await client.query<T>(sql, [...params])).rows;
  } finally {
    await client.end();
  }
}
