import type { KeyInsights } from '@temporal-stompy/insights';
import { cutText } from '../common/cut-text';
import { BoundedCache } from '../support/bounded-cache';
import { factsOf, insightsFromMemories, RecalledBase } from './fallback-insights';
import type { RecalledMemory } from './recalled-context';

/** Most characters of one memory's content kept in the caches (and so handed to an activity). */
export const MAX_MEMORY_CONTENT_CHARS = 4000;
/** Most bytes the fetched memories take in the cache; the least recently fetched keys go first. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Most bytes this worker's own recorded outcomes take; they are needed only until the server has them. */
const MAX_RECORDED_BYTES = 16 * 1024 * 1024;
/** How long this worker's own outcomes are kept for recall: by then delivery has long sent them. */
const RECORDED_MAX_AGE_MS = 10 * 60_000;

/** What recall knows of one key: its memories, best first, and its insights; frozen, shared by recalls. */
export interface KeyView {
  readonly memories: readonly RecalledMemory[];
  /**
   * The key's insights: the server's (exact, over the whole history) when it computes them, else
   * computed from the outcomes among its memories (`exact: false`); undefined when there are none.
   */
  readonly insights: KeyInsights | undefined;
}

/** What the server returned for a key. */
interface FetchedKey {
  readonly memories: readonly RecalledMemory[];
  readonly insights: KeyInsights | undefined;
}

interface CachedView {
  readonly fetched: FetchedKey | undefined;
  readonly recorded: readonly RecalledMemory[] | undefined;
  readonly view: KeyView;
}

/**
 * The memories recall holds per key: what the server returned (fresh for `ttlMs`, then still the
 * fallback when a fetch fails) and what this worker recorded since (first, before the server has
 * it). Each key's view and insights are computed once when either changes, not on every recall, and
 * frozen: what an activity is handed cannot change what the next one recalls. Bounded in keys, bytes
 * and age: a worker that runs for months does not grow with the customers it has seen.
 */
export class KeyMemories {
  private readonly fetched: BoundedCache<FetchedKey>;
  private readonly recorded: BoundedCache<readonly RecalledMemory[]>;
  private readonly views = new Map<string, CachedView>();
  /** The outcomes fetched so far, for the base rate of insights computed from them. */
  private readonly base = new RecalledBase();
  /** Keys whose server insights miss a failure this worker recorded since: refetched at the next recall. */
  private readonly stale = new Set<string>();

  constructor(
    private readonly limits: { maxKeys: number; perKeyLimit: number; ttlMs: number },
    private readonly now: () => number,
  ) {
    this.fetched = new BoundedCache(
      { maxEntries: limits.maxKeys, maxBytes: MAX_CACHE_BYTES, sizeOf: fetchedSize },
      now,
    );
    this.recorded = new BoundedCache(
      {
        maxEntries: limits.maxKeys,
        maxBytes: MAX_RECORDED_BYTES,
        sizeOf: memoriesSize,
        maxAgeMs: RECORDED_MAX_AGE_MS,
      },
      now,
    );
  }

  /** Whether the key was fetched less than the freshness ago, and nothing this worker recorded since outdated it. */
  isFresh(key: string): boolean {
    if (this.stale.has(key)) return false;
    const fetchedAt = this.fetched.storedAt(key);
    return fetchedAt !== undefined && this.now() - fetchedAt < this.limits.ttlMs;
  }

  /** Stores what the server returned for a key: its memories, and its insights when the server computes them. */
  storeFetched(key: string, memories: readonly RecalledMemory[], insights?: KeyInsights): void {
    const kept = Object.freeze(memories.map(frozenMemory));
    if (!insights) this.base.add(kept);
    this.stale.delete(key);
    this.fetched.set(key, Object.freeze({ memories: kept, insights }));
  }

