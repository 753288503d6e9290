import type { Logger } from 'pino';
import type { ContextWrite } from '../mcp/stompy-client';
import { StompyClient } from '../mcp/stompy-client';
import { CLIENT_RATE_LIMIT, StompyToolError } from '../mcp/stompy-errors';
import type { JsonObject } from '../mcp/tool-result';
import { CallBudget } from '../support/call-budget';
import { OutboxDelivery } from '../recording/delivery/outbox-delivery';
import type { FlushResult } from '../recording/delivery/delivery-settings';
import type { DeliveryBacklog, KnownDeliveryBacklog } from '../recording/delivery/delivery-backlog';
import type { OutcomeOutbox } from '../recording/outbox/outcome-outbox';
import type { EnqueueResult } from '../recording/outbox/outbox-types';
import { componentLogger } from '../support/logger';
import type { PluginCounters } from '../support/plugin-counters';
import { BacklogReporter } from './backlog-reporter';
import { openMemory, type OpenedMemory } from './thread-memory';
import { recordInEmbeddedFile } from './embedded-recording';
import { openOutbox } from './thread-outbox';
import type { ThreadRequest, ThreadSettings } from './thread-protocol';
import { chargeUnseenRequests, leaveRoomForConnecting } from './unseen-requests';

/** A record waiting for the next group commit, and how to answer it. */
interface PendingRecord {
  readonly write: ContextWrite;
  readonly answer: (result: EnqueueResult) => void;
}

/**
 * Everything the plugin runs in its memory thread: the memory connection (or the embedded server),
 * the outbox file and its delivery loop. Records that arrive together are committed in one
 * transaction: to the outbox, or straight into the embedded memory file when memory is embedded
 * (the outbox then holds only what that file did not take). Every SQLite statement and every byte to
 * or from the memory server runs here, off the thread that runs the user's activities and workflow
 * tasks.
 */
export class ThreadRuntime {
  private readonly memory: OpenedMemory;
  private readonly outbox: OutcomeOutbox;
  private readonly delivery: OutboxDelivery;
  private readonly backlogReporter: BacklogReporter;
  private readonly client: StompyClient;
  private readonly logger: Logger;
  /** The calls recall (asking from the main thread) and delivery (here) share; undefined: no cap. */
  private readonly budget: CallBudget | undefined;
  private readonly counters: Pick<PluginCounters, 'add'>;
  /** The embedded memory file is durable: outcomes go straight into it, the outbox holds only what it refuses. */
  private readonly straightToMemory: boolean;
  /** Whether the embedded server counts outcome facts (offers `outcome_insights`); asked at the first commit. */
  private embeddedCountsOutcomes: boolean | undefined;
  private pending: PendingRecord[] = [];
  private commitScheduled = false;
  private started = false;

  /** `reportBacklog`: where the backlog goes every 10 s while delivery runs (to the main thread's gauges). */
  constructor(
    settings: ThreadSettings,
    logger: Logger,
    counters: Pick<PluginCounters, 'add'>,
    reportBacklog: (backlog: KnownDeliveryBacklog) => void = () => undefined,
  ) {
    const plugin = componentLogger(logger, 'plugin');
    this.budget = settings.callBudget && new CallBudget(leaveRoomForConnecting(settings.callBudget));
    const hooks = chargeUnseenRequests(this.budget);
    this.memory = openMemory(settings.memory, settings.timeoutMs, logger, counters, hooks);
    this.outbox = openOutbox(settings.outbox, plugin, componentLogger(logger, 'outbox'), counters);
    this.client = new StompyClient(this.memory.session, settings.project);
    this.logger = componentLogger(logger, 'recording');
    this.counters = counters;
    this.straightToMemory = settings.memory.kind === 'embedded' && this.memory.durable;
    this.delivery = new OutboxDelivery({
      outbox: this.outbox,
      client: this.client,
      logger: componentLogger(logger, 'delivery'),
      counters,
      callTimeoutMs: settings.timeoutMs,
      halfLifeDays: settings.halfLifeDays,
      ...(this.budget ? { calls: this.budget.gate('delivery') } : {}),
    });
    this.backlogReporter = new BacklogReporter({
      read: () => this.delivery.backlog(),
      report: reportBacklog,
      logger: componentLogger(logger, 'delivery'),
    });
    plugin.info(
      {
        memory: this.memory.description,
        project: settings.project ?? '(server default)',
        outbox: settings.outbox.path,
      },
      'memory plugin ready',
    );
  }

