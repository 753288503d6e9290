import { StompyToolError, StompyUnavailableError } from '../../mcp/stompy-errors';
import type { ClaimedEntry } from '../outbox/outbox-types';
import { AggregateSender } from './aggregate-sender';
import type { DeliveryClient } from './delivery-settings';
import { refusesTheWholeBatch } from './refusal-rules';
import type { SenderDeps, StepResult } from './sender-deps';
import { ThrottledLog } from '../../support/throttled-log';

/** Shortest interval between two lines about entries whose outcome facts cannot be read. */
const UNREADABLE_FACTS_LOG_MS = 60_000;

const PROGRESS: StepResult = { kind: 'progress' };
/** `recall_batch` answers at most this many topics per call. */
const VERIFY_LIMIT = 50;

/**
 * Makes one call to the memory server per step: the due entries of the outbox, batched with
 * `lock_context_batch` when the server offers it (asked once per connection, asked again after a
 * connection failure), else one `lock_context` per entry. Entries whose earlier attempt got no answer
 * are first looked up with `recall_batch`, so a write that reached the server before a timeout is not
 * stored twice. The answers are filed by {@link AnswerFiling}.
 */
export class OutboxSender {
  /** Whether the server offers the batch tool; undefined until asked on this connection. */
  private batchSupported: boolean | undefined;
  /** Whether batch entries carry their outcome's keys and facts (the server offers `outcome_insights`). */
  private withOutcomes = false;
  private readonly unreadableFacts: ThrottledLog;
  /** Send this many entries one by one (after the server refused a whole batch, to find the bad entry). */
  private isolate = 0;

  /** The write path against a server without the batch tool: packs and digests. */
  private readonly aggregate: AggregateSender;

  constructor(private readonly deps: SenderDeps) {
    this.aggregate = new AggregateSender(deps);
    this.unreadableFacts = new ThrottledLog(deps.logger, {
      intervalMs: UNREADABLE_FACTS_LOG_MS,
      now: () => deps.clock.now(),
    });
  }

  /** One call to the server, or the reason why none can be made now. */
  async step(deadline: number): Promise<StepResult> {
    const { circuit, filing, bucket, outbox, clock, settings } = this.deps;
    const now = clock.now();
    if (circuit.state === 'open') {
      if (!circuit.probeIfCooledDown(now)) return { kind: 'blocked', waitMs: circuit.waitMs(now) };
      // Entries backed off during the outage become due: the probe takes one, and if it goes
      // through the rest follow at once instead of each waiting out its own backoff.
      const released = outbox.releaseBackoff();
      this.deps.logger.info({ released }, 'circuit half-open, probing the memory server with one write');
    }
    if (now < filing.pausedUntil) return { kind: 'blocked', waitMs: filing.pausedUntil - now };
    const tokenWait = bucket.waitMs(now);
    if (tokenWait > 0) return { kind: 'blocked', waitMs: tokenWait };

    const timeoutMs = Math.max(1, Math.min(settings.callTimeoutMs, deadline - now));
    let batch: boolean;
    try {
      batch = await this.batchMode(timeoutMs);
    } catch (error) {
      if (error instanceof StompyToolError) {
        // Asking for the tools was refused: hosted Stompy's 429 counts connecting too.
        filing.refusedCall(error, this.deps.internalError);
        return PROGRESS;
      }
      if (!(error instanceof StompyUnavailableError)) throw error;
      this.unavailable(error, []);
      return PROGRESS;
    }
    if (this.deps.stopped()) return PROGRESS;
    if (!batch && settings.aggregate) return this.aggregate.step(timeoutMs, Number.isFinite(deadline));

    const single = !batch || this.isolate > 0;
    const entries = outbox.claim(
      circuit.state === 'half-open' || single ? 1 : settings.batchSize,
      settings.leaseMs,
    );
    if (entries.length === 0) return this.idle();
    bucket.take(clock.now());
    this.reportUnreadableFacts(entries);

    const unknown = entries.filter((e) => e.outcomeUnknown);
    if (unknown.length > 0) {
      const check = unknown.slice(0, VERIFY_LIMIT);
      const checked = new Set(check.map((e) => e.topic));
      outbox.release(entries.filter((e) => !checked.has(e.topic)).map((e) => e.topic));
      await this.verify(check, timeoutMs);
      return PROGRESS;
    }
    const first = entries[0];
    if (single && first && batch) {
      // Finding the entry that failed a whole batch: each goes alone, still as a batch, so that its
      // outcome's facts are counted with it; a lone entry refused as a whole goes as lock_context.
      this.isolate -= 1;
      await this.sendBatch([first], timeoutMs, 'alone');
    } else if (single && first) {
      if (this.isolate > 0) this.isolate -= 1;
      await this.sendOne(first, timeoutMs);
    } else {
      await this.sendBatch(entries, timeoutMs);
    }
    return PROGRESS;
  }

  /** Nothing claimable now: when to look again. */
  private idle(): StepResult {
    const { outbox, clock } = this.deps;
    const due = outbox.nextDueAt();
    // Nothing due later yet entries pending: one became due since the claim looked (nextDueAt only
    // sees what is due after now). Look again at once; "nothing to wait for" would end a flush early.
    if (due === undefined && outbox.pendingCount() > 0) return { kind: 'idle', waitMs: 1 };
    return {
      kind: 'idle',
      waitMs: due === undefined ? Number.POSITIVE_INFINITY : Math.max(1, due - clock.now()),
    };
  }

