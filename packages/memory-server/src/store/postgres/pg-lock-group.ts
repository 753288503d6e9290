import type { Pool, PoolClient } from 'pg';
import { StoreError } from '../errors';
import type { LockWithOutcomeInput } from '../lock-with-outcome';
import { noveltyRefusal } from '../novelty';
import { validateOutcome, type OutcomeInput } from '../outcome-input';
import { lockRequest, type LockRequest } from '../requests';
import type { StoreSettings } from '../settings';
import type { LockContextResult } from '../types';
import { versionName } from '../versions';
import { HeldOutcomeCounts } from './pg-outcome-counts';
import { inTransaction } from './pg-pool';
import { searchVector } from './pg-search-text';

/** A topic's latest version as the group write tracks it. */
interface Latest {
  id: number;
  version: string;
  hash: string;
  content: string;
}

/** A version the group will insert. */
interface NewVersion {
  request: LockRequest;
  minor: number;
  version: string;
  outcome: OutcomeInput | undefined;
  /** Whether it is still the topic's latest at the end of the group. */
  latest: boolean;
}

/** Checks one entry: its lock request and outcome, or the StoreError that refuses it. */
function checked(
  input: LockWithOutcomeInput,
  settings: StoreSettings,
): { request: LockRequest; outcome: OutcomeInput | undefined } | StoreError {
  try {
    const { outcome, ...lock } = input;
    const request = lockRequest(lock, settings);
    return {
      request,
      outcome: outcome === undefined || outcome === null ? undefined : validateOutcome(outcome),
    };
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
}

const topicId = (project: string, topic: string): string => `${project}\u0000${topic}`;

/**
 * Many `lock_context` calls in one PostgreSQL transaction, with the SQLite adapter's results and
 * refusals: per entry, in order, its version (or the latest when identical) or the StoreError that
 * refused it alone (bad input, bad outcome, insufficient novelty). An entry's outcome is counted once,
 * when its context was newly stored and its topic never counted before.
 *
 * Concurrency: the group first locks the `topics` rows of every topic it writes, in sorted order, so
 * servers writing the same topic take turns (each reads the other's committed latest version and
 * issues the next number: never two `1.1`s) and two groups never wait on each other in a cycle. The
 * versions, the outcome facts and the counts then go in a few set-based statements.
 */
export function writeLockGroup(
  pool: Pool,
  settings: StoreSettings,
  contexts: readonly LockWithOutcomeInput[],
): Promise<(LockContextResult | StoreError)[]> {
  const entries = contexts.map((input) => checked(input, settings));
  const valid = entries.filter((e): e is Exclude<typeof e, StoreError> => !(e instanceof StoreError));
  if (valid.length === 0) return Promise.resolve(entries as StoreError[]);
  return inTransaction(pool, async (client) => {
    const { lastMinor, latest } = await lockTopics(
      client,
      valid.map((e) => e.request),
    );
    const results: (LockContextResult | StoreError)[] = [];
    const inserts: NewVersion[] = [];
    const retired: number[] = [];
    const newestInsert = new Map<string, NewVersion>();
    for (const entry of entries) {
      if (entry instanceof StoreError) {
        results.push(entry);
        continue;
      }
      const { request, outcome } = entry;
      const id = topicId(request.project, request.topic);
      const current = latest.get(id);
      if (current?.hash === request.hash) {
        results.push({
          id: current.id,
          topic: request.topic,
          version: current.version,
          project: request.project,
          created: false,
        });
        continue;
      }
      const threshold = settings.noveltyThreshold;
      if (current && threshold !== null && !request.force) {
        const refusal = noveltyRefusal(current.content, request.content, current.version, threshold);
        if (refusal !== undefined) {
          results.push(refusal);
          continue;
        }
      }
      const minor = (lastMinor.get(id) ?? -1) + 1;
      lastMinor.set(id, minor);
      const previous = newestInsert.get(id);
      if (previous) previous.latest = false;
      else if (current) retired.push(current.id);
      const version: NewVersion = { request, minor, version: versionName(minor), outcome, latest: true };
      inserts.push(version);
      newestInsert.set(id, version);
      latest.set(id, { id: -1, version: version.version, hash: request.hash, content: request.content });
      results.push({
        id: -1,
        topic: request.topic,
        version: version.version,
        project: request.project,
        created: true,
      });
    }
    if (inserts.length === 0) return results;
    const ids = await insertVersions(client, inserts, retired, lastMinor, settings.now());
    // New versions, and identical content later in the group, answer with the id just issued.
    results.forEach((result) => {
      if (result instanceof StoreError || result.id !== -1) return;
      result.id = ids.get(`${topicId(result.project, result.topic)}\u0000${result.version}`) ?? -1;
    });
    await countOutcomes(client, inserts);
    return results;
  });
}

/**
 * Locks the `topics` row of every topic of the group (creating missing ones) in sorted order, and
 * reads the last minor issued and the latest version of each.
 */
async function lockTopics(
  client: PoolClient,
  requests: readonly LockRequest[],
): Promise<{ lastMinor: Map<string, number>; latest: Map<string, Latest> }> {
  const topics = [...new Map(requests.map((r) => [topicId(r.project, r.topic), r])).values()].sort((a, b) =>
    a.project < b.project
      ? -1
      : a.project > b.project
        ? 1
        : a.topic < b.topic
          ? -1
          : a.topic > b.topic
            ? 1
            : 0,
  );
  const projects = topics.map((t) => t.project);
  const names = topics.map((t) => t.topic);
  await client.query(
    `INSERT INTO topics (project, topic, last_minor)
     SELECT project, topic, -1 FROM unnest($1::text[], $2::text[]) AS t (project, topic)
     ON CONFLICT (project, topic) DO NOTHING`,
    [projects, names],
  );
  const locked = await client.query<{ project: string; topic: string; last_minor: number }>(
    `SELECT t.project, t.topic, t.last_minor FROM topics AS t
     JOIN unnest($1::text[], $2::text[]) AS w (project, topic) USING (project, topic)
     ORDER BY t.project COLLATE "C", t.topic COLLATE "C" FOR UPDATE OF t`,
    [projects, names],
  );
  const latestRows = await client.query<{
    id: number;
    project: string;
    topic: string;
    version: string;
    content_sha256: string;
    content: string;
  }>(
    `SELECT c.id, c.project, c.topic, c.version, c.content_sha256, c.content FROM contexts AS c
     JOIN unnest($1::text[], $2::text[]) AS w (project, topic) USING (project, topic)
     WHERE c.is_latest`,
    [projects, names],
  );
  return {
    lastMinor: new Map(locked.rows.map((row) => [topicId(row.project, row.topic), row.last_minor])),
    latest: new Map(
      latestRows.rows.map((row) => [
        topicId(row.project, row.topic),
        { id: row.id, version: row.version, hash: row.content_sha256, content: row.content },
      ]),
    ),
  };
}

/** Retires the replaced latest versions, inserts the new ones and records the minors issued; returns their ids. */
async function insertVersions(
  client: PoolClient,
  inserts: readonly NewVersion[],
  retired: readonly number[],
  lastMinor: ReadonlyMap<string, number>,
  now: number,
): Promise<Map<string, number>> {
  if (retired.length > 0) {
    await client.query('UPDATE contexts SET is_latest = false WHERE id = ANY($1::bigint[])', [retired]);
  }
  const { rows } = await client.query<{ id: number; project: string; topic: string; version: string }>(
    `INSERT INTO contexts (project, topic, minor, version, content, content_sha256, tags, priority, created_at,
       is_latest, search)
     SELECT project, topic, minor, version, content, hash, tags::jsonb, priority, $9, latest, search::tsvector
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $10::boolean[], $11::text[])
       AS v (project, topic, minor, version, content, hash, tags, priority, latest, search)
     RETURNING id, project, topic, version`,
    [
      inserts.map((v) => v.request.project),
      inserts.map((v) => v.request.topic),
      inserts.map((v) => v.minor),
      inserts.map((v) => v.version),
      inserts.map((v) => v.request.content),
      inserts.map((v) => v.request.hash),
      inserts.map((v) => JSON.stringify(v.request.tags)),
      inserts.map((v) => v.request.priority),
      now,
      inserts.map((v) => v.latest),
      inserts.map((v) => searchVector(v.request)),
    ],
  );
  const topics = [...lastMinor.keys()];
  await client.query(
    `UPDATE topics AS t SET last_minor = m.last_minor
     FROM unnest($1::text[], $2::text[], $3::int[]) AS m (project, topic, last_minor)
     WHERE t.project = m.project AND t.topic = m.topic AND t.last_minor <> m.last_minor`,
    [
      topics.map((id) => id.split('\u0000')[0]),
      topics.map((id) => id.split('\u0000')[1]),
      topics.map((id) => lastMinor.get(id)),
    ],
  );
  return new Map(rows.map((row) => [`${topicId(row.project, row.topic)}\u0000${row.version}`, row.id]));
}

/**
 * Keeps the facts of each new version's outcome, once per (project, topic), files it under each of its keys
 * (`key_outcomes`), and counts those newly kept.
 */
async function countOutcomes(client: PoolClient, inserts: readonly NewVersion[]): Promise<void> {
  const withOutcome = inserts.filter(
    (v): v is NewVersion & { outcome: OutcomeInput } => v.outcome !== undefined,
  );
  if (withOutcome.length === 0) return;
  const { rows } = await client.query<{ project: string; topic: string }>(
    `WITH kept AS (
       INSERT INTO outcome_facts (project, topic, facts, keys)
       SELECT project, topic, facts::jsonb, keys::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS f (project, topic, facts, keys, n)
       ORDER BY n
       ON CONFLICT (project, topic) DO NOTHING
       RETURNING id, project, topic, facts, keys),
     filed AS (
       INSERT INTO key_outcomes (project, key, hour, outcome_id)
       SELECT kept.project, k.key, floor((kept.facts->>'eventTimeMs')::float8 / 3600000)::bigint, kept.id
       FROM kept, jsonb_array_elements_text(kept.keys) AS k (key))
     SELECT project, topic FROM kept`,
    [
      withOutcome.map((v) => v.request.project),
      withOutcome.map((v) => v.request.topic),
      withOutcome.map((v) => JSON.stringify(v.outcome.facts)),
      withOutcome.map((v) => JSON.stringify(v.outcome.keys)),
    ],
  );
  const kept = new Set(rows.map((row) => topicId(row.project, row.topic)));
  const held = new HeldOutcomeCounts();
  for (const version of withOutcome) {
    const id = topicId(version.request.project, version.request.topic);
    if (!kept.delete(id)) continue;
    held.add(version.request.project, version.outcome.keys, version.outcome.facts);
  }
  await held.write(client);
}
