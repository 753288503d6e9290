import type { ContextExploreResult, ContextSearchResult } from '../store/types';
import { callTool } from './call-tool';
import { exploredContext, searchedContext } from './context-response';
import { knownProject } from './known-project';
import { integerParam, stringParam } from './query-params';
import { badRequest } from './rest-errors';
import type { RouteHandler } from './rest-types';

/**
 * `GET /projects/<project>/contexts`: the CLI's `context list` (`priority`, `tags`, `limit`, `offset`:
 * `context_explore`, newest first) and `context search` (`search`, `limit`: `context_search`, best
 * first). Answers `{contexts: [...], total}`; `total` counts every context that passes the filters
 * for a list, and the hits returned for a search.
 */
export const listContexts: RouteHandler = async ({ tools, store }, { query }, { project }) => {
  await knownProject(store, project);
  const filters = {
    project,
    priority: stringParam(query, 'priority'),
    tags: stringParam(query, 'tags'),
    limit: integerParam(query, 'limit'),
  };
  const search = query.get('search');
  if (search !== null) {
    if (integerParam(query, 'offset') !== undefined) {
      throw badRequest('offset', 'is not supported with search: raise limit instead (at most 100)');
    }
    const found = await callTool<ContextSearchResult>(tools, 'context_search', { ...filters, query: search });
    return {
      status: 200,
      body: {
        contexts: found.results.map(searchedContext),
        total: found.total_found,
        search_mode: found.search_mode,
      },
    };
  }
  const offset = integerParam(query, 'offset');
  const explored = await callTool<ContextExploreResult>(tools, 'context_explore', { ...filters, offset });
  return { status: 200, body: { contexts: explored.topics.map(exploredContext), total: explored.total } };
};
