import type { PoolClient } from 'pg';

/** One step of the PostgreSQL schema, applied once, in order, and recorded in `schema_migrations`. */
interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * The PostgreSQL schema, as an append-only list of migrations: never edit a released one, add the next.
 * The tables are those of the SQLite schema (`../schema.ts`, which explains each) with PostgreSQL's
 * types: times are epoch milliseconds (`double precision`, exact for every time a `Date` holds), tags
 * a `jsonb` array, `is_latest` a boolean.
 *
 * - `contexts.search` holds the version's words as a `tsvector` built by this server
 *   (`pg-search-text.ts`: topic words weighted A, tags B, content D), so search does not depend on the
 *   database's locale or text-search configuration. A partial GIN index over the latest versions
 *   serves full-text queries; another over their `tags` (`jsonb_path_ops`) serves tag filters.
 * - One key's outcome counts are a range scan of primary keys that begin with (project, key).
 * - Migration 3 puts each latest version's recency bucket (`id >> 15`, {@link SEARCH_BUCKET_BITS}) beside
 *   its words in the full-text index, so a search finds the newest matches of a common word in the
 *   newest buckets without visiting its older ones (`pg-search.ts`).
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'contexts, versions, tags, full-text index, outcome facts and counts',
    sql: `
      CREATE TABLE topics (
        project    text    NOT NULL,
        topic      text    NOT NULL,
        last_minor integer NOT NULL,
        PRIMARY KEY (project, topic)
      );

      CREATE TABLE contexts (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project        text    NOT NULL,
        topic          text    NOT NULL,
        minor          integer NOT NULL,
        version        text    NOT NULL,
        content        text    NOT NULL,
        content_sha256 text    NOT NULL,
        tags           jsonb   NOT NULL CHECK (jsonb_typeof(tags) = 'array'),
        priority       text    NOT NULL CHECK (priority IN ('always_check', 'important', 'reference')),
        created_at     double precision NOT NULL,
        is_latest      boolean NOT NULL DEFAULT false,
        archived_at    double precision,
        access_count   integer NOT NULL DEFAULT 0,
        search         tsvector NOT NULL,
        UNIQUE (project, topic, version),
        FOREIGN KEY (project, topic) REFERENCES topics (project, topic),
        CHECK (NOT is_latest OR archived_at IS NULL)
      );
      CREATE UNIQUE INDEX contexts_one_latest_per_topic ON contexts (project, topic) WHERE is_latest;
      CREATE INDEX contexts_latest_by_time ON contexts (project, created_at DESC, id DESC) WHERE is_latest;
      CREATE INDEX contexts_by_topic_minor ON contexts (project, topic, minor);
      CREATE INDEX contexts_search ON contexts USING gin (search) WHERE is_latest;
      CREATE INDEX contexts_tags ON contexts USING gin (tags jsonb_path_ops) WHERE is_latest;

      CREATE TABLE outcome_facts (
        id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project text  NOT NULL,
        topic   text  NOT NULL,
        facts   jsonb NOT NULL,
        keys    jsonb NOT NULL,
        UNIQUE (project, topic)
      );

      CREATE TABLE outcome_totals (
        project  text   NOT NULL PRIMARY KEY,
        runs     bigint NOT NULL,
        failures bigint NOT NULL
      );

      CREATE TABLE outcome_keys (
        project         text             NOT NULL,
        key             text             NOT NULL,
        latest_ms       double precision NOT NULL,
        time_zone       text             NOT NULL,
        failure_ms      double precision,
        failure_issue   text,
        failure_message text,
        failure_topic   text,
        PRIMARY KEY (project, key)
      );

      CREATE TABLE outcome_hours (
        project      text    NOT NULL,
        key          text    NOT NULL,
        hour         bigint  NOT NULL,
        hour_of_week integer NOT NULL,
        handling     text    NOT NULL,
        runs         bigint  NOT NULL,
        failures     bigint  NOT NULL,
        PRIMARY KEY (project, key, hour, hour_of_week, handling)
      );

      CREATE TABLE outcome_dimensions (
        project   text             NOT NULL,
        key       text             NOT NULL,
        dimension text             NOT NULL,
        value     text             NOT NULL,
        handling  text             NOT NULL,
        runs      bigint           NOT NULL,
        failures  bigint           NOT NULL,
        first_ms  double precision NOT NULL,
        last_ms   double precision NOT NULL,
        PRIMARY KEY (project, key, dimension, value, handling)
      );

      CREATE TABLE outcome_durations (
        project text    NOT NULL,
        key     text    NOT NULL,
        bucket  integer NOT NULL,
        count   bigint  NOT NULL,
        PRIMARY KEY (project, key, bucket)
      );

      CREATE TABLE outcome_windows (
        project            text             NOT NULL,
        key                text             NOT NULL,
        handling           text             NOT NULL,
        hour_of_week       integer          NOT NULL,
        runs               bigint           NOT NULL,
        failures           bigint           NOT NULL,
        failed_occurrences bigint           NOT NULL,
        latest_hour        bigint           NOT NULL,
        weighted_runs      double precision NOT NULL,
        weighted_failures  double precision NOT NULL,
        PRIMARY KEY (project, key, handling, hour_of_week)
      );
    `,
  },
  {
    version: 2,
    description: "each key's outcomes by hour of event time, for listing them",
    sql: `
      CREATE TABLE key_outcomes (
        project    text   NOT NULL,
        key        text   NOT NULL,
        hour       bigint NOT NULL,
        outcome_id bigint NOT NULL REFERENCES outcome_facts (id),
        PRIMARY KEY (project, key, hour, outcome_id)
      );

      INSERT INTO key_outcomes
      SELECT f.project, k.key, floor((f.facts->>'eventTimeMs')::float8 / 3600000)::bigint, f.id
      FROM outcome_facts AS f, jsonb_array_elements_text(f.keys) AS k (key);
    `,
  },
  {
    version: 3,
    description: 'full-text index with the recency bucket of each latest version',
    // The bucket is a second column of the same GIN index, so GIN intersects it with the words itself
    // (a common word's 16,000 matches among 1M versions shrink to the 500 of one bucket before any row is
    // read); a query on the words alone uses the index as the old one. The pending list of new entries
    // is read by every search, so it is kept to 256 kB (4 MB by default: about 2 ms more a search).
    sql: `
      CREATE INDEX contexts_search_by_bucket ON contexts
        USING gin (search, array_to_tsvector(ARRAY['b' || (id >> 15)]))
        WITH (gin_pending_list_limit = 256)
        WHERE is_latest;
      DROP INDEX contexts_search;
    `,
  },
];

