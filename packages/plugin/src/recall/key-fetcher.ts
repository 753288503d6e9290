import type { BaseCounts, KeyInsights } from '@temporal-stompy/insights';
import type { InsightsAnswer } from '../mcp/insights-answer';
import type { SearchHit } from '../mcp/result-forms';
import {
  BATCH_SEARCH_LIMIT,
  INSIGHTS_KEY_LIMIT,
  type SearchRequest,
  type StompyClient,
} from '../mcp/stompy-client';
import { CLIENT_RATE_LIMIT, StompyToolError } from '../mcp/stompy-errors';
import { TokenBucket } from '../support/token-bucket';
import type { DigestReader } from './digest-reader';
import type { RecalledMemory } from './recalled-context';

/** The server's insights of a fetched key: exact, with the counts of the whole memory; or why there are none. */
export type FetchedInsights =
  { readonly insights: KeyInsights; readonly base: BaseCounts } | { readonly error: unknown } | undefined;

/**
 * How a key's fetch ended: its memories (and the server's insights, when it offers them), a failure,
 * or rate-limited: no call made because recall is at its share of calls, or the server refused for
 * its own rate limit.
 */
export type FetchResult =
  | {
      readonly kind: 'fetched';
      readonly memories: readonly RecalledMemory[];
      readonly insights: FetchedInsights;
    }
  | { readonly kind: 'failed'; readonly error: unknown }
  | {
      readonly kind: 'rate-limited';
      /** The server's refusal when the server was at its rate limit; absent when recall was at its share. */
      readonly refusal?: StompyToolError;
    };

/** Searches one key's fetch makes: its recent memories, and its issues. */
const SEARCHES_PER_KEY = 2;

/**
 * Fetches keys' memories from the server. Against a server without the batch-write tool (hosted
 * Stompy), where the plugin writes per-key digests, they are read from the digests
 * ({@link DigestReader}). Otherwise, for each key, `context_search` filtered by the key's tag,
 * for its most relevant recent memories and for its issues. The keys a recall needs are fetched
 * together: in one call of the server's batch search when it offers one (our own server does), so a
 * recall of first-seen keys costs one round trip; else with two searches a key, all at once. Callers
 * of a key already being fetched share that fetch; calls are capped by recall's share of
 * `memory.maxCallsPerMinute`. Never rejects.
 */
export class KeyFetcher {
  private readonly inFlight = new Map<string, Promise<FetchResult>>();
  private readonly calls: TokenBucket;

  constructor(
    private readonly client: () => StompyClient,
    private readonly perKeyLimit: number,
    maxCallsPerMinute: number | undefined,
    private readonly now: () => number,
    /** The half-life the server weighs time patterns with (`recall.halfLifeDays`). */
    private readonly halfLifeDays: number,
    /** Reads per-key digests from a server that counts nothing (no batch tool: the plugin writes digests). */
    private readonly digests?: DigestReader,
  ) {
    const perMinute = maxCallsPerMinute ?? Number.POSITIVE_INFINITY;
    // Ten seconds' worth of calls may be saved up, and always one key's two searches.
    this.calls = new TokenBucket(perMinute, Math.max(SEARCHES_PER_KEY, Math.ceil(perMinute / 6)), now());
  }

