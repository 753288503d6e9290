import type { RecallContextResult } from '../store/types';
import { callTool } from './call-tool';
import { contextDetail } from './context-response';
import { versionParam } from './query-params';
import type { RouteHandler } from './rest-types';

/**
 * `GET /projects/<project>/contexts/<topic>[?version=]`: the CLI's `context recall`, through
 * `recall_context` (which counts the access): the version's content, tags, priority and live versions.
 */
export const readContext: RouteHandler = async ({ tools }, { query }, { project, topic }) => {
  const recalled = await callTool<RecallContextResult>(tools, 'recall_context', {
    project,
    topic,
    version: versionParam(query),
  });
  return { status: 200, body: contextDetail(recalled) };
};