  /** Answers one request from the main thread; records are answered at the next group commit. */
  handle(
    request: ThreadRequest,
    answerRecords: (results: EnqueueResult[]) => void,
  ): Promise<unknown> | undefined {
    switch (request.op) {
      case 'call':
        return this.recallCall(request.tool, request.args, request.timeoutMs);
      case 'tools':
        return this.memory.session.availableTools(request.timeoutMs).then((names) => [...names]);
      case 'record':
        this.record(request.writes, answerRecords);
        return undefined;
      case 'start':
        this.start();
        return Promise.resolve(true);
      case 'flush':
        return this.flush(request.timeoutMs);
      case 'backlog':
        // With embedded memory the outbox holds only what the memory file refused: the same report.
        return Promise.resolve(this.backlog());
      case 'writer':
        return Promise.resolve(this.outbox.aggregates.writerId());
      case 'close':
        return this.close(request.flushMs);
    }
  }

  /** The delivery backlog, with each memory server's state when there are several. */
  private backlog(): DeliveryBacklog {
    const backlog = this.delivery.backlog();
    const servers = this.memory.servers?.();
    return servers && backlog.known ? { ...backlog, memoryServers: servers } : backlog;
  }

  /** A call of recall's, made when the call budget has room for it; refused at once otherwise. */
  private recallCall(tool: string, args: JsonObject, timeoutMs: number | undefined): Promise<unknown> {
    const gate = this.budget?.gate('recall');
    if (gate && !gate.tryTake(Date.now())) {
      const waitSeconds = Math.max(1, Math.ceil(gate.waitMs(Date.now()) / 1000));
      return Promise.reject(
        new StompyToolError(
          tool,
          CLIENT_RATE_LIMIT,
          `recall is at its share of memory.maxCallsPerMinute; next call in about ${waitSeconds} s`,
          waitSeconds,
        ),
      );
    }
    return this.memory.session.callTool(tool, args, timeoutMs);
  }

  private record(writes: readonly ContextWrite[], answer: (results: EnqueueResult[]) => void): void {
    // One answer for the request, once each of its writes has its result.
    const results: EnqueueResult[] = [];
    let left = writes.length;
    if (left === 0) answer([]);
    writes.forEach((write, i) =>
      this.pending.push({
        write,
        answer: (result) => {
          results[i] = result;
          if (--left === 0) answer(results);
        },
      }),
    );
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    // After the messages already queued: records that arrive together share one commit.
    setImmediate(() => this.commitSafely());
  }

  /** {@link commit}, answering every record of a group that failed unexpectedly as dropped (logged, counted). */
  private commitSafely(): void {
    const batch = this.pending;
    this.commit().catch((error: unknown) => {
      this.counters.add('internalErrors');
      this.counters.add('outcomesDropped', batch.length);
      this.logger.error(
        { err: error, outcomes: batch.length },
        'internal error while recording outcomes; they are lost',
      );
      for (const record of batch) record.answer('dropped');
    });
  }

  /** Commits the records waiting, in one transaction; then the next group, if more came meanwhile. */
  private async commit(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const results = new Map<PendingRecord, EnqueueResult>();
      let toOutbox = batch;
      if (this.straightToMemory) {
        this.embeddedCountsOutcomes ??= await this.client.supportsOutcomeInsights();
        const stored = await recordInEmbeddedFile(
          this.client,
          batch.map((r) => r.write),
          { withOutcomes: this.embeddedCountsOutcomes, counters: this.counters, logger: this.logger },
        );
        batch.forEach((record, i) => {
          const result = stored[i];
          if (result) results.set(record, result);
        });
        toOutbox = batch.filter((record) => !results.has(record));
      }
      const queued = this.outbox.enqueueAll(toOutbox.map((r) => r.write));
      toOutbox.forEach((record, i) => results.set(record, queued[i] ?? 'dropped'));
      for (const record of batch) record.answer(results.get(record) ?? 'dropped');
      if (queued.includes('queued')) this.delivery.kick();
    } finally {
      if (this.pending.length > 0) setImmediate(() => this.commitSafely());
      else this.commitScheduled = false;
    }
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.memory.durable) return;
    this.delivery.start();
    this.backlogReporter.start();
  }

  /** Delivers what it can within `timeoutMs` (nothing while delivery is held). */
  private async flush(timeoutMs: number): Promise<FlushResult> {
    while (this.commitScheduled || this.pending.length > 0)
      await new Promise((resolve) => setImmediate(resolve));
    return this.memory.durable
      ? this.delivery.flush(timeoutMs)
      : Promise.resolve({ delivered: 0, remaining: this.outbox.pendingCount() });
  }

  /** Flushes within `flushMs`, then stops delivery and closes the connection and files; what is left stays queued on disk. */
  private async close(flushMs: number): Promise<true> {
    try {
      await this.flush(flushMs);
    } finally {
      // Close the connection before waiting for delivery to stop: a call still in flight (against a
      // server that never answers, up to the call timeout) then ends at once instead of holding the
      // worker's shutdown past flushMs. Its entries stay in the outbox, flagged to be checked first.
      this.backlogReporter.stop();
      const stopping = this.delivery.stop();
      await this.memory.close(1_000);
      await stopping;
      this.outbox.close();
    }
    return true;
  }
}
