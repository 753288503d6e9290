import { renderBaseDigest, renderKeyDigest } from '../../digest/digest-document';
import {
  baseDigestTopic,
  DIGEST_TAG,
  DIGEST_WRITER_TAG,
  digestTopic,
  writerTopic,
} from '../../digest/digest-topics';
import { DIGEST_FORMAT, type BaseDigest, type KeyDigest } from '../../digest/key-digest';
import { safeTag } from '../../keys/memory-tags';
import type { ContextWrite } from '../../mcp/stompy-client';
import { StompyToolError, StompyUnavailableError } from '../../mcp/stompy-errors';
import { outcomePack, PACK_MAX_BYTES, PACK_MAX_OUTCOMES } from '../../outcome/outcome-pack';
import { ThrottledLog } from '../../support/throttled-log';
import { BASE_DIGEST_KEY, type ClaimedDigest, type ClaimedPack } from '../outbox/outbox-aggregates';
import { isAlreadyStored } from './refusal-rules';
import type { SenderDeps, StepResult } from './sender-deps';

/** Hosted Stompy's cap on a context's content, in bytes. */
const MAX_CONTENT_BYTES = 100_000;
/** A digest the server refused for good waits this long before it is tried again. */
const REFUSED_DIGEST_RETRY_MS = 10 * 60_000;
/** A registration that failed is tried again after this long. */
const REGISTER_RETRY_MS = 60_000;
const PROGRESS: StepResult = { kind: 'progress' };

/**
 * The write path for a memory server without a batch tool (hosted Stompy, at 60 calls a minute): one
 * call per step, which is one of
 * - the writer's entry in the register of writers (once per connection, retried a minute after a
 *   failure; packs do not wait for it), so recall finds its digests;
 * - a pack of up to 1,000 due outcomes (under 90,000 bytes) as one context, under a topic kept with
 *   its entries, so a retry or a restart sends the same pack again and never doubles an outcome;
 * - a digest of a key whose counts changed, written with `force_store` (a digest that changed by
 *   one outcome is too close to its last version for the novelty gate, and must still be stored).
 * A pack goes when it is half full or its oldest outcome has waited `packWaitMs` (at once when
 * flushing). Packs go first: they are the record, and the outbox is bounded. A digest is written at most once
 * per `digestIntervalMs` (at once when flushing), and once one has waited `digestMaxLagMs`, packs and
 * digests take turns, so insights never fall behind for long while a backlog drains.
 */
export class AggregateSender {
  private registered = false;
  private registerAfter = 0;
  private lastWasPack = false;
  private readonly digestLog: ThrottledLog;

  constructor(private readonly deps: SenderDeps) {
    this.digestLog = new ThrottledLog(deps.logger, { intervalMs: 60_000, now: () => deps.clock.now() });
  }

  /** One call to the server, or how long until one is due. `flushing`: write dirty digests now. */
  async step(timeoutMs: number, flushing: boolean): Promise<StepResult> {
    const { outbox, clock, settings, bucket } = this.deps;
    const aggregates = outbox.aggregates;
    const now = clock.now();
    if (!this.registered && now >= this.registerAfter) {
      bucket.take(now);
      // Packs do not wait for the register: a failed registration is tried again a minute later.
      this.registerAfter = now + REGISTER_RETRY_MS;
      await this.register(timeoutMs);
      return PROGRESS;
    }
    const writtenBefore = flushing ? now : now - settings.digestIntervalMs;
    const oldestDirty = aggregates.digestCounts().oldestDirtySince;
    const digestFirst =
      this.lastWasPack && oldestDirty !== undefined && now - oldestDirty >= settings.digestMaxLagMs;
    // A pack fills for up to packWaitMs, so a trickle of outcomes does not spend a call each.
    const readiness = flushing
      ? ({ ready: true } as const)
      : aggregates.packReady(
          { maxEntries: PACK_MAX_OUTCOMES, fullBytes: PACK_MAX_BYTES / 2 },
          settings.packWaitMs,
        );
    for (const kind of digestFirst ? (['digest', 'pack'] as const) : (['pack', 'digest'] as const)) {
      if (kind === 'pack') {
        if (!readiness.ready) continue;
        const pack = aggregates.claimPack(
          { maxEntries: PACK_MAX_OUTCOMES, maxBytes: PACK_MAX_BYTES },
          settings.leaseMs,
        );
        if (pack === undefined) continue;
        bucket.take(clock.now());
        this.lastWasPack = true;
        await this.sendPack(pack, timeoutMs);
        return PROGRESS;
      }
      const digest = aggregates.claimDigest(writtenBefore, settings.leaseMs);
      if (digest === undefined) continue;
      bucket.take(clock.now());
      this.lastWasPack = false;
      await this.sendDigest(digest, timeoutMs);
      return PROGRESS;
    }
    return this.idle(flushing, readiness.ready ? undefined : readiness.waitMs);
  }

  /** A new connection may reach a server that lost its memory: register again. */
  reconnected(): void {
    this.registered = false;
    this.registerAfter = 0;
  }

