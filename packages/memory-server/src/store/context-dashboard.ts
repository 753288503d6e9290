import type { Database } from 'better-sqlite3';
import { isoTime } from './context-row';
import type { StoreSettings } from './settings';
import type { ContextDashboardInput, ContextDashboardResult } from './types';
import { PRIORITIES, validateProject, type Priority } from './validation';

/** Latest versions listed under `recent`. */
export const DASHBOARD_RECENT = 10;
/** A topic whose latest version is older than this is counted in `stale_count`. */
export const STALE_AFTER_MS = 30 * 24 * 60 * 60 * 1000;

/** A project's totals as an adapter counted them. */
export interface DashboardTotals {
  total_topics: number;
  total_versions: number;
  archived: number;
  stale: number;
}

/**
 * Prepares `context_dashboard`: a project's totals (topics, live and archived versions, topics by the
 * priority of their latest version, topics not written for {@link STALE_AFTER_MS}) and its most
 * recently locked latest versions, read in one snapshot. Stompy's fields (`total_contexts`,
 * `recent_topics`, `stale_count`) come beside this server's (`total_topics`, `recent`).
 */
export function prepareContextDashboard(
  db: Database,
  settings: StoreSettings,
): (input: ContextDashboardInput) => ContextDashboardResult {
  const selectTotals = db.prepare<[number, string], DashboardTotals>(
    `SELECT coalesce(sum(is_latest), 0) AS total_topics,
            coalesce(sum(archived_at IS NULL), 0) AS total_versions,
            coalesce(sum(archived_at IS NOT NULL), 0) AS archived,
            coalesce(sum(is_latest = 1 AND created_at < ?), 0) AS stale
     FROM contexts WHERE project = ?`,
  );
  const selectByPriority = db.prepare<[string], { priority: Priority; topics: number }>(
    'SELECT priority, count(*) AS topics FROM contexts WHERE project = ? AND is_latest = 1 GROUP BY priority',
  );
  const selectRecent = db.prepare<[string, number], { topic: string; version: string; created_at: number }>(
    `SELECT topic, version, created_at FROM contexts WHERE project = ? AND is_latest = 1
     ORDER BY created_at DESC, id DESC LIMIT ?`,
  );

  const read = db.transaction((project: string): ContextDashboardResult =>
    dashboardResult(
      project,
      selectTotals.get(settings.now() - STALE_AFTER_MS, project),
      selectByPriority.all(project),
      selectRecent.all(project, DASHBOARD_RECENT),
    ),
  );

  return (input) => read.deferred(validateProject(input.project, settings.defaultProject));
}

/** `context_dashboard`'s result from what an adapter read: totals, topics per priority, the newest latest versions. */
export function dashboardResult(
  project: string,
  totals: DashboardTotals | undefined,
  byPriorityRows: readonly { priority: Priority; topics: number }[],
  recentRows: readonly { topic: string; version: string; created_at: number }[],
): ContextDashboardResult {
  const counted = totals ?? { total_topics: 0, total_versions: 0, archived: 0, stale: 0 };
  const byPriority = Object.fromEntries(PRIORITIES.map((priority) => [priority, 0])) as Record<
    Priority,
    number
  >;
  for (const row of byPriorityRows) byPriority[row.priority] = row.topics;
  const recent = recentRows.map((row) => ({
    topic: row.topic,
    version: row.version,
    locked_at: isoTime(row.created_at),
  }));
  return {
    project,
    total_contexts: counted.total_topics,
    total_topics: counted.total_topics,
    total_versions: counted.total_versions,
    by_priority: byPriority,
    archived: counted.archived,
    stale_count: counted.stale,
    recent_topics: recent.map((entry) => entry.topic),
    recent,
  };
}
