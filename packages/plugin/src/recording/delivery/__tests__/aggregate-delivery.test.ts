import { generateOutcomes, keysOf } from '@temporal-stompy/testing';
import { digestTopic } from '../../../digest/digest-topics';
import type { StompyClient } from '../../../mcp/stompy-client';
import { StompyUnavailableError } from '../../../mcp/stompy-errors';
import { PACK_TAG } from '../../../outcome/outcome-pack';
import { DigestReader } from '../../../recall/digest-reader';
import { PluginCounters } from '../../../support/plugin-counters';
import { tempDir } from '../../../__tests__/helpers/outbox-test-kit';
import { silentLogger } from '../../../__tests__/helpers/silent-logger';
import {
  exactInsights,
  hostedClient,
  hostedWorker,
  outcomeWrite,
  startHostedServer,
} from '../../../__tests__/helpers/hosted-workers';

// Against our server's hosted emulation over real HTTP (no batch tool, novelty gate, 100,000-byte
// content): outcomes go out in packs and each key's counts in a digest, every outcome stored once
// and counted once, through lost answers and restarts; insights read back from the digests equal
// the exact ones.

let temp: ReturnType<typeof tempDir>;
let hosted: Awaited<ReturnType<typeof startHostedServer>>;
beforeEach(async () => {
  temp = tempDir();
  hosted = await startHostedServer(temp.dir);
});
afterEach(async () => {
  await hosted.close();
  temp.remove();
});

/** Every outcome topic in the server's packs, as often as it appears. */
async function packedTopics(client: StompyClient): Promise<string[]> {
  const packs = await client.search('Outcomes', { tags: [PACK_TAG], limit: 100 });
  return packs.flatMap((p) => [...p.content.matchAll(/^--- (\S+)$/gm)].map((m) => m[1] ?? ''));
}

async function readDigests(
  keys: readonly string[],
): Promise<{ insights: unknown[]; counters: PluginCounters }> {
  const { client, session } = hostedClient(hosted.server);
  const counters = new PluginCounters();
  try {
    const reads = await new DigestReader(Date.now, counters, silentLogger).read(client, keys);
    return {
      insights: (reads ?? []).map((r): unknown => JSON.parse(JSON.stringify(r.insights ?? null))),
      counters,
    };
  } finally {
    await session.close();
  }
}

it('delivers outcomes in packs and digests, each stored and counted once, with exact insights', async () => {
  const outcomes = generateOutcomes(600, 41);
  const worker = hostedWorker(hosted.server, `${temp.dir}/outbox.db`);
  const calls: string[] = [];
  const lockContext = worker.client.lockContext.bind(worker.client);
  worker.client.lockContext = (write, timeoutMs) => {
    calls.push(write.topic);
    return lockContext(write, timeoutMs);
  };
  try {
    worker.outbox.enqueueAll(outcomes.map((o) => outcomeWrite(o, 600)));
    worker.delivery.start();
    const flushed = await worker.delivery.flush(30_000);
    expect(flushed).toEqual({ delivered: 600, remaining: 0 });
    expect(worker.outbox.aggregates.digestCounts().dirty).toBe(0);
    const packs = calls.filter((t) => t.startsWith('temporal:pack:'));
    const keys = keysOf(outcomes);
    // About 400 KB of notes in packs under 90 KB; one digest per key and the base; the register.
    expect(packs.length).toBeGreaterThanOrEqual(5);
    expect(packs.length).toBeLessThanOrEqual(7);
    expect(calls).toHaveLength(packs.length + keys.length + 2);
    const topics = await packedTopics(worker.client);
    expect(topics.sort()).toEqual(outcomes.map((o) => o.topic).sort());
    const { insights } = await readDigests(keys);
    keys.forEach((key, i) => expect(insights[i]).toEqual(exactInsights(outcomes, key)));
  } finally {
    await worker.close();
  }
});

