import type { ProjectSummary } from '../store/projects';
import { knownProject } from './known-project';
import { flagParam } from './query-params';
import type { RouteHandler } from './rest-types';

/**
 * A project in the fields Stompy's CLI decodes (`ProjectResponse`). This server has one SQLite schema
 * (`main`) for every project and one token with every right (`owner`); sessions and files do not
 * exist here, so their counts are 0.
 */
function projectResponse(project: ProjectSummary, withStats: boolean): object {
  return {
    name: project.name,
    schema_name: 'main',
    ...(project.created_at !== undefined ? { created_at: project.created_at } : {}),
    role: 'owner',
    is_system: false,
    ...(withStats
      ? {
          stats: {
            context_count: project.context_count,
            session_count: 0,
            file_count: 0,
            storage_bytes_db: project.storage_bytes,
            storage_bytes_s3: 0,
            ...(project.last_activity !== undefined ? { last_activity: project.last_activity } : {}),
          },
        }
      : {}),
  };
}

/** `GET /projects[?stats=true]`: the CLI's `project list`: `{projects: [...], total}`, by name. */
export const listProjects: RouteHandler = async ({ store }, { query }) => {
  const withStats = flagParam(query, 'stats');
  const projects = (await store.listProjects()).map((project) => projectResponse(project, withStats));
  return { status: 200, body: { projects, total: projects.length } };
};

/** `GET /projects/<project>[?stats=true]`: the CLI's `project info`; 404 for a project never written. */
export const projectInfo: RouteHandler = async ({ store }, { query }, { project }) => {
  const withStats = flagParam(query, 'stats');
  return { status: 200, body: projectResponse(await knownProject(store, project), withStats) };
};
