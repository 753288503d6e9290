import type { Database, Transaction } from 'better-sqlite3';
import { newWriterId, packTopic } from '../../digest/digest-topics';
import {
  DIGEST_FORMAT,
  emptyDigest,
  foldOutcome,
  type BaseDigest,
  type KeyDigest,
} from '../../digest/key-digest';
import type { PluginCounters } from '../../support/plugin-counters';
import { prepareAggregateStatements, type AggregateStatements } from './aggregate-statements';
import { readCountedOutcome } from './counted-outcome-column';
import { parseTags, toClaimedEntry, type OutboxStatements, type PendingRow } from './outbox-statements';
import type { ClaimedEntry } from './outbox-types';

/** The key of the base digest row (the whole memory's runs and failures). */
export const BASE_DIGEST_KEY = '';

/** A pack of entries claimed to go out as one context. */
export interface ClaimedPack {
  /** Its topic: chosen when the pack was made and kept with its entries, the same on every attempt (a retry never doubles it). */
  readonly topic: string;
  /** Its entries, oldest first (so its content is the same on every attempt). */
  readonly entries: readonly ClaimedEntry[];
}

/** A digest claimed to be written: its state as JSON, and the revision that state is. */
export interface ClaimedDigest {
  readonly key: string;
  readonly state: string;
  readonly revision: number;
}

/** Sizes of the digests an outbox keeps. */
export interface DigestCounts {
  readonly keys: number;
  /** Digests whose latest counts the server does not have yet. */
  readonly dirty: number;
  /** Since when the longest-waiting one has been dirty (epoch ms). */
  readonly oldestDirtySince: number | undefined;
}

/** What the aggregated write path shares with its outbox. */
export interface AggregateDeps {
  readonly db: Database;
  readonly outbox: OutboxStatements;
  readonly owner: string;
  readonly now: () => number;
  readonly counters: Pick<PluginCounters, 'add'>;
  /** Runs after entries were delivered (the outbox's housekeeping). */
  readonly afterDelivered: () => void;
}

/**
 * The outbox's side of the aggregated write path, for a memory server without a batch tool: entries
 * go out in packs (which entries a pack holds is kept in the file, so a retry sends the same pack
 * under the same topic), and each delivered outcome is counted once into the digests of its keys, in
 * the transaction that marks it delivered. Digests are claimed under a lease, so one deliverer at a
 * time writes a given digest; this file's writer id names them on the server. Throws on SQLite
 * errors, like the outbox's other delivery-side methods.
 */
export class OutboxAggregates {
  private readonly s: AggregateStatements;
  private writer: string | undefined;
  private readonly packDelivered: Transaction<(topics: readonly string[], halfLifeDays: number) => number>;
  private readonly claimNewPack: Transaction<
    (maxEntries: number, maxBytes: number, leaseMs: number) => ClaimedPack | undefined
  >;

  constructor(private readonly deps: AggregateDeps) {
    this.s = prepareAggregateStatements(deps.db);
    this.packDelivered = deps.db.transaction((topics: readonly string[], halfLifeDays: number) =>
      this.foldAndRemove(topics, halfLifeDays),
    );
    this.claimNewPack = deps.db.transaction((maxEntries: number, maxBytes: number, leaseMs: number) =>
      this.claimPackNow(maxEntries, maxBytes, leaseMs),
    );
  }

  /** The id this file writes digests and packs under: made once, kept in the file for good. */
  writerId(): string {
    if (this.writer !== undefined) return this.writer;
    const read = (): string | undefined =>
      (this.s.meta.get('writer') as { value: string } | undefined)?.value;
    let id = read();
    if (id === undefined) {
      this.s.setMeta.run('writer', newWriterId());
      id = read() ?? '';
    }
    this.writer = id;
    return id;
  }

  /**
   * Claims the pack the oldest due entry belongs to (an earlier attempt's, sent again as it was), or
   * makes a new one of the oldest due entries, at most `maxEntries` and `maxBytes` of notes.
   */
  claimPack(
    limits: { readonly maxEntries: number; readonly maxBytes: number },
    leaseMs: number,
  ): ClaimedPack | undefined {
    return this.claimNewPack.immediate(limits.maxEntries, limits.maxBytes, leaseMs);
  }

  /**
   * Whether a pack should go now: an earlier pack is due again, or the due entries fill at least
   * `fullBytes`, or the oldest of them has waited `maxWaitMs`; else how long until it has.
   */
  packReady(
    limits: { readonly maxEntries: number; readonly fullBytes: number },
    maxWaitMs: number,
  ): { readonly ready: true } | { readonly ready: false; readonly waitMs: number | undefined } {
    const now = this.deps.now();
    const row = this.s.packReadiness.get({ now, limit: limits.maxEntries }) as {
      oldest: number | null;
      bytes: number;
      entries: number;
      first_pack: string | null;
    };
    if (row.first_pack !== null) return { ready: true };
    if (row.oldest === null) return { ready: false, waitMs: undefined };
    if (row.bytes >= limits.fullBytes || row.entries >= limits.maxEntries) return { ready: true };
    const waited = now - row.oldest;
    return waited >= maxWaitMs ? { ready: true } : { ready: false, waitMs: maxWaitMs - waited };
  }

