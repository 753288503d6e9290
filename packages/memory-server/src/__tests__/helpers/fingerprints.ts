import pino from 'pino';
import { postgresFingerprint, sqliteFingerprint } from '../../store/postgres/memory-fingerprint';
import { connectPostgres } from '../../store/postgres/pg-connect';

/** Whether a SQLite memory file and a PostgreSQL memory database differ in any row of any table. */
export async function memoryFingerprintsDiffer(sqlitePath: string, postgresUrl: string): Promise<boolean> {
  const pool = await connectPostgres({ url: postgresUrl, now: Date.now, logger: pino({ level: 'silent' }) });
  try {
    const [a, b] = [sqliteFingerprint(sqlitePath), await postgresFingerprint(pool)];
    return a.sha256 !== b.sha256 || JSON.stringify(a.rows) !== JSON.stringify(b.rows);
  } finally {
    await pool.end();
  }
}
