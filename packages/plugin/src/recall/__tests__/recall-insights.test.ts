import { countOutcomes, hourOfWeek, keyInsights, type OutcomeFacts } from '@temporal-stompy/insights';
import type { SearchHit } from '../../mcp/result-forms';
import type { SearchRequest, StompyClient } from '../../mcp/stompy-client';
import { readInsightsAnswer } from '../../mcp/insights-answer';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { MemoryRecall } from '../memory-recall';

// Against a server with the insights tool (our own), recall hands each attempt the server's exact
// insights of its keys, with its own window, and its risk; the insights come in the same round trip
// as the memories, and a server whose insights are missing or malformed costs the attempt nothing
// but them.

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2026, 0, 5);
const TUESDAY_15 = 24 + 15;
const BASE = { runs: 4_000, failures: 200 };

/** Eight weeks of chargePayment, 4 an hour; Tuesdays 15:00-16:00 UTC fail from week 2 on. */
function payments(): OutcomeFacts[] {
  const facts: OutcomeFacts[] = [];
  for (let hour = 0; hour < 8 * 168; hour++) {
    for (let i = 0; i < 4; i++) {
      const eventTimeMs = MONDAY + hour * HOUR + i * 600_000;
      const window = hourOfWeek(eventTimeMs);
      const failed = window === TUESDAY_15 ? hour >= 2 * 168 && i !== 3 : (hour * 4 + i) % 20 === 0;
      facts.push({
        kind: 'activity',
        workflowType: 'Order',
        activityType: 'chargePayment',
        failed,
        durationMs: 50,
        eventTimeMs,
        timeZone: 'UTC',
        window,
      });
    }
  }
  return facts;
}

function answerFor(keys: readonly string[]) {
  const byKey: Record<string, OutcomeFacts[]> = { 'activity:chargePayment': payments(), 'customer:C1': [] };
  return {
    base: BASE,
    insights: keys.map((key) => keyInsights(countOutcomes(key, byKey[key] ?? []), BASE, { exact: true })),
  };
}

function insightsServer(answer: (keys: readonly string[]) => unknown) {
  const started: string[] = [];
  const client = {
    // Takes writes in batches: recall searches (digests are for servers without it).
    extraTools: () => Promise.resolve({ batchWrites: true, batchSearch: true, outcomeInsights: true }),
    searchBatch: (searches: readonly SearchRequest[]) => {
      started.push('search');
      return new Promise<SearchHit[][]>((resolve) => setTimeout(() => resolve(searches.map(() => [])), 20));
    },
    outcomeInsights: (keys: readonly string[]) => {
      started.push(`insights ${keys.join(',')}`);
      const read = readInsightsAnswer(
        JSON.parse(JSON.stringify(answer(keys))) as Record<string, unknown>,
        keys,
      );
      return read ? Promise.resolve(read) : Promise.reject(new Error('malformed_result'));
    },
  } as unknown as StompyClient;
  return { client, started };
}

function recallWith(client: StompyClient) {
  const log = capturingLogger('info');
  const recall = new MemoryRecall(
    () => client,
    { budgetMs: 1_000, perKeyLimit: 20, cacheTtlMs: 60_000, cacheMaxKeys: 100, maxMemories: 10 },
    log.logger,
    new PluginCounters(),
  );
  return { recall, log };
}

const KEYS = ['customer:C1', 'activity:chargePayment'];
const attemptAt = (eventTimeMs: number) => ({
  activityType: 'chargePayment',
  typeKey: 'activity:chargePayment',
  eventTimeMs,
});

it('hands the attempt exact insights with its own window, and a high risk inside a pattern', async () => {
  const { client, started } = insightsServer(answerFor);
  const { recall } = recallWith(client);
  const inside = await recall.recall(KEYS, attemptAt(MONDAY + 9 * 168 * HOUR + TUESDAY_15 * HOUR + 60_000));
  // Both calls were under way together: one round trip for a first-seen key.
  expect(started).toEqual(['search', 'insights customer:C1,activity:chargePayment']);
  const charge = inside?.insights['activity:chargePayment'];
  expect(charge).toMatchObject({
    exact: true,
    runs: 8 * 168 * 4,
    window: { window: TUESDAY_15, label: 'Tuesdays 15:00-16:00 UTC', runs: 32 },
  });
  expect(charge?.window.failureRate).toBeGreaterThan(0.5);
  expect(charge && ('windows' in charge || 'unhandled' in charge)).toBe(false);
  expect(inside?.risk.level).toBe('high');
  expect(inside?.risk.reasons[0]).toMatch(
    /^chargePayment failed 18 of 32 times on Tuesdays 15:00-16:00 UTC \(5% otherwise\)$/,
  );
  expect(Object.isFrozen(charge) && Object.isFrozen(charge?.window)).toBe(true);

  const outside = await recall.recall(KEYS, attemptAt(MONDAY + 9 * 168 * HOUR + 3 * HOUR));
  expect(outside?.risk).toMatchObject({ level: 'low', reasons: [] });
  expect(outside?.insights['activity:chargePayment']?.window.window).toBe(3);
  // Served from the cache: no new calls, and the same frozen view for the same window.
  const again = await recall.recall(KEYS, attemptAt(MONDAY + 10 * 168 * HOUR + 3 * HOUR + 5));
  expect(started).toHaveLength(2);
  expect(again?.insights['activity:chargePayment']).toBe(outside?.insights['activity:chargePayment']);
});

it('runs with its memories when the insights are malformed, and says so', async () => {
  const { client } = insightsServer((keys) => ({
    base: BASE,
    insights: keys.map((key) => ({ key, runs: 'many' })),
  }));
  const { recall, log } = recallWith(client);
  const context = await recall.recall(KEYS, attemptAt(MONDAY));
  expect(context?.insights).toEqual({});
  expect(context?.risk).toMatchObject({ level: 'low', reasons: [] });
  expect(context?.complete).toBe(true);
  expect(log.has(/the server did not give insights/, 40)).toBe(true);
});

it('does not believe an answer that leaves out a key it was asked for', async () => {
  const { client } = insightsServer((keys) => ({
    ...answerFor(keys),
    insights: answerFor(keys).insights.slice(1),
  }));
  const { recall } = recallWith(client);
  expect((await recall.recall(KEYS, attemptAt(MONDAY)))?.insights).toEqual({});
});

it('asks the server again after this worker recorded a failure of a key, not after a success', async () => {
  const { client, started } = insightsServer(answerFor);
  const { recall } = recallWith(client);
  await recall.recall(KEYS, attemptAt(MONDAY));
  expect(started).toHaveLength(2);
  const note = (success: boolean) =>
    `Workflow: Order (o, run r)\nActivity: chargePayment, attempt 1\nSuccess: ${success ? 'yes' : 'no'}\n` +
    `Status: ${success ? 'completed' : 'failed'}\nIssues: ${success ? 'none' : 'GatewayTimeout: slow'}\n` +
    'Duration: 5 ms\nStarted: 2026-01-05T00:00:00.000Z';
  recall.remember(['customer:C1'], { topic: 'ok', content: note(true), tags: [], time: undefined, score: 0 });
  await recall.recall(KEYS, attemptAt(MONDAY));
  expect(started).toHaveLength(2);
  recall.remember(['customer:C1'], {
    topic: 'bad',
    content: note(false),
    tags: [],
    time: undefined,
    score: 0,
  });
  await recall.recall(KEYS, attemptAt(MONDAY));
  expect(started.slice(2)).toEqual(['search', 'insights customer:C1']);
});
