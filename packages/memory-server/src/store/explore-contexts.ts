import type { Database } from 'better-sqlite3';
import { isoTime, rowTags, type ContextRow } from './context-row';
import { PREVIEW_LENGTH } from './preview';
import { exploreRequest } from './requests';
import type { StoreSettings } from './settings';
import type { ContextExploreInput, ContextExploreResult, ExploredTopic } from './types';

type ExploreRow = Pick<ContextRow, 'id' | 'topic' | 'version' | 'priority' | 'tags' | 'created_at'> & {
  preview: string;
  version_count: number;
  access_count: number;
};

/** The filters, bound by name: project, priority (null: any), tags (JSON array), tag count, glob (null: any). */
interface Filters {
  project: string;
  priority: string | null;
  tags: string;
  tag_count: number;
  grep: string | null;
}

// The latest version of each topic that passes every filter; its tags must include every tag asked for.
const MATCHING = `c.project = @project AND c.is_latest = 1
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@grep IS NULL OR c.topic GLOB @grep)
  AND (SELECT count(*) FROM context_tags AS t
       WHERE t.context_id = c.id AND t.tag IN (SELECT value FROM json_each(@tags))) = @tag_count`;

/**
 * Prepares `context_explore`: the topics of a project with their latest version, most recently updated
 * first, filtered by priority, tags and a topic glob and paged with limit and offset, and how many
 * topics pass the filters. `access_count` sums the recalls of all live versions.
 */
export function prepareContextExplore(
  db: Database,
  settings: StoreSettings,
): (input: ContextExploreInput) => ContextExploreResult {
  // SQLite's substr counts characters (code points), so a preview never splits a surrogate pair.
  const selectTopics = db.prepare<[Filters & { preview: number; limit: number; offset: number }], ExploreRow>(
    `SELECT c.id, c.topic, c.version, c.priority, c.tags, c.created_at, substr(c.content, 1, @preview) AS preview,
            count(v.id) AS version_count, coalesce(sum(v.access_count), 0) AS access_count
     FROM contexts AS c
     JOIN contexts AS v ON v.project = c.project AND v.topic = c.topic AND v.archived_at IS NULL
     WHERE ${MATCHING}
     GROUP BY c.id
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT @limit OFFSET @offset`,
  );
  const countTopics = db
    .prepare<[Filters], number>(`SELECT count(*) FROM contexts AS c WHERE ${MATCHING}`)
    .pluck();

  const read = db.transaction((filters: Filters, limit: number, offset: number): ContextExploreResult => {
    const topics = selectTopics
      .all({ ...filters, preview: PREVIEW_LENGTH, limit, offset })
      .map(exploredTopic);
    return exploreResult(filters.project, topics, countTopics.get(filters) ?? 0);
  });

  return (input) => {
    const request = exploreRequest(input, settings);
    const filters: Filters = {
      project: request.project,
      priority: request.priority,
      tags: JSON.stringify(request.tags),
      tag_count: request.tags.length,
      grep: request.grep,
    };
    return read.deferred(filters, request.limit, request.offset);
  };
}

/** `context_explore`'s result: the topics listed, in Stompy's form and in this server's, and the total. */
export function exploreResult(project: string, topics: ExploredTopic[], total: number): ContextExploreResult {
  return {
    project,
    contexts: topics.map((t) => ({
      id: t.id,
      topic: t.topic,
      priority: t.priority,
      version: t.latest_version,
      tags: t.tags.join(','),
      preview: t.preview,
      access_count: t.access_count,
      locked_at: t.updated_at,
    })),
    topics,
    total,
  };
}

function exploredTopic(row: ExploreRow): ExploredTopic {
  return {
    id: row.id,
    topic: row.topic,
    latest_version: row.version,
    version_count: row.version_count,
    priority: row.priority,
    tags: rowTags(row.tags),
    preview: row.preview,
    access_count: row.access_count,
    updated_at: isoTime(row.created_at),
  };
}
