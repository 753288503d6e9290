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
} from './outcome-browser';
import {
  daysSql,
  keyCountSql,
  keyHoursSql,
  keyPageSql,
  newestOutcomesSql,
  noteJoin,
  OUTCOME_FIELDS,
  outcomeByTopicSql,
  outcomePage,
  PROJECT_NAMES_SQL,
  SQLITE_DIALECT,
  topicVersionsSql,
  type OutcomeRow,
} from './outcome-browser-sql';
import type { StoreSettings } from './settings';

type StoredRow = Parameters<typeof storedOutcome>[0];

/**
 * The SQLite adapter's {@link OutcomeBrowser}: the shared statements of `outcome-browser-sql.ts`,
 * prepared once, and a key's outcomes through `key_outcomes`. Each read is one statement (keys: two,
 * in one transaction).
 */
export function prepareOutcomeBrowser(db: Database, settings: StoreSettings): OutcomeBrowser {
  const dialect = SQLITE_DIALECT;
  const keysOf = (kind: KeyKind) => ({
    count: db.prepare<[string], { total: number }>(keyCountSql(dialect, kind)),
    page: db.prepare<[string, number, number], KeyTotals>(keyPageSql(dialect, kind)),
  });
  const byKind = { activity: keysOf('activity'), workflow: keysOf('workflow'), entity: keysOf('entity') };
  const readKeys = db.transaction((project: string, kind: KeyKind, limit: number, offset: number) => ({
    total: byKind[kind].count.get(project)?.total ?? 0,
    keys: byKind[kind].page.all(project, limit, offset),
  }));
  const selectHours = db.prepare<[string, string], HourTotals>(keyHoursSql(dialect));
  const selectDays = db.prepare<[string], DayTotals>(daysSql(dialect));
  const selectOne = db.prepare<[string, string], StoredRow>(outcomeByTopicSql(dialect));
  const selectNewest = db.prepare<[string, number], StoredRow>(newestOutcomesSql(dialect));
  const selectVersions = db.prepare<[string, string], TopicVersion>(topicVersionsSql(dialect));
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
         FROM key_outcomes AS k JOIN outcome_facts AS f ON f.id = k.outcome_id ${noteJoin(dialect)}
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