/**
 * Bits of a version's id below its recency bucket: bucket `id >> 15` holds 32,768 consecutive ids. The
 * expression `array_to_tsvector(ARRAY['b' || (id >> 15)])` of migration 3 must be written exactly so in
 * queries, or PostgreSQL does not match it to the index.
 */
export const SEARCH_BUCKET_BITS = 15;

/** The PostgreSQL schema version this code writes and reads. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Key of the advisory lock that serializes migrations across servers (any fixed number will do). */
const MIGRATION_LOCK = 7_265_110_001;

/**
 * Brings the database to {@link PG_SCHEMA_VERSION} (or `upTo`), applying the missing migrations in one
 * transaction under an advisory lock, so several servers starting at once apply each migration once:
 * the others wait, then find nothing to do. Refuses a database written by a newer version of this
 * server. Returns the migrations applied.
 */
export async function migratePostgres(
  client: PoolClient,
  now: () => number,
  upTo: number = PG_SCHEMA_VERSION,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     integer PRIMARY KEY,
      description text    NOT NULL,
      applied_at  text    NOT NULL
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new Error(
        `database schema version ${current} is newer than this server supports (${PG_SCHEMA_VERSION}): upgrade @temporal-stompy/memory-server`,
      );
    }
    const applied: number[] = [];
    for (const migration of MIGRATIONS.slice(current, upTo)) {
      await client.query(migration.sql);
      await client.query(
        'INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.description, new Date(now()).toISOString()],
      );
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
