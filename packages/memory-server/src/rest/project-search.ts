import type { ContextSearchResult } from '../store/types';
import { callTool } from './call-tool';
import { knownProject } from './known-project';
import { integerParam } from './query-params';
import type { RouteHandler } from './rest-types';

/**
 * `GET /projects/<project>/search?q=&limit=`: the CLI's top-level `search`, through `context_search`.
 * Answers `{results: [{id, topic, type: "context", preview, score, priority}], total, query}`; this
 * server holds contexts only (no tickets or files).
 */
export const searchProject: RouteHandler = async ({ tools, store }, { query }, { project }) => {
  await knownProject(store, project);
  const text = query.get('q') ?? '';
  const found = await callTool<ContextSearchResult>(tools, 'context_search', {
    project,
    query: text,
    limit: integerParam(query, 'limit'),
  });
  const results = found.results.map((hit) => ({
    id: hit.id,
    topic: hit.topic,
    type: 'context',
    preview: hit.preview,
    score: hit.score,
    priority: hit.metadata.priority,
    version: hit.version,
  }));
  return { status: 200, body: { results, total: found.total_found, query: text } };
};
