import { storedOutcome, type KeyKind, type OutcomePage } from './outcome-browser';

// The statements of the OutcomeBrowser both adapters run, written once: SQLite and PostgreSQL differ
// here only in placeholders, in how `true` is spelled, and in PostgreSQL comparing keys byte by byte
// (`COLLATE "C"`) as SQLite always does.

/** How one database spells what the shared statements need. */
export interface BrowseDialect {
  /** The n-th placeholder (1-based): `?` or `$n`. */
  param(n: number): string;
  /** `true` in a comparison with a boolean column. */
  readonly true: string;
  /** The `key` column compared byte by byte. */
  readonly key: string;
  /** An expression as an integer the driver reads as a number (PostgreSQL's `sum` of bigints is numeric). */
  integer(expression: string): string;
}

/** SQLite's spelling: positional `?`, booleans as 1, keys compared as bytes already. */
export const SQLITE_DIALECT: BrowseDialect = {
  param: () => '?',
  true: '1',
  key: 'key',
  integer: (expression) => `CAST(${expression} AS INTEGER)`,
};
/** PostgreSQL's spelling: `$n`, `true`, keys compared as bytes whatever the database's locale. */
export const POSTGRES_DIALECT: BrowseDialect = {
  param: (n) => `$${n}`,
  true: 'true',
  key: 'key COLLATE "C"',
  integer: (expression) => `(${expression})::bigint`,
};

/**
 * Each kind's keys as a condition on `key`: byte ranges around the type prefixes (`;` follows `:`), so
 * a kind's keys are range scans of the primary key (on PostgreSQL when the database's collation is C).
 */
function kindCondition(dialect: BrowseDialect, kind: KeyKind): string {
  const k = dialect.key;
  if (kind === 'activity') return `(${k} >= 'activity:' AND ${k} < 'activity;')`;
  if (kind === 'workflow') return `(${k} >= 'workflow:' AND ${k} < 'workflow;')`;
  return `(${k} < 'activity:' OR (${k} >= 'activity;' AND ${k} < 'workflow:') OR ${k} >= 'workflow;')`;
}

/** How many keys of a kind a project has. Parameter: project. */
export function keyCountSql(dialect: BrowseDialect, kind: KeyKind): string {
  return `SELECT count(*) AS total FROM outcome_keys WHERE project = ${dialect.param(1)} AND ${kindCondition(dialect, kind)}`;
}

/**
 * A page of a kind's keys with their totals, most failures first: every outcome is counted under its
 * workflow type, whatever its handling, so those rows sum to the key's outcomes. Parameters: project,
 * limit, offset.
 */
export function keyPageSql(dialect: BrowseDialect, kind: KeyKind): string {
  return `SELECT key, ${dialect.integer('sum(runs)')} AS runs, ${dialect.integer('sum(failures)')} AS failures
    FROM outcome_dimensions
    WHERE project = ${dialect.param(1)} AND dimension = 'workflowType' AND ${kindCondition(dialect, kind)}
    GROUP BY key ORDER BY failures DESC, runs DESC, ${dialect.key} LIMIT ${dialect.param(2)} OFFSET ${dialect.param(3)}`;
}

/** A key's default-path runs and failures per hour, oldest first. Parameters: project, key. */
export function keyHoursSql(dialect: BrowseDialect): string {
  return `SELECT hour, ${dialect.integer('sum(runs)')} AS runs, ${dialect.integer('sum(failures)')} AS failures
    FROM outcome_hours WHERE project = ${dialect.param(1)} AND key = ${dialect.param(2)} AND handling = ''
    GROUP BY hour ORDER BY hour`;
}

/** Workflow runs and activity attempts per UTC day, from the type keys' hours. Parameter: project. */
export function daysSql(dialect: BrowseDialect): string {
  const activity = kindCondition(dialect, 'activity');
  return `SELECT ${dialect.integer('floor(hour / 24.0)')} AS day,
      CASE WHEN ${activity} THEN 'activity' ELSE 'workflow' END AS kind,
      ${dialect.integer('sum(runs)')} AS runs, ${dialect.integer('sum(failures)')} AS failures
    FROM outcome_hours WHERE project = ${dialect.param(1)} AND (${activity} OR ${kindCondition(dialect, 'workflow')})
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** The columns of a stored outcome, with the time its note was stored (`c`: the topic's latest version). */
export const OUTCOME_FIELDS = 'f.id, f.topic, f.facts, f.keys, c.created_at AS stored_at';

/** Joins an outcome (`f`) to its note's latest live version (`c`), which may be gone. */
export function noteJoin(dialect: BrowseDialect): string {
  return `LEFT JOIN contexts AS c ON c.project = f.project AND c.topic = f.topic AND c.is_latest = ${dialect.true}`;
}

/** One outcome by (project, topic). */
export function outcomeByTopicSql(dialect: BrowseDialect): string {
  return `SELECT ${OUTCOME_FIELDS} FROM outcome_facts AS f ${noteJoin(dialect)}
    WHERE f.project = ${dialect.param(1)} AND f.topic = ${dialect.param(2)}`;
}

/**
 * The outcomes whose notes were stored last: the project's latest live versions newest first (the
 * index on `(project, created_at)` of latest versions, read backwards), each joined to its facts. Read
 * the other way round (facts by id, filtered by project) it sorted every outcome of the project:
 * 2 s at 1M on SQLite. Parameters: project, limit.
 */
export function newestOutcomesSql(dialect: BrowseDialect): string {
  return `SELECT ${OUTCOME_FIELDS}
    FROM contexts AS c JOIN outcome_facts AS f ON f.project = c.project AND f.topic = c.topic
    WHERE c.project = ${dialect.param(1)} AND c.is_latest = ${dialect.true}
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${dialect.param(2)}`;
}

/** A topic's live versions, oldest first. Parameters: project, topic. */
export function topicVersionsSql(dialect: BrowseDialect): string {
  return `SELECT version, created_at AS "storedAtMs" FROM contexts
    WHERE project = ${dialect.param(1)} AND topic = ${dialect.param(2)} AND archived_at IS NULL ORDER BY minor`;
}

/**
 * The distinct projects of `topics`, one index probe per project (a loose index scan: the smallest
 * project name, then the smallest after it, and so on), where `GROUP BY` would read every topic.
 */
export const PROJECT_NAMES_SQL = `WITH RECURSIVE p (name) AS (
    SELECT min(project) FROM topics
    UNION ALL
    SELECT (SELECT min(project) FROM topics WHERE project > p.name) FROM p WHERE p.name IS NOT NULL)
  SELECT name FROM p WHERE name IS NOT NULL`;

/** A stored outcome's row, with the hour it is filed under. */
export type OutcomeRow = Parameters<typeof storedOutcome>[0] & { hour: number | string };

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
