import type { Pool } from 'pg';
import {
  browseRequest,
  storedOutcome,
  type DayTotals,
  type HourTotals,
  type KeyKind,
  type KeyTotals,
  type OutcomeBrowser,
  type TopicVersion,
  TOPIC_VERSIONS_SQL,
  PROJECT_NAMES_SQL,
  NEWEST_OUTCOMES_SQL,
} from '../outcome-browser';
import type { StoreSettings } from '../settings';
import { outcomePage, type OutcomeRow } from '../sqlite-outcome-browser';
import { inSnapshot } from './pg-pool';

/** The columns of a stored outcome, with the time its note (the topic's latest live version) was stored. */
const OUTCOME_FIELDS = 'f.id, f.topic, f.facts, f.keys, c.created_at AS stored_at';
const NOTE_JOIN = 'LEFT JOIN contexts AS c ON c.project = f.project AND c.topic = f.topic AND c.is_latest';
const OUTCOME_COLUMNS = `${OUTCOME_FIELDS} FROM outcome_facts AS f ${NOTE_JOIN}`;

/**
 * Each kind's keys as a condition on `key`, compared byte by byte (`COLLATE "C"`) as SQLite compares
 * them, whatever the database's locale: ranges of the primary key in a database created with
 * `--locale=C`, a filter of the project's keys otherwise.
 */
const KIND_CONDITION: Readonly<Record<KeyKind, string>> = {
  activity: `(key COLLATE "C" >= 'activity:' AND key COLLATE "C" < 'activity;')`,
  workflow: `(key COLLATE "C" >= 'workflow:' AND key COLLATE "C" < 'workflow;')`,
  entity: `(key COLLATE "C" < 'activity:' OR (key COLLATE "C" >= 'activity;' AND key COLLATE "C" < 'workflow:') OR key COLLATE "C" >= 'workflow;')`,
};

/**
 * The PostgreSQL adapter's {@link OutcomeBrowser}: the SQLite adapter's reads (the same tables and
 * primary keys, the same kind ranges), each in one read-only snapshot. Sums are cast back to `bigint`,
 * which the pool reads as numbers.
 */
export function pgOutcomeBrowser(pool: Pool, settings: StoreSettings): OutcomeBrowser {
  return {
    keys: async (project, kind, limit, offset = 0) => {
      const checked = browseRequest(settings, project, limit);
      return inSnapshot(pool, async (client) => {
        const count = await client.query<{ total: number }>(
          `SELECT count(*) AS total FROM outcome_keys WHERE project = $1 AND ${KIND_CONDITION[kind]}`,
          [checked],
        );
        const page = await client.query<KeyTotals>(
          `SELECT key, sum(runs)::bigint AS runs, sum(failures)::bigint AS failures FROM outcome_dimensions
           WHERE project = $1 AND dimension = 'workflowType' AND ${KIND_CONDITION[kind]}
           GROUP BY key ORDER BY failures DESC, runs DESC, key COLLATE "C" LIMIT $2 OFFSET $3`,
          [checked, limit, Math.max(0, offset)],
        );
        return { total: count.rows[0]?.total ?? 0, keys: page.rows };
      });
    },
    hours: async (project, key) => {
      const checked = browseRequest(settings, project, 1);
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<HourTotals>(
          `SELECT hour, sum(runs)::bigint AS runs, sum(failures)::bigint AS failures FROM outcome_hours
           WHERE project = $1 AND key = $2 AND handling = '' GROUP BY hour ORDER BY hour`,
          [checked, key],
        );
        return rows;
      });
    },
    days: async (project) => {
      const checked = browseRequest(settings, project, 1);
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<DayTotals>(
          `SELECT floor(hour / 24.0)::bigint AS day,
             CASE WHEN ${KIND_CONDITION.activity} THEN 'activity' ELSE 'workflow' END AS kind,
             sum(runs)::bigint AS runs, sum(failures)::bigint AS failures
           FROM outcome_hours WHERE project = $1 AND (${KIND_CONDITION.activity} OR ${KIND_CONDITION.workflow})
           GROUP BY 1, 2 ORDER BY 1, 2`,
          [checked],
        );
        return rows;
      });
    },
    outcomes: async (query) => {
      const project = browseRequest(settings, query.project, query.limit);
      const newest = query.order !== 'oldest';
      const [cmp, dir] = newest ? ['<', 'DESC'] : ['>', 'ASC'];
      const params: unknown[] = [project, query.key, query.limit + 1];
      const hours =
        query.hours === undefined ? '' : `AND k.hour = ANY($${params.push(query.hours)}::bigint[])`;
      const after =
        query.after === undefined
          ? ''
          : `AND (k.hour, k.outcome_id) ${cmp} ($${params.push(query.after.hour)}, $${params.push(query.after.id)})`;
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<OutcomeRow>(
          `SELECT ${OUTCOME_FIELDS}, k.hour
         FROM key_outcomes AS k JOIN outcome_facts AS f ON f.id = k.outcome_id ${NOTE_JOIN}
           WHERE k.project = $1 AND k.key = $2 ${hours} ${after}
           ORDER BY k.hour ${dir}, k.outcome_id ${dir} LIMIT $3`,
          params,
        );
        return outcomePage(rows, query.limit);
      });
    },
    outcome: async (project, topic) => {
      const checked = browseRequest(settings, project, 1);
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<Parameters<typeof storedOutcome>[0]>(
          `SELECT ${OUTCOME_COLUMNS} WHERE f.project = $1 AND f.topic = $2`,
          [checked, topic],
        );
        const row = rows[0];
        return row === undefined ? undefined : storedOutcome(row);
      });
    },
    newest: async (project, limit) => {
      const checked = browseRequest(settings, project, limit);
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<Parameters<typeof storedOutcome>[0]>(
          NEWEST_OUTCOMES_SQL(['$1', '$2']),
          [checked, limit],
        );
        return rows.map(storedOutcome);
      });
    },
    versions: async (project, topic) => {
      const checked = browseRequest(settings, project, 1);
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<TopicVersion>(TOPIC_VERSIONS_SQL(['$1', '$2']), [checked, topic]);
        return rows;
      });
    },
    projects: async () =>
      inSnapshot(pool, async (client) => {
        const { rows } = await client.query<{ name: string }>(PROJECT_NAMES_SQL);
        return rows.map((row) => row.name).sort();
      }),
  };
}