  private idle(flushing: boolean, packInMs: number | undefined): StepResult {
    const { outbox, clock, settings } = this.deps;
    const now = clock.now();
    const times = [
      outbox.nextDueAt(),
      outbox.aggregates.nextDigestDueAt(flushing ? 0 : settings.digestIntervalMs),
      packInMs === undefined ? undefined : now + packInMs,
    ];
    const next = Math.min(...times.map((t) => t ?? Number.POSITIVE_INFINITY));
    if (next === Number.POSITIVE_INFINITY && outbox.pendingCount() > 0) return { kind: 'idle', waitMs: 1 };
    return { kind: 'idle', waitMs: next === Number.POSITIVE_INFINITY ? next : Math.max(1, next - now) };
  }

  private async register(timeoutMs: number): Promise<void> {
    const { outbox, settings } = this.deps;
    const writer = outbox.aggregates.writerId();
    const entry = { format: DIGEST_FORMAT, writer, halfLifeDays: settings.halfLifeDays };
    const write: ContextWrite = {
      topic: writerTopic(writer),
      content: `temporal-stompy writer ${writer} keeps digests of outcome counts under temporal:digest:${writer}:<key>.\n---\n${JSON.stringify(entry)}`,
      tags: [DIGEST_WRITER_TAG],
      priority: 'reference',
    };
    if (await this.write(write, timeoutMs, [])) {
      this.registered = true;
      this.deps.logger.info({ writer }, 'registered as a digest writer; outcomes go out in packs');
    }
  }

  private async sendPack(pack: ClaimedPack, timeoutMs: number): Promise<void> {
    const write = outcomePack(
      pack.topic,
      pack.entries.map((e) => ({
        topic: e.topic,
        note: e.write.content,
        tags: e.write.tags,
        eventTimeMs: e.write.outcome?.facts.eventTimeMs,
        failed: e.write.outcome?.facts.failed,
      })),
    );
    if (!(await this.write(write, timeoutMs, pack.entries))) return;
    const topics = pack.entries.map((e) => e.topic);
    const { outbox, settings, filing } = this.deps;
    filing.countDelivered(outbox.aggregates.markPackDelivered(topics, settings.halfLifeDays));
  }

  private async sendDigest(digest: ClaimedDigest, timeoutMs: number): Promise<void> {
    const { outbox, clock } = this.deps;
    const writer = outbox.aggregates.writerId();
    const write = digestWrite(writer, digest);
    if (Buffer.byteLength(write.content) > MAX_CONTENT_BYTES) {
      this.deps.counters.add('internalErrors');
      this.digestLog.log(
        { key: digest.key, bytes: Buffer.byteLength(write.content) },
        "a key's digest is over the server's 100,000-byte cap; it is not written (its insights are missing)",
      );
      outbox.aggregates.digestFailed(digest.key, clock.now() + REFUSED_DIGEST_RETRY_MS);
      return;
    }
    if (await this.write(write, timeoutMs, [], digest))
      outbox.aggregates.digestWritten(digest.key, digest.revision);
  }

  /**
   * Makes one write; true when the server has the content (written, or refused as already stored).
   * A failure is filed: pack entries back off, a digest becomes claimable again later.
   */
  private async write(
    write: ContextWrite,
    timeoutMs: number,
    entries: ClaimedPack['entries'],
    digest?: ClaimedDigest,
  ): Promise<boolean> {
    const { client, filing, clock } = this.deps;
    try {
      await client.lockContext(write, timeoutMs);
      filing.answered();
      return true;
    } catch (error) {
      if (error instanceof StompyToolError && isAlreadyStored(error)) {
        filing.answered();
        return true;
      }
      if (digest)
        this.deps.outbox.aggregates.digestFailed(digest.key, clock.now() + this.retryAfterMs(error));
      if (error instanceof StompyUnavailableError) {
        this.reconnected();
        filing.unavailable(error, entries);
      } else if (entries.length > 0) filing.callFailed(error, entries, this.deps.internalError);
      else filing.refusedCall(error, this.deps.internalError);
      return false;
    }
  }

  private retryAfterMs(error: unknown): number {
    if (error instanceof StompyToolError) {
      if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
      if (!error.retryable) return REFUSED_DIGEST_RETRY_MS;
    }
    return this.deps.settings.backoff.initialMs;
  }
}

/** A digest as the context it is written as: under its writer's topic, stored even when close to its last version. */
function digestWrite(writer: string, digest: ClaimedDigest): ContextWrite {
  const isBase = digest.key === BASE_DIGEST_KEY;
  const content = isBase
    ? renderBaseDigest(JSON.parse(digest.state) as BaseDigest)
    : renderKeyDigest(JSON.parse(digest.state) as KeyDigest);
  return {
    topic: isBase ? baseDigestTopic(writer) : digestTopic(writer, digest.key),
    content,
    tags: isBase ? [DIGEST_TAG] : [DIGEST_TAG, safeTag(digest.key)],
    priority: 'reference',
    forceStore: true,
  };
}
