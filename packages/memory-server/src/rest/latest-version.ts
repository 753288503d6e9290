import type { RecallBatchEntry, RecallBatchResult } from '../store/types';
import type { ToolRunner } from '../tools/tool-runner';
import { callTool } from './call-tool';
import { refused } from './rest-errors';

/**
 * The latest version of a topic, read with `recall_batch` (which counts no access, unlike
 * `recall_context`): undefined when the topic has no live version.
 */
export async function latestVersion(
  tools: ToolRunner,
  project: string,
  topic: string,
): Promise<RecallBatchEntry | undefined> {
  const batch = await callTool<RecallBatchResult>(tools, 'recall_batch', { project, topics: [topic] });
  const [entry] = batch.results;
  return entry?.found === true ? entry : undefined;
}

/** Like {@link latestVersion}, but a topic with no live version is a 404. */
export async function existingLatestVersion(
  tools: ToolRunner,
  project: string,
  topic: string,
): Promise<RecallBatchEntry> {
  const latest = await latestVersion(tools, project, topic);
  if (latest === undefined) {
    throw refused(404, 'not_found', `topic not found: no context "${topic}" in project "${project}"`);
  }
  return latest;
}
