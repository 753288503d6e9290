import type { BaseCounts } from '@temporal-stompy/insights';
import type { Logger } from 'pino';
import type { Outcome } from '../common/outcome';
import { recallKeysFor } from '../keys/memory-keys';
import type { ContextWrite, StompyClient } from '../mcp/stompy-client';
import { CLIENT_RATE_LIMIT } from '../mcp/stompy-errors';
import { TIMED_OUT, withDeadline } from '../support/deadline';
import type { PluginCounters } from '../support/plugin-counters';
import { ThrottledLog } from '../support/throttled-log';
import { assembleContext, type RecallAttempt } from './assemble-context';
import { DigestReader } from './digest-reader';
import { KeyFetcher, type FetchResult } from './key-fetcher';
import { KeyMemories } from './key-memories';
import type { RecalledContext, RecalledMemory } from './recalled-context';

export { MAX_MEMORY_CONTENT_CHARS } from './key-memories';

/** Tuning of {@link MemoryRecall}. */
export interface RecallSettings {
  /** Longest an activity waits for memory before it runs with what the cache has; default 150 ms. */
  readonly budgetMs: number;
  /** Memories fetched per key; default 20. */
  readonly perKeyLimit: number;
  /** How long a fetched key stays fresh in the cache; default 30 s. */
  readonly cacheTtlMs: number;
  /** Most keys kept in the cache; default 10,000 (least recently used go first). */
  readonly cacheMaxKeys: number;
  /** Memories returned across keys; default 10. */
  readonly maxMemories: number;
  /** Calls a minute recall may make (its share of `memory.maxCallsPerMinute`); default: no cap. */
  readonly maxCallsPerMinute?: number;
  /** Half-life of the evidence behind time patterns, in days of event time; default 28. */
  readonly halfLifeDays?: number;
  /** The writer id of this worker's own digests, read whatever the register says; default none. */
  readonly ownWriter?: () => Promise<string | undefined>;
}

/** The half-life insights use unless `recall.halfLifeDays` says otherwise. */
const DEFAULT_HALF_LIFE_DAYS = 28;

/** Recalls in a row that miss the budget before recall stops waiting (until a fetch succeeds). */
const DEGRADE_AFTER_MISSES = 3;
/** Shortest interval between two identical recall warnings. */
const LOG_INTERVAL_MS = 10_000;

/**
 * Recalls memory for an activity attempt's keys within a time budget. Fresh keys cost nothing: they
 * are answered from {@link KeyMemories}, whose views and insights are computed once per change.
 * Stale keys are fetched ({@link KeyFetcher}); when the budget runs out the attempt gets what the
 * cache has and the fetch completes in the background to warm it. After a few misses in a row recall
 * stops waiting at all until a fetch succeeds, so an outage costs activities nothing. Never throws.
 */
export class MemoryRecall {
  private readonly memories: KeyMemories;
  private readonly fetcher: KeyFetcher;
  private readonly overBudgetLog: ThrottledLog;
  private readonly failureLog: ThrottledLog;
  private readonly rateLimitLog: ThrottledLog;
  private readonly insightsLog: ThrottledLog;
  private consecutiveMisses = 0;
  private degraded = false;
  /** The whole memory's runs and failures, as the server's last insights answer gave them. */
  private base: BaseCounts = { runs: 0, failures: 0 };

  constructor(
    client: () => StompyClient,
    private readonly settings: RecallSettings,
    logger: Logger,
    private readonly counters: PluginCounters,
    private readonly now: () => number = Date.now,
  ) {
    this.overBudgetLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    this.failureLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    this.rateLimitLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    this.insightsLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    const limits = {
      maxKeys: settings.cacheMaxKeys,
      perKeyLimit: settings.perKeyLimit,
      ttlMs: settings.cacheTtlMs,
    };
    this.memories = new KeyMemories(limits, now);
    this.fetcher = new KeyFetcher(
      client,
      settings.perKeyLimit,
      settings.maxCallsPerMinute,
      now,
      settings.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
      new DigestReader(now, counters, logger, settings.ownWriter),
    );
  }

