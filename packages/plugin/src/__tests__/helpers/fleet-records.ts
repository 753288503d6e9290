// What a fleet stored, read straight from its PostgreSQL database: every version of every outcome
// topic, so a test sees a doubled outcome the servers' reads would hide.
import { queryPostgres } from '@temporal-stompy/testing';
import { expectedAttempts } from '../fleet-fixtures/fleet-order';

/** The outcomes stored for the workflows whose ids start with a prefix. */
export interface StoredOutcomes {
  /** One entry per stored topic: `<workflowId>:run` or `<workflowId>:a<activityId>:<attempt>`, sorted. */
  readonly outcomes: string[];
  /** Topics stored in more than one version (should be none). */
  readonly doubled: string[];
  /** Workflows with outcomes of more than one run id (should be none: each ran once). */
  readonly severalRuns: string[];
  /** Rows of `outcome_facts` (the insights' input) for these topics. */
  readonly facts: number;
}

const TOPIC = /^temporal:(wf|act):[^:]+:([^:]+):([^:]+)(?::(a\d+:\d+))?$/;

/** Reads what the database at `url` holds for workflow ids starting with `prefix`. */
export async function storedOutcomes(url: string, prefix: string): Promise<StoredOutcomes> {
  const rows = await queryPostgres<{ topic: string; versions: number; facts: number }>(
    url,
    `SELECT c.topic, count(*)::int AS versions,
            (SELECT count(*)::int FROM outcome_facts f WHERE f.project = c.project AND f.topic = c.topic) AS facts
       FROM contexts c WHERE c.topic LIKE 'temporal:%' GROUP BY c.project, c.topic`,
  );
  const outcomes: string[] = [];
  const doubled: string[] = [];
  const runIds = new Map<string, Set<string>>();
  let facts = 0;
  for (const row of rows) {
    const [, kind, workflowId, runId, attempt] = TOPIC.exec(row.topic) ?? [];
    if (!workflowId?.startsWith(prefix) || runId === undefined) continue;
    outcomes.push(`${workflowId}:${kind === 'wf' ? 'run' : (attempt ?? '?')}`);
    if (row.versions !== 1) doubled.push(row.topic);
    runIds.set(workflowId, (runIds.get(workflowId) ?? new Set()).add(runId));
    facts += row.facts;
  }
  const severalRuns = [...runIds].filter(([, ids]) => ids.size > 1).map(([id]) => id);
  return { outcomes: outcomes.sort(), doubled, severalRuns, facts };
}

/** The outcomes orders `0..count-1` of workflow ids `<prefix><orderId>` must leave, sorted. */
export function expectedOutcomes(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, orderId) => [
    `${prefix}${orderId}:run`,
    ...expectedAttempts(orderId).map((attempt) => `${prefix}${orderId}:${attempt}`),
  ])
    .flat()
    .sort();
}
