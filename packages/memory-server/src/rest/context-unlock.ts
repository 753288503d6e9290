import type { UnlockContextResult } from '../store/types';
import { callTool } from './call-tool';
import { flagParam, versionParam } from './query-params';
import type { RouteHandler } from './rest-types';

/**
 * `DELETE /projects/<project>/contexts/<topic>[?version=&force=&no_archive=]`: the CLI's `context
 * unlock`, through `unlock_context`: every version by default (`version`: `all`, `latest` or one),
 * archived unless `no_archive=true`. `force` is accepted and changes nothing: this server asks no
 * confirmation. Answers `{status: "deleted", topic, archived, removed, count}`.
 */
export const unlockContext: RouteHandler = async ({ tools }, { query }, { project, topic }) => {
  flagParam(query, 'force');
  const unlocked = await callTool<UnlockContextResult>(tools, 'unlock_context', {
    project,
    topic,
    version: versionParam(query),
    archive: !flagParam(query, 'no_archive'),
  });
  return { status: 200, body: { status: 'deleted', topic, ...unlocked } };
};