  /** Fetches keys (or joins their fetches already running); one result per key, in order. */
  fetchAll(keys: readonly string[]): Promise<FetchResult>[] {
    const starting = [...new Set(keys.filter((key) => !this.inFlight.has(key)))];
    if (starting.length > 0) {
      const fetched = this.fetchKeys(starting);
      starting.forEach((key, i) => {
        const one = fetched
          .then((results) => results[i] ?? { kind: 'failed' as const, error: new Error('no result') })
          .finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, one);
      });
    }
    return keys.map(
      (key) => this.inFlight.get(key) ?? Promise.resolve({ kind: 'failed', error: new Error('lost') }),
    );
  }

  private async fetchKeys(keys: readonly string[]): Promise<FetchResult[]> {
    const client = this.client();
    try {
      const tools = await client.extraTools();
      if (this.digests && !tools.batchWrites) {
        const fromDigests = await this.fromDigests(client, keys);
        if (fromDigests) return fromDigests;
      }
      const searches = keys.flatMap((key) => keySearches(key, this.perKeyLimit));
      const { batchSearch: batch, outcomeInsights: insightsTool } = tools;
      const insightCalls = insightsTool ? Math.ceil(keys.length / INSIGHTS_KEY_LIMIT) : 0;
      const calls =
        (batch ? Math.ceil(searches.length / BATCH_SEARCH_LIMIT) : searches.length) + insightCalls;
      if (!this.calls.tryTake(this.now(), calls)) return keys.map(() => ({ kind: 'rate-limited' }));
      // The insights go in parallel with the searches: a first-seen key still costs one round trip.
      const [hits, insights] = await Promise.all([
        batch ? searchInBatches(client, searches) : searchOneByOne(client, searches),
        insightsTool ? this.insightsOf(client, keys) : undefined,
      ]);
      return keys.map((key, i) =>
        fetchResult(hits[SEARCHES_PER_KEY * i], hits[SEARCHES_PER_KEY * i + 1], insightsOfKey(insights, key)),
      );
    } catch (error) {
      const refusal = rateLimitRefusal(error);
      return keys.map(() => (refusal ? { kind: 'rate-limited', refusal } : { kind: 'failed', error }));
    }
  }

  /**
   * Keys read from every writer's digests: one `recall_batch` call for up to 50 topics; undefined
   * when no writer keeps digests (then the keys are searched).
   */
  private async fromDigests(
    client: StompyClient,
    keys: readonly string[],
  ): Promise<FetchResult[] | undefined> {
    const digests = this.digests as DigestReader;
    if (!this.calls.tryTake(this.now(), digests.callsFor(keys.length)))
      return keys.map(() => ({ kind: 'rate-limited' }));
    const reads = await digests.read(client, keys);
    return reads?.map((read): FetchResult => ({
      kind: 'fetched',
      memories: read.memories,
      insights: read.insights && { insights: read.insights, base: read.base },
    }));
  }

  /** The server's insights of the keys, in calls of at most {@link INSIGHTS_KEY_LIMIT}; or why not. */
  private async insightsOf(
    client: StompyClient,
    keys: readonly string[],
  ): Promise<readonly InsightsAnswer[] | { readonly error: unknown }> {
    try {
      const chunks: string[][] = [];
      for (let i = 0; i < keys.length; i += INSIGHTS_KEY_LIMIT)
        chunks.push(keys.slice(i, i + INSIGHTS_KEY_LIMIT));
      return await Promise.all(chunks.map((chunk) => client.outcomeInsights(chunk, this.halfLifeDays)));
    } catch (error) {
      return { error };
    }
  }
}

/**
 * A key's two searches. Failures are often rare: without the second they would fall out of the first
 * and insights computed from them would miss them. The tag filter does the selecting; the query is the key's value
 * (`C42`), which every server accepts, without the name (`customer`), a word in every outcome that
 * only makes full-text search slower.
 */
function keySearches(key: string, limit: number): SearchRequest[] {
  const query = key.slice(key.indexOf(':') + 1) || key;
  return [
    { query, tags: [key], limit },
    { query, tags: [key, 'issue'], limit },
  ];
}

async function searchInBatches(
  client: StompyClient,
  searches: readonly SearchRequest[],
): Promise<(SearchHit[] | StompyToolError)[]> {
  const chunks: SearchRequest[][] = [];
  for (let i = 0; i < searches.length; i += BATCH_SEARCH_LIMIT)
    chunks.push(searches.slice(i, i + BATCH_SEARCH_LIMIT));
  return (await Promise.all(chunks.map((chunk) => client.searchBatch(chunk)))).flat();
}

function searchOneByOne(client: StompyClient, searches: readonly SearchRequest[]): Promise<SearchHit[][]> {
  return Promise.all(searches.map((search) => client.search(search.query, search)));
}

/** One key's part of the insights answers. */
function insightsOfKey(
  answers: readonly InsightsAnswer[] | { readonly error: unknown } | undefined,
  key: string,
): FetchedInsights {
  if (answers === undefined) return undefined;
  if ('error' in answers) return answers;
  for (const answer of answers) {
    const insights = answer.insights.get(key);
    if (insights) return { insights, base: answer.base };
  }
  return { error: new Error(`no insights for ${key} in the answer`) };
}

function fetchResult(
  recent: SearchHit[] | StompyToolError | undefined,
  issues: SearchHit[] | StompyToolError | undefined,
  insights: FetchedInsights,
): FetchResult {
  const refusal = rateLimitRefusal(recent) ?? rateLimitRefusal(issues);
  if (refusal) return { kind: 'rate-limited', refusal };
  if (recent instanceof StompyToolError || recent === undefined) return { kind: 'failed', error: recent };
  if (issues instanceof StompyToolError || issues === undefined) return { kind: 'failed', error: issues };
  const seen = new Set(recent.map((h) => h.topic));
  const memories = [...recent, ...issues.filter((h) => !seen.has(h.topic))].map(toMemory);
  return { kind: 'fetched', memories, insights };
}

/** The server's own rate-limit refusal (hosted Stompy's HTTP 429): a rate-limited recall, not a failure. */
function rateLimitRefusal(answer: unknown): StompyToolError | undefined {
  return answer instanceof StompyToolError &&
    (answer.code === 'rate_limit_exceeded' || answer.code === CLIENT_RATE_LIMIT)
    ? answer
    : undefined;
}

function toMemory(hit: SearchHit): RecalledMemory {
  return { topic: hit.topic, content: hit.content, tags: hit.tags, time: hit.lockedAt, score: hit.score };
}
