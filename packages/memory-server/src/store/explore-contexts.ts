import type { Database } from 'better-sqlite3';
import { isoTime, rowTags, type ContextRow } from './context-row';
import { PREVIEW_LENGTH } from './preview';
import type { StoreSettings } from './settings';
import type { ContextExploreInput, ContextExploreResult } from './types';
import { validateLimit, validateProject } from './validation';

/** Topics listed when the call gives no `limit`. */
export const DEFAULT_EXPLORE_LIMIT = 50;
/** Most topics one `context_explore` call may list. */
export const MAX_EXPLORE_LIMIT = 500;

type ExploreRow = Pick<ContextRow, 'topic' | 'version' | 'priority' | 'tags' | 'created_at'> & {
  preview: string;
  version_count: number;
  access_count: number;
};

/**
 * Prepares `context_explore`: the topics of a project with their latest version, most recently updated
 * first, and how many topics the project has. `access_count` sums the recalls of all live versions.
 */
export function prepareContextExplore(
  db: Database,
  settings: StoreSettings,
): (input: ContextExploreInput) => ContextExploreResult {
  // SQLite's substr counts characters (code points), so a preview never splits a surrogate pair.
  const selectTopics = db.prepare<[number, string, number], ExploreRow>(
    `SELECT c.topic, c.version, c.priority, c.tags, c.created_at, substr(c.content, 1, ?) AS preview,
            count(v.id) AS version_count, coalesce(sum(v.access_count), 0) AS access_count
     FROM contexts AS c
     JOIN contexts AS v ON v.project = c.project AND v.topic = c.topic AND v.archived_at IS NULL
     WHERE c.project = ? AND c.is_latest = 1
     GROUP BY c.id
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT ?`,
  );
  const countTopics = db
    .prepare<[string], number>('SELECT count(*) FROM contexts WHERE project = ? AND is_latest = 1')
    .pluck();

  const read = db.transaction((project: string, limit: number): ContextExploreResult => ({
    topics: selectTopics.all(PREVIEW_LENGTH, project, limit).map((row) => ({
      topic: row.topic,
      latest_version: row.version,
      version_count: row.version_count,
      priority: row.priority,
      tags: rowTags(row.tags),
      preview: row.preview,
      access_count: row.access_count,
      updated_at: isoTime(row.created_at),
    })),
    total: countTopics.get(project) ?? 0,
  }));

  return (input) =>
    read.deferred(
      validateProject(input.project, settings.defaultProject),
      validateLimit(input.limit, DEFAULT_EXPLORE_LIMIT, MAX_EXPLORE_LIMIT),
    );
}