  /** Adds a memory this worker recorded to its keys, ahead of what the server returned. */
  storeRecorded(keys: readonly string[], memory: RecalledMemory): void {
    const kept = frozenMemory(memory);
    // A failure changes what the server's insights say (a success barely does): ask again next time.
    if (factsOf(kept)?.failed) this.markStale(keys);
    for (const key of keys) {
      const others = (this.recorded.get(key) ?? []).filter((m) => m.topic !== kept.topic);
      this.recorded.set(key, Object.freeze([kept, ...others].slice(0, this.limits.perKeyLimit)));
    }
  }

  private markStale(keys: readonly string[]): void {
    if (this.stale.size > 2 * this.limits.maxKeys) this.stale.clear();
    for (const key of keys) if (this.fetched.get(key)?.insights) this.stale.add(key);
  }

  /** What is known of a key, or undefined when nothing is. */
  view(key: string): KeyView | undefined {
    const fetched = this.fetched.get(key);
    const recorded = this.recorded.get(key);
    if (!fetched && !recorded) {
      this.views.delete(key);
      return undefined;
    }
    const cached = this.views.get(key);
    if (cached && cached.fetched === fetched && cached.recorded === recorded) return cached.view;
    const view = makeView(key, fetched, recorded ?? [], this.base);
    // Views follow the two caches: a key evicted there is evicted here at its next lookup.
    this.views.set(key, { fetched, recorded, view });
    if (this.views.size > 2 * this.limits.maxKeys) this.views.clear();
    return view;
  }
}

/** A key's memories, what this worker recorded first (ranked with the server's best), and its insights. */
function makeView(
  key: string,
  fetched: FetchedKey | undefined,
  recorded: readonly RecalledMemory[],
  base: RecalledBase,
): KeyView {
  const localTopics = new Set(recorded.map((m) => m.topic));
  const fromServer = (fetched?.memories ?? []).filter((m) => !localTopics.has(m.topic));
  const topScore = Math.max(1, ...(fetched?.memories ?? []).map((m) => m.score));
  const memories = [...recorded.map((m) => rankedWith(m, topScore)), ...fromServer];
  return Object.freeze({
    memories: Object.freeze(memories),
    insights: fetched?.insights ?? insightsFromMemories(key, [...recorded, ...fromServer], base.counts()),
  });
}

/** Recorded memories as ranked in views, by the memory: a view is rebuilt at every outcome of a busy key. */
const ranked = new WeakMap<RecalledMemory, RecalledMemory>();

/** A recorded (frozen) memory with the score it is ranked at, made once per memory and score. */
function rankedWith(memory: RecalledMemory, score: number): RecalledMemory {
  const known = ranked.get(memory);
  if (known?.score === score) return known;
  const made = Object.freeze({ ...memory, score });
  ranked.set(memory, made);
  return made;
}

/** A memory with its content cut to {@link MAX_MEMORY_CONTENT_CHARS}, frozen with its tags. */
function frozenMemory(memory: RecalledMemory): RecalledMemory {
  if (Object.isFrozen(memory) && memory.content.length <= MAX_MEMORY_CONTENT_CHARS) return memory;
  const content =
    memory.content.length <= MAX_MEMORY_CONTENT_CHARS
      ? memory.content
      : `${cutText(memory.content, MAX_MEMORY_CONTENT_CHARS)}…`;
  return Object.freeze({ ...memory, content, tags: Object.freeze([...memory.tags]) });
}

/** Approximate bytes a key's fetch holds: its memories, and its insights (mostly its windows). */
function fetchedSize(fetched: FetchedKey): number {
  return (
    memoriesSize(fetched.memories) + (fetched.insights ? 2_000 + 120 * fetched.insights.windows.length : 0)
  );
}

/** Approximate bytes a list of memories holds (two bytes a character, and some for the object). */
function memoriesSize(memories: readonly RecalledMemory[]): number {
  return memories.reduce((sum, m) => sum + 2 * (m.content.length + m.topic.length) + 200, 0);
}