  /**
   * Memory for `keys` (tags such as `customer:C1`), waiting at most the budget, with the insights of
   * each key and the risk of `attempt` (by default: no type, no version, now).
   */
  async recall(keys: readonly string[], attempt?: RecallAttempt): Promise<RecalledContext | undefined> {
    if (keys.length === 0) return undefined;
    const stale = keys.filter((key) => !this.memories.isFresh(key));
    const complete = stale.length === 0 || (await this.refresh(stale));
    if (complete) this.counters.add('recallsServed');
    const views = keys.map((key) => this.memories.view(key));
    const now = this.now();
    return assembleContext(keys, views, {
      maxMemories: this.settings.maxMemories,
      complete,
      recalledAt: new Date(now).toISOString(),
      attempt: attempt ?? { eventTimeMs: now },
      base: this.base,
    });
  }

  /** Files an outcome this worker just recorded under the keys it is recalled by, so the next recall sees it at once. */
  rememberOutcome(outcome: Outcome, write: ContextWrite): void {
    this.remember(recallKeysFor(outcome.keys, outcome.activity?.activityType), {
      topic: write.topic,
      content: write.content,
      tags: write.tags,
      time: new Date(outcome.endedAtMs).toISOString(),
      score: 0,
    });
  }

  /** Adds a memory to the cached memories of its keys, ahead of what the server returned. */
  remember(keys: readonly string[], memory: RecalledMemory): void {
    this.memories.storeRecorded(keys, memory);
  }

  /** Fetches stale keys within the budget; true when every one was fetched in time. */
  private async refresh(stale: readonly string[]): Promise<boolean> {
    const fetches = Promise.all(
      this.fetcher
        .fetchAll(stale)
        .map((fetch, i) => fetch.then((result) => this.file(stale[i] ?? '', result))),
    );
    // While the server keeps missing the budget, do not wait at all: answer from the cache and let
    // the fetches run in the background. A fetch that succeeds ends this.
    const budgetMs = this.degraded ? 0 : this.settings.budgetMs;
    const results = await withDeadline(fetches, budgetMs);
    if (results === TIMED_OUT) this.counters.add('recallsOverBudget');
    else if (results.includes('rate-limited')) this.counters.add('recallsRateLimited');
    const complete = results !== TIMED_OUT && results.every((kind) => kind === 'fetched');
    if (complete) return true;
    this.consecutiveMisses += 1;
    if (this.consecutiveMisses >= DEGRADE_AFTER_MISSES) this.degraded = true;
    if (results === TIMED_OUT) {
      this.overBudgetLog.log(
        { keys: stale, budgetMs, degraded: this.degraded },
        'ran out of budget; the activity runs with cached memory (the fetch continues in the background)',
      );
    }
    return false;
  }

  /** Stores what a fetch brought, and counts and logs what went wrong. */
  private file(key: string, result: FetchResult): FetchResult['kind'] {
    switch (result.kind) {
      case 'fetched': {
        const insights = result.insights;
        if (insights && 'insights' in insights) this.base = insights.base;
        else if (insights) {
          this.insightsLog.log(
            { err: insights.error, key },
            'the server did not give insights; the activity runs with the memories it recalled',
          );
        }
        this.memories.storeFetched(
          key,
          result.memories,
          insights && 'insights' in insights ? insights.insights : undefined,
        );
        this.consecutiveMisses = 0;
        this.degraded = false;
        break;
      }
      case 'failed':
        this.counters.add('recallsFailed');
        this.failureLog.log(
          { err: result.error, key },
          'failed; the activity runs without fresh memory for this key',
        );
        break;
      case 'rate-limited':
        if (result.refusal && result.refusal.code !== CLIENT_RATE_LIMIT) {
          this.rateLimitLog.log(
            { key, retryAfterSeconds: result.refusal.retryAfterSeconds },
            'the memory server is at its rate limit; the activity runs with cached memory',
          );
        } else {
          this.rateLimitLog.log(
            { key, retryAfterSeconds: result.refusal?.retryAfterSeconds },
            'no room in the call budget (memory.maxCallsPerMinute) for recall; the activity runs with cached memory',
          );
        }
    }
    return result.kind;
  }
}
