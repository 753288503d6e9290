import type { Pool } from 'pg';
import {
  browseRequest,
  storedOutcome,
  type DayTotals,
  type HourTotals,
  type KeyTotals,
  type OutcomeBrowser,
  type TopicVersion,
} from '../outcome-browser';
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
  POSTGRES_DIALECT,
  PROJECT_NAMES_SQL,
  topicVersionsSql,
  type OutcomeRow,
} from '../outcome-browser-sql';
import type { StoreSettings } from '../settings';
import { inSnapshot } from './pg-pool';

type StoredRow = Parameters<typeof storedOutcome>[0];
const dialect = POSTGRES_DIALECT;

/**
 * The PostgreSQL adapter's {@link OutcomeBrowser}: the statements the SQLite adapter runs
 * (`outcome-browser-sql.ts`), each in one read-only snapshot, and a key's outcomes through
 * `key_outcomes`.
 */
export function pgOutcomeBrowser(pool: Pool, settings: StoreSettings): OutcomeBrowser {
  /** Rows of one statement, read in a snapshot of their own. */
  const rowsOf = <R extends object>(sql: string, params: readonly unknown[]): Promise<R[]> =>
    inSnapshot(pool, async (client) => (await client.query<R>(sql, [...params])).rows);

  return {
    keys: async (project, kind, limit, offset = 0) => {
      const checked = browseRequest(settings, project, limit);
      return inSnapshot(pool, async (client) => {
        const count = await client.query<{ total: number }>(keyCountSql(dialect, kind), [checked]);
        const page = await client.query<KeyTotals>(keyPageSql(dialect, kind), [
          checked,
          limit,
          Math.max(0, offset),
        ]);
        return { total: count.rows[0]?.total ?? 0, keys: page.rows };
      });
    },
    hours: async (project, key) =>
      rowsOf<HourTotals>(keyHoursSql(dialect), [browseRequest(settings, project, 1), key]),
    days: async (project) => rowsOf<DayTotals>(daysSql(dialect), [browseRequest(settings, project, 1)]),
    outcomes: async (query) => {
      const project = browseRequest(settings, query.project, query.limit);
      const [cmp, dir] = query.order !== 'oldest' ? ['<', 'DESC'] : ['>', 'ASC'];
      const params: unknown[] = [project, query.key, query.limit + 1];
      const hours =
        query.hours === undefined ? '' : `AND k.hour = ANY($${params.push(query.hours)}::bigint[])`;
      const after =
        query.after === undefined
          ? ''
          : `AND (k.hour, k.outcome_id) ${cmp} ($${params.push(query.after.hour)}, $${params.push(query.after.id)})`;
      const rows = await rowsOf<OutcomeRow>(
        `SELECT ${OUTCOME_FIELDS}, k.hour
         FROM key_outcomes AS k JOIN outcome_facts AS f ON f.id = k.outcome_id ${noteJoin(dialect)}
         WHERE k.project = $1 AND k.key = $2 ${hours} ${after}
         ORDER BY k.hour ${dir}, k.outcome_id ${dir} LIMIT $3`,
        params,
      );
      return outcomePage(rows, query.limit);
    },
    outcome: async (project, topic) => {
      const [row] = await rowsOf<StoredRow>(outcomeByTopicSql(dialect), [
        browseRequest(settings, project, 1),
        topic,
      ]);
      return row === undefined ? undefined : storedOutcome(row);
    },
    newest: async (project, limit) =>
      (
        await rowsOf<StoredRow>(newestOutcomesSql(dialect), [browseRequest(settings, project, limit), limit])
      ).map(storedOutcome),
    versions: async (project, topic) =>
      rowsOf<TopicVersion>(topicVersionsSql(dialect), [browseRequest(settings, project, 1), topic]),
    projects: async () =>
      (await rowsOf<{ name: string }>(PROJECT_NAMES_SQL, [])).map((row) => row.name).sort(),
  };
}
