import type { Logger } from 'pino';
import type { SearchHit } from '../mcp/result-forms';
import type { ContextWrite, StompyClient } from '../mcp/stompy-client';
import type { Outcome } from '../common/outcome';
import { recallKeysFor } from '../keys/memory-keys';
import type { RecalledContext, RecalledMemory } from './recalled-context';
import { summarizeKey } from './key-summary';
import type { PluginCounters } from '../support/plugin-counters';
import { TIMED_OUT, withDeadline } from '../support/deadline';
import { ThrottledLog } from '../support/throttled-log';
import { TokenBucket } from '../support/token-bucket';
import { BoundedCache } from '../support/bounded-cache';
import { cutText } from '../common/cut-text';

/** Tuning of {@link MemoryRecall}. */
export interface RecallSettings {
  /** Longest an activity waits for memory before it runs with what the cache has; default 150 ms. */
  budgetMs: number;
  /** Memories fetched per key; default 20. */
  perKeyLimit: number;
  /** How long a fetched key stays fresh in the cache; default 30 s. */
  cacheTtlMs: number;
  /** Most keys kept in the cache; default 10,000 (least recently used go first). */
  cacheMaxKeys: number;
  /** Memories returned across keys; default 10. */
  maxMemories: number;
  /** Calls a minute recall may make (its share of `memory.maxCallsPerMinute`); default: no cap. */
  maxCallsPerMinute?: number;
}

/** Calls one key's fetch makes: its recent memories, and its issues. */
const CALLS_PER_FETCH = 2;

/** Recalls in a row that miss the budget before recall stops waiting (until a fetch succeeds). */
const DEGRADE_AFTER_MISSES = 3;
/** Shortest interval between two identical recall warnings. */
const LOG_INTERVAL_MS = 10_000;

/** Most characters of one memory's content kept in the caches (and so handed to an activity). */
export const MAX_MEMORY_CONTENT_CHARS = 4000;
/** Most bytes the fetched memories take in the cache; the least recently fetched keys go first. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Most bytes this worker's own recorded outcomes take; they are needed only until the server has them. */
const MAX_RECORDED_BYTES = 16 * 1024 * 1024;
/** How long this worker's own outcomes are kept for recall: by then delivery has long sent them. */
const RECORDED_MAX_AGE_MS = 10 * 60_000;

/**
 * Recalls memory for an activity attempt's keys within a time budget. Each key is looked up with
 * `context_search` filtered by that key's tag (its recent memories, and its issues), through an LRU cache: fresh keys cost nothing, and
 * in-flight fetches are shared. When the budget runs out the attempt gets what the cache has and the
 * fetch completes in the background to warm the cache. Never throws.
 */
export class MemoryRecall {
  /** Fetched memories per key; an entry past its freshness is still the fallback when a fetch fails. */
  private readonly cache: BoundedCache<RecalledMemory[]>;
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly overBudgetLog: ThrottledLog;
  private readonly failureLog: ThrottledLog;
  private readonly rateLimitLog: ThrottledLog;
  private readonly calls: TokenBucket;
  private consecutiveMisses = 0;
  private degraded = false;
  /** Outcomes this worker recorded, per key, newest first: visible before the server has them. */
  private readonly recorded: BoundedCache<RecalledMemory[]>;

