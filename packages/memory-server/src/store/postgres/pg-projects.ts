import type { Pool } from 'pg';
import { projectList, projectSummary, type ProjectRow, type ProjectSummary } from '../projects';
import type { StoreSettings } from '../settings';
import { validateProject } from '../validation';
import { onConnection } from './pg-pool';

const COLUMNS = `project AS name, min(created_at) AS first_at, count(*) FILTER (WHERE is_latest) AS context_count,
  coalesce(sum(octet_length(content)), 0) AS storage_bytes, max(created_at) AS last_at`;

/** Every project of a PostgreSQL store, by name; the default project is always listed. */
export async function listProjects(pool: Pool, settings: StoreSettings): Promise<readonly ProjectSummary[]> {
  const { rows } = await onConnection(pool, (client) =>
    client.query<ProjectRow>(`SELECT ${COLUMNS} FROM contexts GROUP BY project ORDER BY project COLLATE "C"`),
  );
  return projectList(rows, settings.defaultProject);
}

/** One project of a PostgreSQL store; undefined when never written and not the default. */
export async function findProject(
  pool: Pool,
  settings: StoreSettings,
  project: string,
): Promise<ProjectSummary | undefined> {
  const name = validateProject(project, settings.defaultProject);
  const { rows } = await onConnection(pool, (client) =>
    client.query<ProjectRow>(`SELECT ${COLUMNS} FROM contexts WHERE project = $1 GROUP BY project`, [name]),
  );
  const row = rows[0];
  if (row) return projectSummary(row);
  return name === settings.defaultProject ? { name, context_count: 0, storage_bytes: 0 } : undefined;
}