  private async batchMode(timeoutMs: number): Promise<boolean> {
    if (this.batchSupported === undefined) {
      const { client } = this.deps;
      const supported = await client.supportsBatchWrites(timeoutMs);
      // One tools/list per connection answers both (the session keeps the names).
      this.withOutcomes = supported && (await client.supportsOutcomeInsights(timeoutMs));
      // Not a proof of health (a server can list tools and still time out on writes): only an
      // answered write or recall closes the circuit.
      this.batchSupported = supported;
      this.deps.logger.debug(
        { batch: supported, outcomeFacts: this.withOutcomes },
        'connected; batch writes %s',
        supported ? 'offered' : 'not offered',
      );
    }
    return this.batchSupported;
  }

  /**
   * Entries whose stored outcome facts cannot be read (a damaged row) go without them: their notes
   * matter more than their counts. Counted as internal errors, logged at most once a minute.
   */
  private reportUnreadableFacts(entries: readonly ClaimedEntry[]): void {
    for (const { topic, outcomeProblem } of entries) {
      if (outcomeProblem === undefined) continue;
      this.deps.counters.add('internalErrors');
      this.unreadableFacts.log(
        { topic, problem: outcomeProblem },
        "an outbox entry's outcome facts cannot be read; it is delivered without them",
      );
    }
  }

  private async sendOne(entry: ClaimedEntry, timeoutMs: number): Promise<void> {
    try {
      await this.deps.client.lockContext(entry.write, timeoutMs);
    } catch (error) {
      this.callFailed(error, [entry]);
      return;
    }
    this.deps.filing.answered();
    this.deps.filing.written([entry.topic]);
  }

  /**
   * Sends entries with `lock_context_batch`. When the call is refused as a whole, `together` entries
   * are sent again one by one (to find the bad one); an entry sent `alone` goes as `lock_context`,
   * whose answer is filed as usual (stored, without facts, or refused for good).
   */
  private async sendBatch(
    entries: readonly ClaimedEntry[],
    timeoutMs: number,
    sent: 'together' | 'alone' = 'together',
  ): Promise<void> {
    const { client, filing } = this.deps;
    let results: Awaited<ReturnType<DeliveryClient['lockContextBatch']>>;
    try {
      results = await client.lockContextBatch(
        entries.map((e) => e.write),
        timeoutMs,
        { withOutcomes: this.withOutcomes },
      );
    } catch (error) {
      const lone = entries[0];
      if (sent === 'alone' && lone && error instanceof StompyToolError && refusesTheWholeBatch(error)) {
        this.deps.logger.warn(
          { err: error, topic: lone.topic },
          'a batch of one refused; sending it with lock_context',
        );
        await this.sendOne(lone, timeoutMs);
        return;
      }
      if (error instanceof StompyToolError && refusesTheWholeBatch(error)) {
        // The whole call was refused: the tool may be gone, or one bad entry failed the call's
        // validation. Ask for the tools again and send these one by one to find the bad entry.
        filing.answered();
        this.batchSupported = undefined;
        this.isolate = Math.max(this.isolate, entries.length);
        this.deps.outbox.release(entries.map((e) => e.topic));
        this.deps.logger.warn(
          { err: error, entries: entries.length },
          'batch write refused; sending these one by one',
        );
        return;
      }
      this.callFailed(error, entries);
      return;
    }
    filing.answered();
    const written: string[] = [];
    const refused: [ClaimedEntry, StompyToolError][] = [];
    entries.forEach((entry, i) => {
      const result = results[i];
      if (result instanceof StompyToolError) refused.push([entry, result]);
      else if (result === undefined) {
        const missing = new StompyToolError(
          'lock_context_batch',
          'missing_result',
          `${entry.topic}: no result`,
          undefined,
        );
        refused.push([entry, missing]);
      } else written.push(entry.topic);
    });
    filing.written(written);
    filing.refused(refused);
  }

  /** Entries whose earlier attempt got no answer: those the server has are delivered, the rest are written again. */
  private async verify(entries: readonly ClaimedEntry[], timeoutMs: number): Promise<void> {
    const { client, filing, outbox, logger } = this.deps;
    const topics = entries.map((e) => e.topic);
    let found: ReadonlyMap<string, unknown>;
    try {
      found = await client.recallBatch(topics, timeoutMs);
    } catch (error) {
      if (error instanceof StompyToolError && !error.retryable) {
        filing.answered();
        logger.warn(
          { err: error, entries: entries.length },
          'cannot check whether unanswered writes arrived (recall_batch refused); writing them again',
        );
        outbox.release(topics, { verified: true });
        return;
      }
      this.callFailed(error, entries);
      return;
    }
    filing.answered();
    const stored = topics.filter((t) => found.has(t));
    const missing = topics.filter((t) => !found.has(t));
    filing.written(stored);
    outbox.release(missing, { verified: true });
    logger.debug({ stored: stored.length, missing: missing.length }, 'checked unanswered writes');
  }

  private callFailed(error: unknown, entries: readonly ClaimedEntry[]): void {
    if (error instanceof StompyUnavailableError) this.unavailable(error, entries);
    else this.deps.filing.callFailed(error, entries, this.deps.internalError);
  }

  private unavailable(error: StompyUnavailableError, entries: readonly ClaimedEntry[]): void {
    // A new connection may reach another server version: ask for its tools again.
    this.batchSupported = undefined;
    this.aggregate.reconnected();
    this.deps.filing.unavailable(error, entries);
  }
}
