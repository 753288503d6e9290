import type { Logger } from 'pino';
import type { ContextWrite } from '../mcp/stompy-client';
import { StompyClient } from '../mcp/stompy-client';
import { OutboxDelivery } from '../recording/delivery/outbox-delivery';
import type { FlushResult } from '../recording/delivery/delivery-settings';
import type { OutcomeOutbox } from '../recording/outbox/outcome-outbox';
import type { EnqueueResult } from '../recording/outbox/outbox-types';
import { componentLogger } from '../support/logger';
import type { PluginCounters } from '../support/plugin-counters';
import { openMemory, type OpenedMemory } from './thread-memory';
import { openOutbox } from './thread-outbox';
import type { ThreadRequest, ThreadSettings } from './thread-protocol';

/** A record waiting for the next group commit, and how to answer it. */
interface PendingRecord {
  readonly write: ContextWrite;
  readonly answer: (result: EnqueueResult) => void;
}

/**
 * Everything the plugin runs in its memory thread: the memory connection (or the embedded server),
 * the outbox file and its delivery loop. Records that arrive together are committed to the outbox in
 * one transaction; every SQLite statement and every byte to or from the memory server runs here, off
 * the thread that runs the user's activities and workflow tasks.
 */
export class ThreadRuntime {
  private readonly memory: OpenedMemory;
  private readonly outbox: OutcomeOutbox;
  private readonly delivery: OutboxDelivery;
  private pending: PendingRecord[] = [];
  private commitScheduled = false;
  private started = false;

  constructor(settings: ThreadSettings, logger: Logger, counters: Pick<PluginCounters, 'add'>) {
    const plugin = componentLogger(logger, 'plugin');
    this.memory = openMemory(settings.memory, settings.timeoutMs, logger, counters);
    this.outbox = openOutbox(settings.outbox, plugin, componentLogger(logger, 'outbox'), counters);
    this.delivery = new OutboxDelivery({
      outbox: this.outbox,
      client: new StompyClient(this.memory.session, settings.project),
      logger: componentLogger(logger, 'delivery'),
      counters,
      callTimeoutMs: settings.timeoutMs,
      ...(settings.deliveryCallsPerMinute === undefined
        ? {}
        : { maxCallsPerMinute: settings.deliveryCallsPerMinute }),
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

  /** Answers one request from the main thread; a record is answered at the next group commit. */
  handle(
    request: ThreadRequest,
    answerRecord: (result: EnqueueResult) => void,
  ): Promise<unknown> | undefined {
    switch (request.op) {
      case 'call':
        return this.memory.session.callTool(request.tool, request.args, request.timeoutMs);
      case 'tools':
        return this.memory.session.availableTools(request.timeoutMs).then((names) => [...names]);
      case 'record':
        this.record(request.write, answerRecord);
        return undefined;
      case 'start':
        this.start();
        return Promise.resolve(true);
      case 'flush':
        return this.flush(request.timeoutMs);
      case 'close':
        return this.close(request.flushMs);
    }
  }

  private record(write: ContextWrite, answer: (result: EnqueueResult) => void): void {
    this.pending.push({ write, answer });
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    // After the messages already queued: records that arrive together share one commit.
    setImmediate(() => this.commit());
  }

  private commit(): void {
    const batch = this.pending;
    this.pending = [];
    this.commitScheduled = false;
    const results = this.outbox.enqueueAll(batch.map((r) => r.write));
    batch.forEach((record, i) => record.answer(results[i] ?? 'dropped'));
    if (results.includes('queued')) this.delivery.kick();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    if (this.memory.durable) this.delivery.start();
  }

  /** Delivers what it can within `timeoutMs` (nothing while delivery is held). */
  private flush(timeoutMs: number): Promise<FlushResult> {
    if (this.pending.length > 0) this.commit();
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
      const stopping = this.delivery.stop();
      await this.memory.close(1_000);
      await stopping;
      this.outbox.close();
    }
    return true;
  }
}
