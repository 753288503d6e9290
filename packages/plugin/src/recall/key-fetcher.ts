import type { SearchHit } from '../mcp/result-forms';
import type { StompyClient } from '../mcp/stompy-client';
import { TokenBucket } from '../support/token-bucket';
import type { RecalledMemory } from './recalled-context';

/** How a key's fetch ended: its memories, a failure, or no call made because recall is at its share of calls. */
export type FetchResult =
  | { readonly kind: 'fetched'; readonly memories: readonly RecalledMemory[] }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'rate-limited' };

/** Calls one key's fetch makes: its recent memories, and its issues. */
const CALLS_PER_FETCH = 2;

/**
 * Fetches one key's memories from the server: `context_search` filtered by the key's tag, for its
 * most relevant recent memories and for its issues. Callers of the same key share one fetch; calls
 * are capped by recall's share of `memory.maxCallsPerMinute`. Never rejects.
 */
export class KeyFetcher {
  private readonly inFlight = new Map<string, Promise<FetchResult>>();
  private readonly calls: TokenBucket;

  constructor(
    private readonly client: () => StompyClient,
    private readonly perKeyLimit: number,
    maxCallsPerMinute: number | undefined,
    private readonly now: () => number,
  ) {
    const perMinute = maxCallsPerMinute ?? Number.POSITIVE_INFINITY;
    // Ten seconds' worth of calls may be saved up, and always one fetch's.
    this.calls = new TokenBucket(perMinute, Math.max(CALLS_PER_FETCH, Math.ceil(perMinute / 6)), now());
  }

  /** Fetches a key, or joins the fetch of it already running. */
  fetch(key: string): Promise<FetchResult> {
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    if (!this.calls.tryTake(this.now(), CALLS_PER_FETCH)) return Promise.resolve({ kind: 'rate-limited' });
    const client = this.client();
    const limit = this.perKeyLimit;
    // Two searches: the key's most relevant recent memories, and its issues. Failures are often rare;
    // without the second they would fall out of the first and the summary would miss them. The tag
    // filter does the selecting; the query is the key's value (`C42`), which every server accepts,
    // without the name (`customer`), a word in every outcome that only makes full-text search slower.
    const query = key.slice(key.indexOf(':') + 1) || key;
    const pending = Promise.all([
      client.search(query, { tags: [key], limit }),
      client.search(query, { tags: [key, 'issue'], limit }),
    ])
      .then(([recent, issues]): FetchResult => ({
        kind: 'fetched',
        memories: mergeByTopic(recent, issues).map(toMemory),
      }))
      .catch((error: unknown): FetchResult => ({ kind: 'failed', error }))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, pending);
    return pending;
  }
}

function mergeByTopic(first: readonly SearchHit[], second: readonly SearchHit[]): SearchHit[] {
  const seen = new Set(first.map((h) => h.topic));
  return [...first, ...second.filter((h) => !seen.has(h.topic))];
}

function toMemory(hit: SearchHit): RecalledMemory {
  return { topic: hit.topic, content: hit.content, tags: hit.tags, time: hit.lockedAt, score: hit.score };
}
