import { createPostgresPool } from '../store/postgres/pg-pool';
import { newPostgresDatabase, sharedPostgres } from './helpers/shared-postgres';

// A memory server's pool when PostgreSQL goes away under it: a connection that a call holds (between
// two statements of its transaction) dies with the database. The call fails; the process must not.

it('outlives the database going away under a connection a call holds', async () => {
  const server = await sharedPostgres();
  const url = await newPostgresDatabase();
  const pool = createPostgresPool(url, {}, () => undefined);
  try {
    const held = await pool.connect();
    await held.query('BEGIN');
    const ended = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the held connection did not end')), 10_000);
      held.once('end', () => resolve(clearTimeout(timer)));
    });
    await server.stopServer();
    // The held connection errs, then ends. Without the pool's listener on it, the 'error' event would
    // be thrown: an uncaught exception that ends the server.
    await ended;
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    await server.start();
    const answer = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(answer.rows).toEqual([{ one: 1 }]);
  } finally {
    await server.start().catch(() => undefined);
    await pool.end();
  }
}, 30_000);
