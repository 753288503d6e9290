import { keyInsightsOfSums, type BaseCounts } from '@temporal-stompy/insights';
import type { Logger } from 'pino';
import { readBaseDigest, readKeyDigest } from '../digest/digest-document';
import { baseDigestTopic, DIGEST_WRITER_TAG, digestTopic } from '../digest/digest-topics';
import { DIGEST_FORMAT, type BaseDigest, type KeyDigest } from '../digest/key-digest';
import { mergeBases, mergeDigests } from '../digest/merge-digests';
import type { StoredContext } from '../mcp/result-forms';
import { RECALL_BATCH_LIMIT, type StompyClient } from '../mcp/stompy-client';
import { StompyToolError } from '../mcp/stompy-errors';
import type { PluginCounters } from '../support/plugin-counters';
import { ThrottledLog } from '../support/throttled-log';
import type { RecalledMemory } from './recalled-context';

/** How long the register of writers is trusted before it is searched again. */
const WRITERS_TTL_MS = 5 * 60_000;
/** How long a register that lists no writer is trusted. */
const EMPTY_REGISTER_TTL_MS = 10_000;
/** Most writers one search of the register returns. */
const MAX_WRITERS = 100;
const WRITER_ID = /^[a-z2-7]{10}$/;

/** One key's memories and insights, read from every writer's digest of it. */
export interface DigestRead {
  readonly memories: readonly RecalledMemory[];
  readonly insights: ReturnType<typeof keyInsightsOfSums> | undefined;
  readonly base: BaseCounts;
}

/**
 * Recall against a memory server that counts nothing (hosted Stompy): each worker keeps per-key
 * digests it alone writes, and this reads every writer's digest of the keys asked with
 * `recall_batch` (50 topics a call) and merges them into exact insights and the newest outcome
 * notes. The writers come from one search of the register of writers, trusted for 5 minutes (10
 * seconds while it lists none), with this worker's own added (the register may not list it yet). A
 * digest that cannot be read (edited by hand, another format) is left out, counted
 * (`digestsUnreadable`) and logged; it never fails a recall.
 */
export class DigestReader {
  private writers: { readonly ids: readonly string[]; readonly at: number } | undefined;
  private readonly unreadableLog: ThrottledLog;
  private readonly registerLog: ThrottledLog;

  /** This worker's own writer id, asked once. */
  private own: Promise<string | undefined> | undefined;

  constructor(
    private readonly now: () => number,
    private readonly counters: Pick<PluginCounters, 'add'>,
    logger: Logger,
    /** This worker's own writer id: its digests are read even before the register lists it. */
    private readonly ownWriter?: () => Promise<string | undefined>,
  ) {
    this.unreadableLog = new ThrottledLog(logger, { intervalMs: 60_000, now });
    this.registerLog = new ThrottledLog(logger, { intervalMs: 60_000, now });
  }

  /** Calls the next {@link read} of `keys` makes (searching the register when it is stale). */
  callsFor(keys: number): number {
    const writers = this.writers?.ids.length ?? 1;
    const search = this.writersFresh() ? 0 : 1;
    return search + Math.ceil((keys * writers + writers) / RECALL_BATCH_LIMIT);
  }

  /**
   * Reads the digests of `keys` from every known writer: one result per key, in order; undefined
   * when the register lists no writer (outcomes, if any, were written one context each: search them).
   * Throws what the calls throw.
   */
  async read(client: StompyClient, keys: readonly string[]): Promise<DigestRead[] | undefined> {
    const writers = await this.writerIds(client);
    if (writers.length === 0) return undefined;
    const topics = [
      ...writers.map(baseDigestTopic),
      ...keys.flatMap((key) => writers.map((writer) => digestTopic(writer, key))),
    ];
    const found = await client.recallBatch(topics);
    const base = mergeBases(writers.flatMap((w) => this.readBase(found.get(baseDigestTopic(w)))));
    return keys.map((key) => {
      const digests = writers.flatMap((w) => this.readKey(found.get(digestTopic(w, key)), key));
      const merged = mergeDigests(key, sameHalfLife(digests));
      return {
        memories: merged.memories.map((m): RecalledMemory => ({
          topic: m.topic,
          content: m.note,
          tags: m.tags,
          time: new Date(m.atMs).toISOString(),
          score: 0,
        })),
        insights: merged.outcomes === 0 ? undefined : keyInsightsOfSums(merged.sums, base, { exact: true }),
        base,
      };
    });
  }

  private writersFresh(): boolean {
    return this.writers !== undefined && this.now() - this.writers.at < WRITERS_TTL_MS;
  }

  /**
   * The writers whose digests to read: the register's, with this worker's own added when the
   * register lists any (an empty register means nobody aggregates here: recall searches instead).
   * A register that cannot be read counts as empty (logged); a rate limit is passed on.
   */
  private async writerIds(client: StompyClient): Promise<readonly string[]> {
    this.own ??= this.ownWriter?.().catch(() => undefined) ?? Promise.resolve(undefined);
    const own = await this.own;
    const withOwn = (ids: readonly string[]): readonly string[] =>
      own === undefined || ids.length === 0 || ids.includes(own) ? ids : [...ids, own].sort();
    if (this.writers !== undefined && this.writersFresh()) return withOwn(this.writers.ids);
    const ids = new Set<string>();
    try {
      const hits = await client.search('digests', { tags: [DIGEST_WRITER_TAG], limit: MAX_WRITERS });
      for (const hit of hits) {
        const id = writerOf(hit.content);
        if (id !== undefined) ids.add(id);
      }
    } catch (error) {
      if (error instanceof StompyToolError && error.retryable) throw error;
      this.registerLog.log({ err: error }, 'the register of digest writers cannot be read; recall searches');
    }
    // An empty register is asked again sooner: the first writer registers when its delivery starts.
    const at = ids.size > 0 ? this.now() : this.now() - WRITERS_TTL_MS + EMPTY_REGISTER_TTL_MS;
    this.writers = { ids: [...ids].sort(), at };
    return withOwn(this.writers.ids);
  }

  private readKey(context: StoredContext | undefined, key: string): KeyDigest[] {
    if (context === undefined) return [];
    const read = readKeyDigest(context.content, key);
    if ('digest' in read) return [read.digest];
    this.unreadable(context.topic, read.problem);
    return [];
  }

  private readBase(context: StoredContext | undefined): BaseDigest[] {
    if (context === undefined) return [];
    const read = readBaseDigest(context.content);
    if ('digest' in read) return [read.digest];
    this.unreadable(context.topic, read.problem);
    return [];
  }

  private unreadable(topic: string, problem: string): void {
    this.counters.add('digestsUnreadable');
    this.unreadableLog.log(
      { topic, problem },
      'a digest cannot be read (edited by hand?); recall leaves it out until its writer writes it again',
    );
  }
}

/** The writer id of a register entry; undefined for anything else. */
function writerOf(content: string): string | undefined {
  const at = content.indexOf('\n---\n');
  if (at < 0) return undefined;
  try {
    const entry = JSON.parse(content.slice(at + 5)) as { format?: unknown; writer?: unknown };
    return entry.format === DIGEST_FORMAT && typeof entry.writer === 'string' && WRITER_ID.test(entry.writer)
      ? entry.writer
      : undefined;
  } catch {
    return undefined;
  }
}

/** The digests at the first one's half-life (weights at another cannot be added to them). */
function sameHalfLife(digests: readonly KeyDigest[]): KeyDigest[] {
  const halfLife = digests[0]?.halfLifeDays;
  return digests.filter((d) => d.halfLifeDays === halfLife);
}
