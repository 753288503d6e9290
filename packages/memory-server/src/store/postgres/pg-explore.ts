import type { Pool } from 'pg';
import { isoTime } from '../context-row';
import { exploreResult } from '../explore-contexts';
import { PREVIEW_LENGTH } from '../preview';
import { exploreRequest } from '../requests';
import type { StoreSettings } from '../settings';
import type { ContextExploreInput, ContextExploreResult } from '../types';
import type { Priority } from '../validation';
import { inSnapshot } from './pg-pool';
import { globToLike } from './pg-unlock';

// The latest version of each topic that passes every filter ($1 project, $2 priority or null, $3 tags
// as a JSON array, $4 a LIKE pattern or null).
const MATCHING = `c.project = $1 AND c.is_latest
  AND ($2::text IS NULL OR c.priority = $2)
  AND c.tags @> $3::jsonb
  AND ($4::text IS NULL OR c.topic LIKE $4 ESCAPE '\\')`;

/**
 * `context_explore` on PostgreSQL: a project's topics with their latest version, most recently updated
 * first, filtered and paged as the SQLite adapter does, and how many pass the filters; one snapshot.
 */
export async function exploreContexts(
  pool: Pool,
  settings: StoreSettings,
  input: ContextExploreInput,
): Promise<ContextExploreResult> {
  const request = exploreRequest(input, settings);
  const filters = [
    request.project,
    request.priority,
    JSON.stringify(request.tags),
    request.grep === null ? null : globToLike(request.grep),
  ];
  return inSnapshot(pool, async (client) => {
    const { rows } = await client.query<{
      id: number;
      topic: string;
      version: string;
      priority: Priority;
      tags: string[];
      created_at: number;
      preview: string;
      version_count: number;
      access_count: number;
    }>(
      `SELECT c.id, c.topic, c.version, c.priority, c.tags, c.created_at, substr(c.content, 1, $5) AS preview,
         count(v.id) AS version_count, coalesce(sum(v.access_count), 0) AS access_count
       FROM contexts AS c
       JOIN contexts AS v ON v.project = c.project AND v.topic = c.topic AND v.archived_at IS NULL
       WHERE ${MATCHING}
       GROUP BY c.id
       ORDER BY c.created_at DESC, c.id DESC
       LIMIT $6 OFFSET $7`,
      [...filters, PREVIEW_LENGTH, request.limit, request.offset],
    );
    const total = await client.query<{ total: number }>(
      `SELECT count(*) AS total FROM contexts AS c WHERE ${MATCHING}`,
      filters,
    );
    const topics = rows.map((row) => ({
      id: row.id,
      topic: row.topic,
      latest_version: row.version,
      version_count: row.version_count,
      priority: row.priority,
      tags: row.tags,
      preview: row.preview,
      access_count: row.access_count,
      updated_at: isoTime(row.created_at),
    }));
    return exploreResult(request.project, topics, total.rows[0]?.total ?? 0);
  });
}
