import pg, { type Pool, type PoolClient } from 'pg';
import { isDatabaseUnreachable, unavailableOr } from './pg-unavailable';

/** How a memory server uses its PostgreSQL database: pool size and time limits. */
export interface PostgresPoolOptions {
  /** Most connections this server opens; default 10. */
  readonly maxConnections?: number;
  /** Longest a statement may run before PostgreSQL cancels it, in ms; default 10,000. */
  readonly statementTimeoutMs?: number;
  /** Longest to wait for a connection (new or from the pool), in ms; default 5,000. */
  readonly connectTimeoutMs?: number;
  /** Name the connections carry in `pg_stat_activity`; default `stompy-memory`. */
  readonly applicationName?: string;
}

/** int8 (`bigint`, `count(*)`) as a JavaScript number: every count and id here stays far below 2^53. */
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID
      ? (value: string): number => Number(value)
      : (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(
          oid,
          format,
        )) as pg.CustomTypesConfig['getTypeParser'],
};

/** Whether `text` names a PostgreSQL database (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** A database URL with its password replaced by `***`, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/**
 * A connection pool on the database at `url`, with the options' limits. Connections are opened on
 * demand; errors of idle connections (a restarted database) are passed to `onIdleError` instead of
 * crashing the process, and the pool opens new connections for the next calls. A connection a call
 * holds may die too (between two statements of its transaction): the call's next statement fails,
 * and the process goes on.
 */
export function createPostgresPool(
  url: string,
  options: PostgresPoolOptions,
  onIdleError: (error: Error) => void,
): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: (options.statementTimeoutMs ?? 10_000) * 3,
    application_name: options.applicationName ?? 'stompy-memory',
    idleTimeoutMillis: 30_000,
    types,
  });
  pool.on('error', onIdleError);
  // node-postgres listens for errors of idle connections only: one lent to a call that dies between
  // statements would emit 'error' with no listener, an uncaught exception. The call's next statement
  // fails with it (and the broken connection is dropped on release), so there is nothing more to do.
  pool.on('connect', (client) => client.on('error', ignoreHeldConnectionError));
  return pool;
}

function ignoreHeldConnectionError(): void {}

/** SQLSTATEs after which a transaction may simply be run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Times a transaction is retried after a serialization failure or deadlock. */
const MAX_RETRIES = 5;

/**
 * Runs `work` in one transaction on a pooled connection and commits it; rolls back and rethrows when
 * `work` throws. A deadlock or serialization failure (two servers writing the same rows in another
 * order) reruns the whole transaction, up to {@link MAX_RETRIES} times: `work` must have no effect
 * outside the database before it returns.
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return transaction(pool, 'BEGIN', work, MAX_RETRIES);
}

/**
 * Runs `work` in one read-only, repeatable-read transaction: every statement of it sees the same
 * snapshot, as the SQLite adapter's reads do.
 */
export function inSnapshot<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  /** Settings for the transaction alone (`SET LOCAL ...`), sent with its BEGIN. */
  settings?: string,
): Promise<T> {
  const begin = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
  return transaction(pool, settings === undefined ? begin : `${begin}; ${settings}`, work, 0);
}

async function transaction<T>(
  pool: Pool,
  begin: string,
  work: (client: PoolClient) => Promise<T>,
  retries: number,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await connect(pool);
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      const code = (error as { code?: unknown }).code;
      if (attempt < retries && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw unavailableOr(error);
    } finally {
      client.release(broken);
    }
  }
}

/** Runs `work` on a pooled connection (no transaction: one statement, or reads that need no snapshot). */
export async function onConnection<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await connect(pool);
  let broken = false;
  try {
    return await work(client);
  } catch (error) {
    broken = isDatabaseUnreachable(error);
    throw unavailableOr(error);
  } finally {
    client.release(broken);
  }
}

/** A pooled connection; the store's `database_unavailable` refusal when none can be opened. */
async function connect(pool: Pool): Promise<PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw unavailableOr(error);
  }
}