  constructor(
    private readonly client: () => StompyClient,
    private readonly settings: RecallSettings,
    private readonly logger: Logger,
    private readonly counters: PluginCounters,
    private readonly now: () => number = Date.now,
  ) {
    this.overBudgetLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    this.failureLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    this.rateLimitLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS, now });
    this.cache = new BoundedCache(
      { maxEntries: settings.cacheMaxKeys, maxBytes: MAX_CACHE_BYTES, sizeOf: memoriesSize },
      now,
    );
    this.recorded = new BoundedCache(
      {
        maxEntries: settings.cacheMaxKeys,
        maxBytes: MAX_RECORDED_BYTES,
        sizeOf: memoriesSize,
        maxAgeMs: RECORDED_MAX_AGE_MS,
      },
      now,
    );
    const perMinute = settings.maxCallsPerMinute ?? Number.POSITIVE_INFINITY;
    // Ten seconds' worth of calls may be saved up, and always one fetch's.
    this.calls = new TokenBucket(perMinute, Math.max(CALLS_PER_FETCH, Math.ceil(perMinute / 6)), now());
  }

  /** Memory for `keys` (tags such as `customer:C1`), waiting at most the budget. */
  async recall(keys: readonly string[]): Promise<RecalledContext | undefined> {
    if (keys.length === 0) return undefined;
    const stale = keys.filter((key) => !this.isFresh(key));
    let complete = true;
    if (stale.length > 0) {
      const fetches = Promise.all(stale.map((key) => this.fetch(key)));
      // While the server keeps missing the budget, do not wait at all: answer from the cache and let
      // the fetches run in the background, so an outage costs activities nothing. A fetch that
      // succeeds ends this.
      const budgetMs = this.degraded ? 0 : this.settings.budgetMs;
      const settled = await withDeadline(fetches, budgetMs);
      const results = settled === TIMED_OUT ? undefined : settled;
      complete = results !== undefined && results.every(Boolean);
      if (results === undefined) this.counters.add('recallsOverBudget');
      if (!complete) {
        this.consecutiveMisses += 1;
        if (this.consecutiveMisses >= DEGRADE_AFTER_MISSES) this.degraded = true;
        if (results === undefined) {
          this.overBudgetLog.log(
            { keys: stale, budgetMs, degraded: this.degraded },
            'ran out of budget; the activity runs with cached memory (the fetch continues in the background)',
          );
        }
      }
    }
    if (complete) this.counters.add('recallsServed');
    return this.assemble(keys, complete);
  }

  /** Files an outcome this worker just recorded under the keys it is recalled by, so the next recall sees it at once. */
  rememberOutcome(outcome: Outcome, write: ContextWrite): void {
    this.remember(recallKeysFor(outcome.keys, outcome.activity?.activityType), {
      topic: write.topic,
      content: write.content,
      tags: [...write.tags],
      time: new Date(outcome.endedAtMs).toISOString(),
      score: 0,
    });
  }

  /** Adds a memory to the cached memories of its keys, ahead of what the server returned. */
  remember(keys: readonly string[], memory: RecalledMemory): void {
    const kept = trimmed(memory);
    for (const key of keys) {
      const list = [kept, ...(this.recorded.get(key) ?? []).filter((m) => m.topic !== kept.topic)];
      this.recorded.set(key, list.slice(0, this.settings.perKeyLimit));
    }
  }

  private isFresh(key: string): boolean {
    const fetchedAt = this.cache.storedAt(key);
    return fetchedAt !== undefined && this.now() - fetchedAt < this.settings.cacheTtlMs;
  }

  /** Fetches one key into the cache (true when it worked); callers share one fetch; failures are logged, not thrown. */
  private fetch(key: string): Promise<boolean> {
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    if (!this.calls.tryTake(this.now(), CALLS_PER_FETCH)) {
      this.rateLimitLog.log(
        { key, maxCallsPerMinute: this.settings.maxCallsPerMinute },
        'at its share of memory.maxCallsPerMinute; the activity runs with cached memory',
      );
      return Promise.resolve(false);
    }
    const client = this.client();
    const limit = this.settings.perKeyLimit;
    // Two searches: the key's most relevant recent memories, and its issues. Failures are often rare;
    // without the second they would fall out of the first and the summary would miss them. The tag
    // filter does the selecting; the query is the key's value (`C42`), which every server accepts,
    // without the name (`customer`), a word in every outcome that only makes full-text search slower.
    const query = key.slice(key.indexOf(':') + 1) || key;
    const pending = Promise.all([
      client.search(query, { tags: [key], limit }),
      client.search(query, { tags: [key, 'issue'], limit }),
    ])
      .then(([recent, issues]) => {
        this.store(key, mergeByTopic(recent, issues).map(toMemory));
        this.consecutiveMisses = 0;
        this.degraded = false;
        return true;
      })
      .catch((error: unknown) => {
        this.counters.add('recallsFailed');
        this.failureLog.log(
          { err: error, key },
          'failed; the activity runs without fresh memory for this key',
        );
        return false;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, pending);
    return pending;
  }

  private store(key: string, memories: RecalledMemory[]): void {
    this.cache.set(key, memories);
  }

  /** A key's memories: what this worker recorded (newest first), then what the server returned. */
  private memoriesOf(key: string): RecalledMemory[] | undefined {
    const fetched = this.cache.get(key);
    const recorded = this.recorded.get(key);
    if (!recorded) return fetched;
    const topScore = Math.max(1, ...(fetched ?? []).map((m) => m.score));
    const local = recorded.map((m) => ({ ...m, score: topScore }));
    const localTopics = new Set(local.map((m) => m.topic));
    return [...local, ...(fetched ?? []).filter((m) => !localTopics.has(m.topic))];
  }

  private assemble(keys: readonly string[], complete: boolean): RecalledContext | undefined {
    const byTopic = new Map<string, RecalledMemory>();
    const summaries: RecalledContext['summaries'] = {};
    let any = false;
    for (const key of keys) {
      const memories = this.memoriesOf(key);
      if (!memories) continue;
      any = true;
      summaries[key] = summarizeKey(key, memories);
      for (const memory of memories) {
        const seen = byTopic.get(memory.topic);
        if (!seen || seen.score < memory.score) byTopic.set(memory.topic, memory);
      }
    }
    if (!any) return undefined;
    const memories = [...byTopic.values()]
      .sort((a, b) => b.score - a.score || (b.time ?? '').localeCompare(a.time ?? ''))
      .slice(0, this.settings.maxMemories);
    return { keys: [...keys], memories, summaries, complete, recalledAt: new Date(this.now()).toISOString() };
  }
}

/** Approximate bytes a list of memories holds (two bytes a character, and some for the object). */
function memoriesSize(memories: RecalledMemory[]): number {
  return memories.reduce((sum, m) => sum + 2 * (m.content.length + m.topic.length) + 200, 0);
}

/** A memory with its content cut to {@link MAX_MEMORY_CONTENT_CHARS}. */
function trimmed(memory: RecalledMemory): RecalledMemory {
  return memory.content.length <= MAX_MEMORY_CONTENT_CHARS
    ? memory
    : { ...memory, content: `${cutText(memory.content, MAX_MEMORY_CONTENT_CHARS)}…` };
}

function mergeByTopic(first: readonly SearchHit[], second: readonly SearchHit[]): SearchHit[] {
  const seen = new Set(first.map((h) => h.topic));
  return [...first, ...second.filter((h) => !seen.has(h.topic))];
}

function toMemory(hit: SearchHit): RecalledMemory {
  return trimmed({
    topic: hit.topic,
    content: hit.content,
    tags: hit.tags,
    time: hit.lockedAt,
    score: hit.score,
  });
}
