import { generateOutcomes, keysOf, type GeneratedOutcome } from '@temporal-stompy/testing';
import { digestTopic } from '../../digest/digest-topics';
import type { StompyClient } from '../../mcp/stompy-client';
import { StompyUnavailableError } from '../../mcp/stompy-errors';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { tempDir } from '../../__tests__/helpers/outbox-test-kit';
import {
  baseOf,
  exactInsights,
  hostedClient,
  hostedWorker,
  outcomeWrite,
  startHostedServer,
  type HostedWorker,
} from '../../__tests__/helpers/hosted-workers';
import { DigestReader } from '../digest-reader';
import { MemoryRecall } from '../memory-recall';

// Recall against hosted Stompy reads every worker's digests of a key and merges them: two workers
// writing digests of the same keys give the exact insights of all their outcomes; a worker whose
// digests fall behind leaves only its share out until it catches up; a digest edited into garbage
// is skipped, counted and logged, and recall still answers.

let temp: ReturnType<typeof tempDir>;
let hosted: Awaited<ReturnType<typeof startHostedServer>>;
const workers: HostedWorker[] = [];
beforeEach(async () => {
  temp = tempDir();
  hosted = await startHostedServer(temp.dir);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.close();
  await hosted.close();
  temp.remove();
});

function startWorker(name: string, wrap?: (client: StompyClient) => StompyClient): HostedWorker {
  const worker = hostedWorker(hosted.server, `${temp.dir}/${name}.db`, {}, wrap);
  workers.push(worker);
  worker.delivery.start();
  return worker;
}

async function deliver(
  worker: HostedWorker,
  outcomes: readonly GeneratedOutcome[],
  flushMs = 30_000,
): Promise<void> {
  worker.outbox.enqueueAll(outcomes.map((o) => outcomeWrite(o)));
  await worker.delivery.flush(flushMs);
}

async function insightsOf(keys: readonly string[], reader?: DigestReader): Promise<unknown[]> {
  const { client, session } = hostedClient(hosted.server);
  try {
    const digests = reader ?? new DigestReader(Date.now, new PluginCounters(), capturingLogger().logger);
    const reads = await digests.read(client, keys);
    return (reads ?? []).map((r): unknown => JSON.parse(JSON.stringify(r.insights ?? null)));
  } finally {
    await session.close();
  }
}

it('merges two workers’ digests of the same keys into the exact insights of all their outcomes', async () => {
  const outcomes = generateOutcomes(800, 51).map((o, i) => ({
    ...o,
    // Distinct instants: which worker's tie came last is the server's arrival order.
    facts: { ...o.facts, eventTimeMs: o.facts.eventTimeMs + i },
  }));
  const [a, b] = [startWorker('a'), startWorker('b')];
  await Promise.all([
    deliver(
      a,
      outcomes.filter((_, i) => i % 2 === 0),
    ),
    deliver(
      b,
      outcomes.filter((_, i) => i % 2 === 1),
    ),
  ]);
  expect(a.outbox.aggregates.writerId()).not.toBe(b.outbox.aggregates.writerId());
  const keys = keysOf(outcomes);
  const insights = await insightsOf(keys);
  keys.forEach((key, i) => expect(insights[i]).toEqual(exactInsights(outcomes, key)));
});

it('leaves out a worker whose digests fall behind until it catches up', async () => {
  const outcomes = generateOutcomes(400, 52).map((o, i) => ({
    ...o,
    facts: { ...o.facts, eventTimeMs: o.facts.eventTimeMs + i },
  }));
  const ofA = outcomes.slice(0, 250);
  const ofB = outcomes.slice(250);
  let digestsBlocked = true;
  const a = startWorker('a');
  const b = startWorker('b', (client) => {
    const lockContext = client.lockContext.bind(client);
    client.lockContext = (write, timeoutMs) =>
      digestsBlocked && /^temporal:digest(-base)?:/.test(write.topic)
        ? Promise.reject(new StompyUnavailableError('lock_context', 'timed out'))
        : lockContext(write, timeoutMs);
    return client;
  });
  await deliver(a, ofA);
  // Its digests cannot be written: the flush gives up on them after a second.
  await deliver(b, ofB, 1_000);
  expect(b.outbox.pendingCount()).toBe(0);
  expect(b.outbox.aggregates.digestCounts().dirty).toBeGreaterThan(0);
  // The backlog says so: nothing pending, but digests the server lacks, and for how long.
  expect(b.delivery.backlog()).toMatchObject({
    known: true,
    pending: 0,
    digests: {
      dirty: b.outbox.aggregates.digestCounts().dirty,
      oldestDirtyAgeMs: expect.any(Number) as unknown,
    },
  });
  const keys = keysOf(outcomes);
  const behind = await insightsOf(keys);
  keys.forEach((key, i) =>
    expect(behind[i]).toEqual(ofA.some((o) => o.keys.includes(key)) ? exactInsights(ofA, key) : null),
  );

  digestsBlocked = false;
  await b.delivery.flush(30_000);
  expect(b.outbox.aggregates.digestCounts().dirty).toBe(0);
  const caughtUp = await insightsOf(keys);
  keys.forEach((key, i) => expect(caughtUp[i]).toEqual(exactInsights(outcomes, key)));
});

it('skips a digest edited into garbage, counts and logs it, and still recalls', async () => {
  const outcomes = generateOutcomes(300, 53, 4);
  const [a, b] = [startWorker('a'), startWorker('b')];
  await deliver(a, outcomes.slice(0, 150));
  await deliver(b, outcomes.slice(150));
  const key = 'customer:C1';
  const garbage = digestTopic(b.outbox.aggregates.writerId(), key);
  await a.client.lockContext({
    topic: garbage,
    content:
      'Someone edited this.\n---\n{"format": "temporal-stompy.digest/1", "key": "customer:C1", "handling": 7}',
    tags: [],
    priority: 'reference',
    forceStore: true,
  });

  const log = capturingLogger();
  const counters = new PluginCounters();
  const [insights] = await insightsOf([key], new DigestReader(Date.now, counters, log.logger));
  // Worker a's share of the key, against the base of both (b's base digest is readable).
  expect(insights).toEqual(exactInsights(outcomes.slice(0, 150), key, baseOf(outcomes)));
  expect(counters.snapshot().digestsUnreadable).toBe(1);
  const line = log.lines.find((l) => String(l.msg).includes('cannot be read'));
  expect(line).toMatchObject({ topic: garbage, problem: expect.any(String) as unknown });

  // Through MemoryRecall, as an activity recalls: it answers, with the readable worker's share.
  const { client, session } = hostedClient(hosted.server);
  try {
    const recall = new MemoryRecall(
      () => client,
      { budgetMs: 5_000, perKeyLimit: 20, cacheTtlMs: 30_000, cacheMaxKeys: 100, maxMemories: 10 },
      log.logger,
      counters,
    );
    const context = await recall.recall([key]);
    expect(context?.complete).toBe(true);
    const ofA = outcomes.slice(0, 150).filter((o) => o.keys.includes(key));
    expect(context?.insights[key]).toMatchObject({ key, exact: true, runs: ofA.length });
    expect(context?.memories.length).toBeGreaterThan(0);
    expect(counters.snapshot().digestsUnreadable).toBe(2);
  } finally {
    await session.close();
  }
});
