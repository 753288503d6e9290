import { StoreError } from '../store/errors';
import type { ContextStore } from '../store/context-store';
import type { ProjectSummary } from '../store/projects';
import { refusalResponse, refused, RestRefusal } from './rest-errors';

/**
 * The project a read names, when it exists: 404 when no context was ever locked in it (and it is not
 * the default project), 400 when its name breaks the rules. Writes need no check: locking a context
 * creates its project, as `lock_context` does.
 */
export function knownProject(store: ContextStore, project: string): ProjectSummary {
  let summary: ProjectSummary | undefined;
  try {
    summary = store.projects.get(project);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new RestRefusal(refusalResponse({ error: error.code, message: error.message, ...error.details }));
  }
  if (summary === undefined) {
    throw refused(404, 'not_found', `project not found: no context was ever locked in "${project}"`);
  }
  return summary;
}
