import { validateTags } from '../store/validation';
import type { LockContextResult } from '../store/types';
import { callTool } from './call-tool';
import { existingLatestVersion } from './latest-version';
import { bodyFields, requiredString } from './request-body';
import { refused } from './rest-errors';
import type { RouteHandler } from './rest-types';

/**
 * `POST /projects/<project>/contexts` `{topic, content, priority?, tags?, force_store?}`: the CLI's
 * `context lock`, through `lock_context` (same limits and novelty rule). 201 `{status: "locked",
 * topic, version, ...}` for a new version; 200 `{status: "unchanged", ...}` when the content is
 * already the latest version's.
 */
export const createContext: RouteHandler = async ({ tools }, { body }, { project }) => {
  const fields = bodyFields(body);
  const locked = await callTool<LockContextResult>(tools, 'lock_context', {
    project,
    topic: requiredString(fields, 'topic'),
    content: requiredString(fields, 'content'),
    priority: fields.priority,
    tags: fields.tags,
    force_store: fields.force_store,
  });
  return {
    status: locked.created ? 201 : 200,
    body: { status: locked.created ? 'locked' : 'unchanged', ...locked },
  };
};

/**
 * `PUT /projects/<project>/contexts/<topic>` `{content, priority?, tags?}`: the CLI's `context
 * update`. Versions are immutable, so an update locks the content as the topic's next version
 * (`lock_context`, same novelty rule), keeping the latest version's tags and priority unless given.
 * 404 when the topic has no live version; 409 when the content is the latest version's but the tags
 * or priority differ (they belong to a version: change the content, or lock anew with force).
 */
export const updateContext: RouteHandler = async ({ tools }, { body }, { project, topic }) => {
  const fields = bodyFields(body);
  const content = requiredString(fields, 'content');
  const latest = await existingLatestVersion(tools, project, topic);
  const locked = await callTool<LockContextResult>(tools, 'lock_context', {
    project,
    topic,
    content,
    priority: fields.priority ?? latest.priority,
    tags: fields.tags ?? latest.tags,
  });
  // lock_context accepted both, so they are valid; compare them as the store stores them.
  const priority = typeof fields.priority === 'string' ? fields.priority : latest.priority;
  const givenTags = fields.tags as string | string[] | null | undefined;
  const tags = givenTags === undefined || givenTags === null ? latest.tags : validateTags(givenTags);
  if (!locked.created && (priority !== latest.priority || tags.join(',') !== latest.tags.join(','))) {
    throw refused(
      409,
      'conflict',
      `content is identical to version ${latest.version}, whose tags and priority stay as they are: ` +
        'a version is immutable, so change the content to store new tags or priority',
    );
  }
  return {
    status: 200,
    body: { id: locked.id, topic, version: locked.version, priority, tags, project, created: locked.created },
  };
};
