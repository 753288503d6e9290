import type { Pool } from 'pg';
import { unlockNotFound } from '../errors';
import { unlockRequest } from '../requests';
import type { StoreSettings } from '../settings';
import type { UnlockContextInput, UnlockContextResult } from '../types';
import { inTransaction } from './pg-pool';

/**
 * A topic glob (`*` any run of characters, `?` one character) as a `LIKE` pattern with `\` as escape:
 * topic names may hold `_`, which `LIKE` would read as a wildcard.
 */
export function globToLike(glob: string): string {
  return glob
    .replace(/[\\%_]/g, (ch) => `\\${ch}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

/**
 * `unlock_context` on PostgreSQL, with the SQLite adapter's semantics: archives (default) or deletes
 * versions of a topic or of topics matching a glob; when a topic's latest version goes, its newest
 * remaining live version becomes latest again. The topics' rows are locked first (sorted), so an
 * unlock and a lock of the same topic take turns.
 */
export async function unlockContext(
  pool: Pool,
  settings: StoreSettings,
  input: UnlockContextInput,
): Promise<UnlockContextResult> {
  const { project, target, byPattern, version, archive } = unlockRequest(input, settings);
  return inTransaction(pool, async (client) => {
    const selector = version === 'all' || version === 'latest' ? version : 'one';
    const params: unknown[] = [project, byPattern ? globToLike(target) : target];
    const conditions = [
      'project = $1',
      byPattern ? "topic LIKE $2 ESCAPE '\\'" : 'topic = $2',
      ...(selector === 'latest' ? ['is_latest'] : []),
      ...(selector === 'one' ? [`version = $${params.push(version)}`] : []),
      ...(archive ? ['archived_at IS NULL'] : []),
    ].join(' AND ');
    await client.query(
      `SELECT 1 FROM topics WHERE project = $1 AND topic IN (SELECT DISTINCT topic FROM contexts WHERE ${conditions})
       ORDER BY topic COLLATE "C" FOR UPDATE`,
      params,
    );
    const { rows } = await client.query<{ id: number; topic: string; version: string; is_latest: boolean }>(
      `SELECT id, topic, version, is_latest FROM contexts WHERE ${conditions} ORDER BY topic COLLATE "C", minor`,
      params,
    );
    if (rows.length === 0 && !byPattern) throw unlockNotFound(project, target, version);
    const ids = rows.map((row) => row.id);
    if (archive) {
      await client.query(
        'UPDATE contexts SET is_latest = false, archived_at = $1 WHERE id = ANY($2::bigint[])',
        [settings.now(), ids],
      );
    } else {
      await client.query('DELETE FROM contexts WHERE id = ANY($1::bigint[])', [ids]);
    }
    const lostLatest = [...new Set(rows.filter((row) => row.is_latest).map((row) => row.topic))];
    if (lostLatest.length > 0) {
      await client.query(
        `UPDATE contexts SET is_latest = true WHERE id IN (
           SELECT DISTINCT ON (topic) id FROM contexts
           WHERE project = $1 AND topic = ANY($2::text[]) AND archived_at IS NULL
           ORDER BY topic, minor DESC)`,
        [project, lostLatest],
      );
    }
    return {
      removed: rows.map((row) => ({ topic: row.topic, version: row.version })),
      archived: archive,
      count: rows.length,
    };
  });
}
