import type { Database } from 'better-sqlite3';
import { isoTime } from './context-row';
import type { StoreSettings } from './settings';
import { validateProject } from './validation';

/** One project of the store: a project exists once a context was locked in it, or is the default. */
export interface ProjectSummary {
  readonly name: string;
  /** ISO 8601 time of its first version (archived ones included); absent for an empty default project. */
  readonly created_at?: string;
  /** Topics with a live version. */
  readonly context_count: number;
  /** UTF-8 bytes of content stored, archived versions included. */
  readonly storage_bytes: number;
  /** ISO 8601 time of its newest version; absent for an empty default project. */
  readonly last_activity?: string;
}

/** The projects of a store: every one, or one by name. */
export interface ProjectCatalog {
  /** Every project, by name; the default project is always listed. */
  list(): readonly ProjectSummary[];
  /** One project; undefined when no context was ever locked in it and it is not the default. */
  get(project: string): ProjectSummary | undefined;
}

/** A project's row as an adapter's query returns it (times in epoch ms). */
export interface ProjectRow {
  name: string;
  first_at: number;
  context_count: number;
  storage_bytes: number;
  last_at: number;
}

const COLUMNS = `project AS name, min(created_at) AS first_at, coalesce(sum(is_latest), 0) AS context_count,
  coalesce(sum(length(CAST(content AS BLOB))), 0) AS storage_bytes, max(created_at) AS last_at`;

/** Prepares the {@link ProjectCatalog} of a store: projects are the distinct `project` of its contexts. */
export function prepareProjectCatalog(db: Database, settings: StoreSettings): ProjectCatalog {
  const selectAll = db.prepare<[], ProjectRow>(
    `SELECT ${COLUMNS} FROM contexts GROUP BY project ORDER BY project`,
  );
  const selectOne = db.prepare<[string], ProjectRow>(
    `SELECT ${COLUMNS} FROM contexts WHERE project = ? GROUP BY project`,
  );
  const emptyDefault: ProjectSummary = {
    name: settings.defaultProject,
    context_count: 0,
    storage_bytes: 0,
  };
  return {
    list: () => projectList(selectAll.all(), settings.defaultProject),
    get(project) {
      const name = validateProject(project, settings.defaultProject);
      const row = selectOne.get(name);
      if (row) return projectSummary(row);
      return name === settings.defaultProject ? emptyDefault : undefined;
    },
  };
}

/** Every project from its rows (sorted by name), with the default project listed even when empty. */
export function projectList(rows: readonly ProjectRow[], defaultProject: string): ProjectSummary[] {
  const projects = rows.map(projectSummary);
  if (projects.some((p) => p.name === defaultProject)) return projects;
  const empty: ProjectSummary = { name: defaultProject, context_count: 0, storage_bytes: 0 };
  return [...projects, empty].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A project's summary from its row. */
export function projectSummary(row: ProjectRow): ProjectSummary {
  return {
    name: row.name,
    created_at: isoTime(row.first_at),
    context_count: row.context_count,
    storage_bytes: row.storage_bytes,
    last_activity: isoTime(row.last_at),
  };
}
