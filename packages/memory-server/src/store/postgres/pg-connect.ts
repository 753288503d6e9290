import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { createPostgresPool, redactDatabaseUrl, type PostgresPoolOptions } from './pg-pool';
import { migratePostgres } from './pg-schema';

/** A PostgreSQL database to open: its URL (password never logged), pool limits, clock and logger. */
export interface PostgresConnectOptions extends PostgresPoolOptions {
  readonly url: string;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * A pool on the database at `options.url`, migrated to this server's schema (see `pg-schema.ts`);
 * rejects with a clear message, the password left out, when the database cannot be reached, refuses
 * the credentials, or was written by a newer server. Idle connections that fail are logged, not fatal.
 */
export async function connectPostgres(options: PostgresConnectOptions): Promise<Pool> {
  const logger = options.logger.child({ component: 'postgres-store' });
  const pool = createPostgresPool(options.url, options, (error) =>
    logger.warn(
      { err: error.message },
      'memory server: a PostgreSQL connection failed; the pool opens a new one',
    ),
  );
  try {
    // Straight from the pool, not through onConnection: at start a database that cannot be reached
    // is a configuration error to report as it is, not a refusal asking to call again shortly.
    const client = await pool.connect();
    let applied: number[];
    try {
      applied = await migratePostgres(client, options.now);
    } finally {
      client.release();
    }
    if (applied.length > 0) logger.info({ applied }, 'memory server: PostgreSQL schema migrated');
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    const redacted = redactDatabaseUrl(options.url);
    const reason = (error instanceof Error ? error.message : String(error)).split(options.url).join(redacted);
    throw new Error(`cannot open PostgreSQL database ${redacted}: ${reason}`);
  }
}
