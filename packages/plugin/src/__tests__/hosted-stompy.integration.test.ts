import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StompyPlugin, type RecalledContext } from '../index';
import { capturingLogger } from './helpers/capturing-logger';
import * as activities from './helpers/failure-activities';
import { onFailureWorker, QUIET_OK } from './helpers/failure-runs';
import { HOSTED_TOKEN, startHostedServer } from './helpers/hosted-workers';
import { useTestbed } from './helpers/testbed';

// The plugin as a user on hosted Stompy's free plan runs it, on a real Temporal worker: against our
// server's hosted emulation over HTTP (Stompy's tools only, 60 calls a minute, 20 in 10 s), with
// `maxCallsPerMinute: 60, burst: 20`. Outcomes go out in packs and digests, never one context each;
// the server never has to refuse a call; a later run recalls exact insights from the digests. The
// same plugin against our full server still writes with the batch tool and reads its insights.

const bed = useTestbed('hosted-stompy');
const folder = (): string => dirname(bed.file('x'));
const RULES = [{ workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } }];

/** Runs ThreeSteps `count` times for customer C1 on a new worker; returns what each attempt recalled. */
async function runFor(plugin: StompyPlugin, count: number): Promise<(RecalledContext | undefined)[]> {
  const ids: string[] = [];
  await onFailureWorker(bed, plugin, async (taskQueue) => {
    for (let i = 0; i < count; i++) {
      ids.push(`${taskQueue}-${i}`);
      await bed.env.client.workflow.execute('ThreeSteps', {
        taskQueue,
        workflowId: `${taskQueue}-${i}`,
        args: [{ customerId: 'C1' }],
      });
    }
  });
  return [...activities.recalled.entries()]
    .filter(([key]) => ids.some((id) => key.startsWith(`${id}/`)))
    .map(([, context]) => context);
}

/** The latest topics a memory server's file holds. */
function storedTopics(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT topic FROM contexts WHERE is_latest = 1').all() as { topic: string }[]).map(
      (r) => r.topic,
    );
  } finally {
    db.close();
  }
}

const logs = capturingLogger();
function pluginFor(url: string, name: string, hosted: boolean): StompyPlugin {
  return new StompyPlugin({
    memory: {
      url: `${url}/mcp`,
      token: HOSTED_TOKEN,
      ...(hosted ? { maxCallsPerMinute: 60, burst: 20 } : {}),
    },
    outbox: { path: bed.file(`${name}-outbox.db`) },
    recall: { budgetMs: 2_000, cacheTtlMs: 0 },
    rules: RULES,
    shutdownFlushMs: 10_000,
    logger: logs.logger,
  });
}

it('on the free plan: packs and digests, no refused call, and exact insights recalled from digests', async () => {
  const hosted = await startHostedServer(folder(), { perMinute: 60, burst: 20 });
  try {
    const stompy = pluginFor(hosted.server.url, 'hosted', true);
    // The worker's shutdown flush writes what it recorded: packs, then its digests.
    await runFor(stompy, 3);
    const topics = storedTopics(`${folder()}/hosted-memory.db`);
    expect(topics.filter((t) => /^temporal:(act|wf):/.test(t))).toEqual([]);
    expect(topics.some((t) => t.startsWith('temporal:pack:'))).toBe(true);
    expect(
      topics
        .filter((t) => t.startsWith('temporal:digest:'))
        .map((t) => t.split(':').slice(3).join(':'))
        .sort(),
    ).toEqual(['activity:step', 'customer:C1', 'workflow:ThreeSteps']);
    expect(stompy.counters()).toMatchObject({ ...QUIET_OK, outcomesQueued: 12, outcomesDelivered: 12 });

    // Nine recalls (no cache) and the deliveries spent this 10-second window's burst; the next
    // window is the budget's to share again.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const later = await runFor(stompy, 1);
    // Each attempt recalls C1's digests: exact insights of the 12 earlier outcomes, and their notes.
    const first = later[0];
    expect(first?.insights['customer:C1']).toMatchObject({ key: 'customer:C1', exact: true, runs: 12 });
    expect(first?.memories.some((m) => m.topic.startsWith('temporal:act:'))).toBe(true);
    expect(hosted.answered.filter((a) => a.status === 429)).toEqual([]);
    expect(hosted.answered.length).toBeLessThanOrEqual(60);
    expect(stompy.counters()).toMatchObject(QUIET_OK);
    expect(logs.errors()).toEqual([]);
  } finally {
    await hosted.close();
  }
});

it('against our full server: the batch tool writes one context per outcome, and insights come from the server', async () => {
  const full = await startHostedServer(folder(), {}, 'local');
  try {
    const stompy = pluginFor(full.server.url, 'full', false);
    await runFor(stompy, 2);
    const topics = storedTopics(`${folder()}/local-memory.db`);
    expect(topics.filter((t) => /^temporal:(act|wf):/.test(t))).toHaveLength(8);
    expect(topics.filter((t) => /^temporal:(pack|digest)/.test(t))).toEqual([]);
    const later = await runFor(stompy, 1);
    expect(later[0]?.insights['customer:C1']).toMatchObject({ exact: true, runs: 8 });
  } finally {
    await full.close();
  }
});