  /**
   * Marks a pack's entries delivered and counts each outcome still pending into its keys' digests,
   * all in one transaction: an outcome is counted exactly once. Returns how many were pending.
   */
  markPackDelivered(topics: readonly string[], halfLifeDays: number): number {
    if (topics.length === 0) return 0;
    const removed = this.packDelivered.immediate(topics, halfLifeDays);
    if (removed > 0) this.deps.counters.add('outcomesDelivered', removed);
    this.deps.afterDelivered();
    return removed;
  }

  /** Claims the digest dirty the longest, written no later than `writtenBefore`; undefined when none is due. */
  claimDigest(writtenBefore: number, leaseMs: number): ClaimedDigest | undefined {
    const now = this.deps.now();
    return this.s.claimDigest.get({ now, leaseUntil: now + leaseMs, writtenBefore }) as
      ClaimedDigest | undefined;
  }

  /** The server has `revision` of the digest: it is clean unless it was folded into since. */
  digestWritten(key: string, revision: number): void {
    this.s.digestWritten.run({ key, revision, now: this.deps.now() });
  }

  /** Writing the digest failed: it is claimable again at `retryAt`. */
  digestFailed(key: string, retryAt: number): void {
    this.s.digestFailed.run({ key, retryAt: Math.floor(retryAt) });
  }

  /** When the next dirty digest may be written, given digests are written at most once per `intervalMs`. */
  nextDigestDueAt(intervalMs: number): number | undefined {
    const row = this.s.nextDigestDue.get({ interval: intervalMs }) as { at: number | null };
    return row.at ?? undefined;
  }

  /** How many digests there are and how many wait to be written. */
  digestCounts(): DigestCounts {
    const row = this.s.digestCounts.get() as { keys: number; dirty: number; oldest_dirty: number | null };
    return { keys: row.keys, dirty: row.dirty, oldestDirtySince: row.oldest_dirty ?? undefined };
  }

  private claimPackNow(maxEntries: number, maxBytes: number, leaseMs: number): ClaimedPack | undefined {
    const now = this.deps.now();
    const first = this.s.firstDue.get({ now }) as { seq: number; pack: string | null } | undefined;
    if (first === undefined) return undefined;
    let pack = first.pack;
    if (pack !== null) {
      // Part of it is leased to another deliverer: it is being sent; leave it to them.
      if ((this.s.packHeld.get({ pack, now }) as { n: number }).n > 0) return undefined;
    } else {
      const rows = this.s.unpacked.all({ now, limit: maxEntries }) as { seq: number; size: number }[];
      const seqs: number[] = [];
      let bytes = 0;
      for (const row of rows) {
        if (seqs.length > 0 && bytes + row.size > maxBytes) break;
        seqs.push(row.seq);
        bytes += row.size;
      }
      pack = packTopic(this.writerId(), now, first.seq);
      this.s.assignPack.run({ pack, seqs: JSON.stringify(seqs) });
    }
    const claimed = this.s.claimPack.all({
      pack,
      now,
      leaseUntil: now + leaseMs,
      owner: this.deps.owner,
    }) as PendingRow[];
    return { topic: pack, entries: claimed.sort((a, b) => a.seq - b.seq).map(toClaimedEntry) };
  }

  private foldAndRemove(topics: readonly string[], halfLifeDays: number): number {
    const json = JSON.stringify(topics);
    const rows = this.s.pendingOf.all(json) as Pick<PendingRow, 'topic' | 'content' | 'tags' | 'outcome'>[];
    const writer = this.writerId();
    const digests = new Map<string, KeyDigest>();
    let base: BaseDigest | undefined;
    for (const row of rows) {
      const { outcome } = readCountedOutcome(row.outcome);
      if (outcome === undefined) continue; // a write of no outcome, or unreadable facts: nothing to count
      const folded = { facts: outcome.facts, topic: row.topic, note: row.content, tags: parseTags(row.tags) };
      for (const key of outcome.keys) {
        const digest =
          digests.get(key) ?? this.loadDigest<KeyDigest>(key) ?? emptyDigest(key, writer, halfLifeDays);
        foldOutcome(digest, folded);
        digests.set(key, digest);
      }
      base ??= this.loadDigest<BaseDigest>(BASE_DIGEST_KEY) ?? {
        format: DIGEST_FORMAT,
        writer,
        runs: 0,
        failures: 0,
      };
      base.runs += 1;
      if (outcome.facts.failed) base.failures += 1;
    }
    const now = this.deps.now();
    for (const [key, digest] of digests) this.s.saveDigest.run({ key, state: JSON.stringify(digest), now });
    if (base) this.s.saveDigest.run({ key: BASE_DIGEST_KEY, state: JSON.stringify(base), now });
    this.deps.outbox.rememberAll.run(now, json);
    return this.deps.outbox.removeAll.run(json).changes;
  }

  /** A digest as this file keeps it (written by this plugin: parsed without checks). */
  private loadDigest<T>(key: string): T | undefined {
    const row = this.s.digest.get(key) as { state: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.state) as T);
  }
}
