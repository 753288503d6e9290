import type { Database } from 'better-sqlite3';
import {
  browseRequest,
  storedOutcome,
  type DayTotals,
  type HourTotals,
  type KeyKind,
  type KeyTotals,
  type OutcomeBrowser,
  type OutcomePage,
  type TopicVersion,
  TOPIC_VERSIONS_SQL,
  PROJECT_NAMES_SQL,
  NEWEST_OUTCOMES_SQL,
} from './outcome-browser';
import type { StoreSettings } from './settings';

/**
 * Each kind's keys as a condition on `key`: ranges of the primary key (`;` follows `:`), so a kind's
 * keys are read by range scans, never by matching every key of the project.
 */
export const KIND_CONDITION: Readonly<Record<KeyKind, string>> = {
  activity: `(key >= 'activity:' AND key < 'activity;')`,
  workflow: `(key >= 'workflow:' AND key < 'workflow;')`,
  entity: `NOT (key >= 'activity:' AND key < 'activity;') AND NOT (key >= 'workflow:' AND key < 'workflow;')`,
};

/** The columns of a stored outcome, with the time its note (the topic's latest live version) was stored. */
const OUTCOME_FIELDS = 'f.id, f.topic, f.facts, f.keys, c.created_at AS stored_at';
const NOTE_JOIN =
  'LEFT JOIN contexts AS c ON c.project = f.project AND c.topic = f.topic AND c.is_latest = 1';
const OUTCOME_COLUMNS = `${OUTCOME_FIELDS} FROM outcome_facts AS f ${NOTE_JOIN}`;

/** A stored outcome's row, with the hour it is filed under. */
export type OutcomeRow = Parameters<typeof storedOutcome>[0] & { hour: number | string };

/**
 * The SQLite adapter's {@link OutcomeBrowser}: totals summed from `outcome_dimensions` (every outcome
 * is counted under its workflow type, whatever its handling), hours from `outcome_hours`, outcomes
 * through `key_outcomes`. Each read is one statement (keys: two, in one transaction).
 */
export function prepareOutcomeBrowser(db: Database, settings: StoreSettings): OutcomeBrowser {
  const keysOf = (kind: KeyKind) => ({
    count: db.prepare<[string], { total: number }>(
      `SELECT count(*) AS total FROM outcome_keys WHERE project = ? AND ${KIND_CONDITION[kind]}`,
    ),
    page: db.prepare<[string, number, number], KeyTotals>(
      `SELECT key, sum(runs) AS runs, sum(failures) AS failures FROM outcome_dimensions
       WHERE project = ? AND dimension = 'workflowType' AND ${KIND_CONDITION[kind]}
       GROUP BY key ORDER BY failures DESC, runs DESC, key LIMIT ? OFFSET ?`,
    ),
  });
  const byKind = { activity: keysOf('activity'), workflow: keysOf('workflow'), entity: keysOf('entity') };
  const readKeys = db.transaction((project: string, kind: KeyKind, limit: number, offset: number) => ({
    total: byKind[kind].count.get(project)?.total ?? 0,
    keys: byKind[kind].page.all(project, limit, offset),
  }));
  const selectHours = db.prepare<[string, string], HourTotals>(
    `SELECT hour, sum(runs) AS runs, sum(failures) AS failures FROM outcome_hours
     WHERE project = ? AND key = ? AND handling = '' GROUP BY hour ORDER BY hour`,
  );
  const selectDays = db.prepare<[string], DayTotals>(
    `SELECT CAST(floor(hour / 24.0) AS INTEGER) AS day,
       CASE WHEN ${KIND_CONDITION.activity} THEN 'activity' ELSE 'workflow' END AS kind,
       sum(runs) AS runs, sum(failures) AS failures
     FROM outcome_hours WHERE project = ? AND (${KIND_CONDITION.activity} OR ${KIND_CONDITION.workflow})
     GROUP BY day, kind ORDER BY day, kind`,
  );
  const selectOne = db.prepare<[string, string], Parameters<typeof storedOutcome>[0]>(
    `SELECT ${OUTCOME_COLUMNS} WHERE f.project = ? AND f.topic = ?`,
  );
  const selectNewest = db.prepare<[string, number], Parameters<typeof storedOutcome>[0]>(
    NEWEST_OUTCOMES_SQL(['?', '?']),
  );
  const selectVersions = db.prepare<[string, string], TopicVersion>(TOPIC_VERSIONS_SQL(['?', '?']));
  const selectProjects = db.prepare<[], string>(PROJECT_NAMES_SQL).pluck();
  // One statement per (order, hours given, cursor given): each a range scan of key_outcomes' primary key.
  const listings = new Map<string, ReturnType<typeof db.prepare>>();
  const listing = (newest: boolean, hours: boolean, after: boolean) => {
    const id = `${newest}${hours}${after}`;
    let statement = listings.get(id);
    if (statement === undefined) {
      const [cmp, dir] = newest ? ['<', 'DESC'] : ['>', 'ASC'];
      statement = db.prepare(
        `SELECT ${OUTCOME_FIELDS}, k.hour
         FROM key_outcomes AS k JOIN outcome_facts AS f ON f.id = k.outcome_id ${NOTE_JOIN}
         WHERE k.project = :project AND k.key = :key
         ${hours ? 'AND k.hour IN (SELECT value FROM json_each(:hours))' : ''}
         ${after ? `AND (k.hour, k.outcome_id) ${cmp} (:hour, :id)` : ''}
         ORDER BY k.hour ${dir}, k.outcome_id ${dir} LIMIT :limit`,
      );
      listings.set(id, statement);
    }
    return statement;
  };

  return {
    keys: async (project, kind, limit, offset = 0) =>
      readKeys(browseRequest(settings, project, limit), kind, limit, Math.max(0, offset)),
    hours: async (project, key) => selectHours.all(browseRequest(settings, project, 1), key),
    days: async (project) => selectDays.all(browseRequest(settings, project, 1)),
    outcomes: async (query): Promise<OutcomePage> => {
      const project = browseRequest(settings, query.project, query.limit);
      const newest = query.order !== 'oldest';
      const rows = listing(newest, query.hours !== undefined, query.after !== undefined).all({
        project,
        key: query.key,
        limit: query.limit + 1,
        ...(query.hours !== undefined ? { hours: JSON.stringify(query.hours) } : {}),
        ...(query.after !== undefined ? { hour: query.after.hour, id: query.after.id } : {}),
      }) as OutcomeRow[];
      return outcomePage(rows, query.limit);
    },
    outcome: async (project, topic) => {
      const row = selectOne.get(browseRequest(settings, project, 1), topic);
      return row === undefined ? undefined : storedOutcome(row);
    },
    newest: async (project, limit) =>
      selectNewest.all(browseRequest(settings, project, limit), limit).map(storedOutcome),
    versions: async (project, topic) => selectVersions.all(browseRequest(settings, project, 1), topic),
    projects: async () => selectProjects.all().sort(),
  };
}

/** A page of `limit` outcomes from up to `limit + 1` rows, continuing after the last when there are more. */
export function outcomePage(rows: readonly OutcomeRow[], limit: number): OutcomePage {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    outcomes: shown.map(storedOutcome),
    next:
      rows.length > limit && last !== undefined
        ? { hour: Number(last.hour), id: Number(last.id) }
        : undefined,
  };
}
