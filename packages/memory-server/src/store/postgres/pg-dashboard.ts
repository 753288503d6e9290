import type { Pool } from 'pg';
import { dashboardResult, STALE_AFTER_MS, type DashboardTotals } from '../context-dashboard';
import type { StoreSettings } from '../settings';
import type { ContextDashboardInput, ContextDashboardResult } from '../types';
import { validateProject, type Priority } from '../validation';
import { inSnapshot } from './pg-pool';

/** `context_dashboard` on PostgreSQL: a project's totals and most recent topics, in one snapshot. */
export async function contextDashboard(
  pool: Pool,
  settings: StoreSettings,
  input: ContextDashboardInput,
): Promise<ContextDashboardResult> {
  const project = validateProject(input.project, settings.defaultProject);
  return inSnapshot(pool, async (client) => {
    const totals = await client.query<DashboardTotals>(
      `SELECT count(*) FILTER (WHERE is_latest) AS total_topics,
              count(*) FILTER (WHERE archived_at IS NULL) AS total_versions,
              count(*) FILTER (WHERE archived_at IS NOT NULL) AS archived,
              count(*) FILTER (WHERE is_latest AND created_at < $1) AS stale
       FROM contexts WHERE project = $2`,
      [settings.now() - STALE_AFTER_MS, project],
    );
    const byPriority = await client.query<{ priority: Priority; topics: number }>(
      'SELECT priority, count(*) AS topics FROM contexts WHERE project = $1 AND is_latest GROUP BY priority',
      [project],
    );
    const recent = await client.query<{ topic: string; version: string; created_at: number }>(
      `SELECT topic, version, created_at FROM contexts WHERE project = $1 AND is_latest
       ORDER BY created_at DESC, id DESC LIMIT 10`,
      [project],
    );
    return dashboardResult(project, totals.rows[0], byPriority.rows, recent.rows);
  });
}