it('sends a pack whose answer was lost again under the same topic, and counts it once', async () => {
  const outcomes = generateOutcomes(200, 42);
  let lost = 0;
  const worker = hostedWorker(hosted.server, `${temp.dir}/outbox.db`, {}, (client) => {
    const lockContext = client.lockContext.bind(client);
    client.lockContext = async (write, timeoutMs) => {
      const receipt = await lockContext(write, timeoutMs);
      // The server stored the first two packs; their answers never arrive.
      if (write.topic.startsWith('temporal:pack:') && lost++ < 2)
        throw new StompyUnavailableError('lock_context', 'connection reset');
      return receipt;
    };
    return client;
  });
  try {
    worker.outbox.enqueueAll(outcomes.map((o) => outcomeWrite(o, 1_000)));
    worker.delivery.start();
    expect(await worker.delivery.flush(30_000)).toEqual({ delivered: 200, remaining: 0 });
    expect(lost).toBeGreaterThan(2);
    expect((await packedTopics(worker.client)).sort()).toEqual(outcomes.map((o) => o.topic).sort());
    const keys = keysOf(outcomes);
    const { insights } = await readDigests(keys);
    keys.forEach((key, i) => expect(insights[i]).toEqual(exactInsights(outcomes, key)));
  } finally {
    await worker.close();
  }
});

it('writes a digest again after a restart between its write and its acknowledgement', async () => {
  const outcomes = generateOutcomes(150, 43);
  const path = `${temp.dir}/outbox.db`;
  const first = hostedWorker(hosted.server, path, {}, (client) => {
    const lockContext = client.lockContext.bind(client);
    client.lockContext = async (write, timeoutMs) => {
      const receipt = await lockContext(write, timeoutMs);
      // The process dies with every digest written but none acknowledged.
      if (write.topic.startsWith('temporal:digest:'))
        throw new StompyUnavailableError('lock_context', 'killed');
      return receipt;
    };
    return client;
  });
  first.outbox.enqueueAll(outcomes.map((o) => outcomeWrite(o)));
  first.delivery.start();
  await first.delivery.flush(2_000);
  expect(first.outbox.aggregates.digestCounts().dirty).toBeGreaterThan(0);
  await first.close();

  const second = hostedWorker(hosted.server, path);
  try {
    second.delivery.start();
    await second.delivery.flush(30_000);
    expect(second.outbox.aggregates.digestCounts().dirty).toBe(0);
    expect(second.outbox.aggregates.writerId()).toBe(first.outbox.aggregates.writerId());
    const keys = keysOf(outcomes);
    const { insights } = await readDigests(keys);
    keys.forEach((key, i) => expect(insights[i]).toEqual(exactInsights(outcomes, key)));
  } finally {
    await second.close();
  }
});

it('stores every digest update past the novelty gate, even one outcome apart', async () => {
  const outcomes = generateOutcomes(60, 44, 2);
  const worker = hostedWorker(hosted.server, `${temp.dir}/outbox.db`);
  try {
    worker.delivery.start();
    worker.outbox.enqueueAll(outcomes.slice(0, 59).map((o) => outcomeWrite(o)));
    await worker.delivery.flush(30_000);
    worker.outbox.enqueueAll(outcomes.slice(59).map((o) => outcomeWrite(o)));
    await worker.delivery.flush(30_000);
    expect(worker.outbox.aggregates.digestCounts().dirty).toBe(0);
    const key = outcomes[59]!.keys[0]!;
    const stored = await worker.client.recallContext(digestTopic(worker.outbox.aggregates.writerId(), key));
    expect(stored?.version).toBe('1.1');
    expect(worker.log.lines.some((l) => String(l.msg).includes('refused'))).toBe(false);
    const { insights } = await readDigests([key]);
    expect(insights[0]).toEqual(exactInsights(outcomes, key));
  } finally {
    await worker.close();
  }
});
