import type { MemoryStore } from '../store/memory-store';
import type { ProjectSummary } from '../store/projects';
import { refused } from './rest-errors';

/**
 * The project a read names, when it exists: 404 when no context was ever locked in it (and it is not
 * the default project). A name that breaks the rules throws the store's `invalid_input` (a 400).
 * Writes need no check: locking a context creates its project, as `lock_context` does.
 */
export async function knownProject(store: MemoryStore, project: string): Promise<ProjectSummary> {
  const summary = await store.project(project);
  if (summary === undefined) {
    throw refused(404, 'not_found', `project not found: no context was ever locked in "${project}"`);
  }
  return summary;
}
