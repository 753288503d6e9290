import type { LockContextResult, UnlockContextResult } from '../store/types';
import { callTool } from './call-tool';
import { existingLatestVersion, latestVersion } from './latest-version';
import { bodyFields, requiredString } from './request-body';
import { badRequest, refused } from './rest-errors';
import type { RouteHandler } from './rest-types';

/**
 * `POST /projects/<project>/contexts/<topic>/move` `{target_project}`: the CLI's `context move`. The
 * latest version is locked under the same topic, tags and priority in the target project (its first
 * live version there), then every version in the source project is archived: with the tools' code
 * paths, so the target's name, limits, novelty rule and rate limit are checked as for any write. Older versions stay
 * archived in the source. 404 when the topic has no live version; 409 when the target already has it.
 */
export const moveContext: RouteHandler = async ({ tools }, { body }, { project, topic }) => {
  const target = requiredString(bodyFields(body), 'target_project');
  if (target === project) throw badRequest('target_project', 'is the project the context is in already');
  const latest = await existingLatestVersion(tools, project, topic);
  if ((await latestVersion(tools, target, topic)) !== undefined) {
    throw refused(
      409,
      'conflict',
      `project "${target}" already has a context "${topic}": unlock it there first, or move under another topic`,
    );
  }
  const locked = await callTool<LockContextResult>(tools, 'lock_context', {
    project: target,
    topic,
    content: latest.content,
    tags: latest.tags,
    priority: latest.priority,
  });
  const archived = await callTool<UnlockContextResult>(tools, 'unlock_context', { project, topic });
  return {
    status: 200,
    body: {
      status: 'moved',
      topic,
      target_project: target,
      version: locked.version,
      archived_in_source: archived.count,
    },
  };
};
