import type { Database } from 'better-sqlite3';

/** One step of the schema, applied once, in order, and recorded in `schema_migrations`. */
interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * The schema, as an append-only list of migrations: never edit a released one, add the next.
 *
 * - `topics` hands out version numbers: one row per (project, topic) ever written, holding the last
 *   minor number issued, so a version is never issued twice, even after it was deleted.
 * - `contexts` holds every version (immutable apart from `is_latest`, `archived_at`, `access_count`).
 *   At most one live row per topic has `is_latest = 1` (a partial unique index enforces it); archived
 *   rows are hidden from every read but kept.
 * - `context_tags` indexes tags for exact filtering; `context_fts` indexes topic, content and tags of
 *   the latest live version of each topic only, so a search never sees older or archived versions.
 *   Triggers keep both in step with `contexts`, whichever code path writes it.
 * - `outcome_facts` keeps the structured facts of each outcome written with a context, once per
 *   (project, topic), in write order (`id`), so every count below can be rebuilt from it. The counts
 *   insights read are kept beside it, updated in the same transaction: per project (`outcome_totals`),
 *   per key (`outcome_keys`: its time zone and last failure), per key and hour of event time
 *   (`outcome_hours`), per key and dimension value (`outcome_dimensions`) and per key and duration
 *   bucket (`outcome_durations`). Their primary keys begin with (project, key), so one key's counts
 *   are a range scan.
 * - `outcome_windows` sums `outcome_hours` per key, handling label and hour-of-week window, with the
 *   recency-weighted sums at {@link STORED_HALF_LIFE_DAYS} kept up to date as outcomes arrive: insights
 *   at the default half-life read at most 168 rows per key, not one row per hour of its history.
 * - `key_outcomes` files each outcome under each of its keys by hour of event time, so a key's outcomes
 *   (newest first, or those of one window's hours) are a range scan: what the web page lists.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'contexts, versions, tags, full-text index',
    sql: `
      CREATE TABLE topics (
        project    TEXT    NOT NULL,
        topic      TEXT    NOT NULL,
        last_minor INTEGER NOT NULL,
        PRIMARY KEY (project, topic)
      ) WITHOUT ROWID;

      CREATE TABLE contexts (
        id             INTEGER PRIMARY KEY,
        project        TEXT    NOT NULL,
        topic          TEXT    NOT NULL,
        minor          INTEGER NOT NULL,
        version        TEXT    NOT NULL,
        content        TEXT    NOT NULL,
        content_sha256 TEXT    NOT NULL,
        tags           TEXT    NOT NULL CHECK (json_valid(tags)),
        priority       TEXT    NOT NULL CHECK (priority IN ('always_check', 'important', 'reference')),
        created_at     INTEGER NOT NULL,
        is_latest      INTEGER NOT NULL DEFAULT 0 CHECK (is_latest IN (0, 1)),
        archived_at    INTEGER,
        access_count   INTEGER NOT NULL DEFAULT 0,
        UNIQUE (project, topic, version),
        FOREIGN KEY (project, topic) REFERENCES topics (project, topic),
        CHECK (is_latest = 0 OR archived_at IS NULL)
      );
      CREATE UNIQUE INDEX contexts_one_latest_per_topic ON contexts (project, topic) WHERE is_latest = 1;
      CREATE INDEX contexts_latest_by_time ON contexts (project, created_at) WHERE is_latest = 1;
      CREATE INDEX contexts_by_topic_minor ON contexts (project, topic, minor);

      CREATE TABLE context_tags (
        project    TEXT    NOT NULL,
        tag        TEXT    NOT NULL,
        context_id INTEGER NOT NULL REFERENCES contexts (id) ON DELETE CASCADE,
        PRIMARY KEY (project, tag, context_id)
      ) WITHOUT ROWID;
      CREATE INDEX context_tags_by_context ON context_tags (context_id);

      CREATE VIRTUAL TABLE context_fts USING fts5(
        topic, content, tags,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER contexts_after_insert AFTER INSERT ON contexts BEGIN
        INSERT INTO context_tags (project, tag, context_id)
          SELECT NEW.project, value, NEW.id FROM json_each(NEW.tags);
        INSERT INTO context_fts (rowid, topic, content, tags)
          SELECT NEW.id, NEW.topic, NEW.content, (SELECT group_concat(value, ' ') FROM json_each(NEW.tags))
          WHERE NEW.is_latest = 1;
      END;
      CREATE TRIGGER contexts_became_latest AFTER UPDATE OF is_latest ON contexts
        WHEN NEW.is_latest = 1 AND OLD.is_latest = 0 BEGIN
        INSERT INTO context_fts (rowid, topic, content, tags)
          VALUES (NEW.id, NEW.topic, NEW.content, (SELECT group_concat(value, ' ') FROM json_each(NEW.tags)));
      END;
      CREATE TRIGGER contexts_left_latest AFTER UPDATE OF is_latest ON contexts
        WHEN NEW.is_latest = 0 AND OLD.is_latest = 1 BEGIN
        DELETE FROM context_fts WHERE rowid = OLD.id;
      END;
      CREATE TRIGGER contexts_after_delete AFTER DELETE ON contexts WHEN OLD.is_latest = 1 BEGIN
        DELETE FROM context_fts WHERE rowid = OLD.id;
      END;
    `,
  },
  {
    version: 2,
    description: 'outcome facts and the per-key counts insights read',
    sql: `
      CREATE TABLE outcome_facts (
        id      INTEGER PRIMARY KEY,
        project TEXT    NOT NULL,
        topic   TEXT    NOT NULL,
        facts   TEXT    NOT NULL CHECK (json_valid(facts)),
        keys    TEXT    NOT NULL CHECK (json_valid(keys)),
        UNIQUE (project, topic)
      );

      CREATE TABLE outcome_totals (
        project  TEXT    NOT NULL PRIMARY KEY,
        runs     INTEGER NOT NULL,
        failures INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE outcome_keys (
        project          TEXT    NOT NULL,
        key              TEXT    NOT NULL,
        latest_ms        REAL    NOT NULL,
        time_zone        TEXT    NOT NULL,
        failure_ms       REAL,
        failure_issue    TEXT,
        failure_message  TEXT,
        failure_topic    TEXT,
        PRIMARY KEY (project, key)
      ) WITHOUT ROWID;

      CREATE TABLE outcome_hours (
        project      TEXT    NOT NULL,
        key          TEXT    NOT NULL,
        hour         INTEGER NOT NULL,
        hour_of_week INTEGER NOT NULL,
        handling     TEXT    NOT NULL,
        runs         INTEGER NOT NULL,
        failures     INTEGER NOT NULL,
        PRIMARY KEY (project, key, hour, hour_of_week, handling)
      ) WITHOUT ROWID;

      CREATE TABLE outcome_dimensions (
        project   TEXT    NOT NULL,
        key       TEXT    NOT NULL,
        dimension TEXT    NOT NULL,
        value     TEXT    NOT NULL,
        handling  TEXT    NOT NULL,
        runs      INTEGER NOT NULL,
        failures  INTEGER NOT NULL,
        first_ms  REAL    NOT NULL,
        last_ms   REAL    NOT NULL,
        PRIMARY KEY (project, key, dimension, value, handling)
      ) WITHOUT ROWID;

      CREATE TABLE outcome_durations (
        project TEXT    NOT NULL,
        key     TEXT    NOT NULL,
        bucket  INTEGER NOT NULL,
        count   INTEGER NOT NULL,
        PRIMARY KEY (project, key, bucket)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    description: 'per-window sums of the outcome hours, with recency weights at a 28-day half-life',
    sql: `
      CREATE TABLE outcome_windows (
        project            TEXT    NOT NULL,
        key                TEXT    NOT NULL,
        handling           TEXT    NOT NULL,
        hour_of_week       INTEGER NOT NULL,
        runs               INTEGER NOT NULL,
        failures           INTEGER NOT NULL,
        failed_occurrences INTEGER NOT NULL,
        latest_hour        INTEGER NOT NULL,
        weighted_runs      REAL    NOT NULL,
        weighted_failures  REAL    NOT NULL,
        PRIMARY KEY (project, key, handling, hour_of_week)
      ) WITHOUT ROWID;

      INSERT INTO outcome_windows
      SELECT h.project, h.key, h.handling, h.hour_of_week, sum(h.runs), sum(h.failures),
        sum(h.failures > 0), latest.hour,
        sum(h.runs * pow(0.5, (latest.hour - h.hour) / 672.0)),
        sum(h.failures * pow(0.5, (latest.hour - h.hour) / 672.0))
      FROM outcome_hours AS h
      JOIN (SELECT project, key, handling, hour_of_week, max(hour) AS hour FROM outcome_hours
            GROUP BY project, key, handling, hour_of_week) AS latest
        USING (project, key, handling, hour_of_week)
      GROUP BY h.project, h.key, h.handling, h.hour_of_week;
    `,
  },
  {
    version: 4,
    description: "each key's outcomes by hour of event time, for listing them",
    sql: `
      CREATE TABLE key_outcomes (
        project    TEXT    NOT NULL,
        key        TEXT    NOT NULL,
        hour       INTEGER NOT NULL,
        outcome_id INTEGER NOT NULL REFERENCES outcome_facts (id),
        PRIMARY KEY (project, key, hour, outcome_id)
      ) WITHOUT ROWID;

      INSERT INTO key_outcomes
      SELECT f.project, k.value, CAST(floor(json_extract(f.facts, '$.eventTimeMs') / 3600000.0) AS INTEGER), f.id
      FROM outcome_facts AS f, json_each(f.keys) AS k;
    `,
  },
];

/**
 * The half-life (days) of the weighted sums `outcome_windows` keeps: the insights' default. Changing it
 * needs a migration that recomputes them (migration 3 computes them at 28 days: 672 hours).
 */
export const STORED_HALF_LIFE_DAYS = 28;

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database to {@link SCHEMA_VERSION} (or to `upTo`, as an older server would have left it),
 * applying missing migrations inside one `BEGIN IMMEDIATE` transaction, so several processes opening
 * a new file at once apply them once. Refuses a database written by a newer version of this server.
 */
export function migrate(db: Database, now: () => number, upTo: number = SCHEMA_VERSION): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     INTEGER PRIMARY KEY,
      description TEXT    NOT NULL,
      applied_at  TEXT    NOT NULL
    )`);
    const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `database schema version ${current} is newer than this server supports (${SCHEMA_VERSION}): upgrade @temporal-stompy/memory-server`,
      );
    }
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
    );
    for (const migration of MIGRATIONS.slice(current, upTo)) {
      db.exec(migration.sql);
      record.run(migration.version, migration.description, new Date(now()).toISOString());
    }
  }).immediate();
}
