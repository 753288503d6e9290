import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import type { Logger } from 'pino';
import { McpSession } from '../mcp/mcp-session';
import type { MemoryTarget } from '../mcp/memory-target';
import { describeTarget } from '../mcp/memory-target';
import { StompyClient } from '../mcp/stompy-client';
import type { ResolvedOptions } from '../options/resolve-options';
import { ActivityKeyExtractor } from '../keys/activity-keys';
import type { ActivityMemoryDeps } from './activity-memory-interceptor';
import { MemoryRecall } from '../recall/memory-recall';
import { OutboxDelivery } from '../recording/delivery/outbox-delivery';
import type { FlushResult } from '../recording/delivery/delivery-settings';
import { OutcomeOutbox } from '../recording/outbox/outcome-outbox';
import { OutcomeRecorder } from '../recording/outcome-recorder';
import type { PluginCounters } from '../support/plugin-counters';

/**
 * Everything the plugin runs in a worker process: the memory connection, recall, the outbox and its
 * delivery loop. Built when first needed (a worker runs, an activity starts, a run ends), closed when
 * the last running worker stops.
 */
export class PluginRuntime {
  /** What each activity interceptor needs. */
  readonly activityDeps: ActivityMemoryDeps;
  private readonly session: McpSession;
  private readonly outbox: OutcomeOutbox;
  private readonly delivery: OutboxDelivery;
  private readonly embedded: StompyServerDeps | undefined;
  /**
   * Whether outcomes stay in the outbox: the embedded memory file could not be opened and memory
   * lives in this process only. Delivering there would take outcomes out of the durable outbox into
   * memory that is gone at exit; held, they are delivered after a restart with the file fixed.
   */
  private readonly deliveryHeld: boolean;
  private started = false;

  constructor(options: ResolvedOptions, logger: Logger, counters: PluginCounters) {
    const { target, embedded, durable } = memoryTarget(options, logger, counters);
    this.embedded = embedded;
    this.deliveryHeld = !durable;
    this.session = new McpSession(target, options.timeoutMs, logger);
    const client = new StompyClient(this.session, options.project);
    logger.info(
      {
        memory: describeTarget(target),
        project: options.project ?? '(server default)',
        outbox: options.outbox.path,
      },
      'stompy: memory plugin ready',
    );
    if (options.memory.kind === 'embedded' && options.memory.reason === 'url-unset') {
      logger.warn(
        { dbPath: options.memory.dbPath },
        'stompy: memory.url is not set; using the embedded memory server',
      );
    }
    // Recall and delivery share the cap on calls: half each, or all of it for delivery without recall.
    const cap = options.maxCallsPerMinute;
    const share = cap !== undefined && options.recall.enabled ? cap / 2 : cap;
    const recall = options.recall.enabled
      ? new MemoryRecall(
          () => client,
          {
            budgetMs: options.recall.budgetMs,
            perKeyLimit: options.recall.perKeyLimit,
            cacheTtlMs: options.recall.cacheTtlMs,
            cacheMaxKeys: 10_000,
            maxMemories: options.recall.maxMemories,
            ...(share === undefined ? {} : { maxCallsPerMinute: share }),
          },
          logger,
          counters,
        )
      : undefined;
    this.outbox = openOutbox(options, logger, counters);
    this.delivery = new OutboxDelivery({
      outbox: this.outbox,
      client,
      logger,
      counters,
      callTimeoutMs: options.timeoutMs,
      ...(share === undefined ? {} : { maxCallsPerMinute: share }),
    });
    const recorder = new OutcomeRecorder(
      this.outbox,
      this.delivery,
      logger,
      recall && ((outcome, write) => recall.rememberOutcome(outcome, write)),
    );
    this.activityDeps = {
      keyExtractor: new ActivityKeyExtractor(options.activityRules, logger, counters),
      recall,
      recorder,
      capture: options.capture,
      logger,
      counters,
    };
  }

  /** Starts background delivery (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.deliveryHeld) this.delivery.start();
  }

  /** Delivers what it can within `timeoutMs` (nothing while delivery is held). */
  flush(timeoutMs: number): Promise<FlushResult> {
    return this.deliveryHeld
      ? Promise.resolve({ delivered: 0, remaining: this.outbox.pendingCount() })
      : this.delivery.flush(timeoutMs);
  }

  /** Flushes within `flushMs`, then stops delivery and closes the connection and files; what is left stays queued on disk. */
  async close(flushMs: number): Promise<void> {
    try {
      await this.flush(flushMs);
    } finally {
      // Close the connection before waiting for delivery to stop: a call still in flight (against a
      // server that never answers, up to the call timeout) then ends at once instead of holding the
      // worker's shutdown past flushMs. Its entries stay in the outbox, flagged to be checked first.
      const stopping = this.delivery.stop();
      await this.session.close();
      await stopping;
      this.outbox.close();
      this.embedded?.store.close();
    }
  }
}

/**
 * Opens the outbox file. When it cannot be opened (unwritable folder, a file from a newer version),
 * the worker still starts: outcomes wait in memory instead, which survives an outage but not a
 * restart, and the error says so.
 */
function openOutbox(options: ResolvedOptions, logger: Logger, counters: PluginCounters): OutcomeOutbox {
  const settings = {
    logger,
    counters,
    maxPendingBytes: options.outbox.maxBytes,
    maxPending: options.outbox.maxEntries,
  };
  try {
    return new OutcomeOutbox({ path: options.outbox.path, ...settings });
  } catch (error) {
    counters.add('internalErrors');
    logger.error(
      { err: error, path: options.outbox.path },
      'stompy: cannot open the outbox file; queuing outcomes in memory (they will not survive a restart). Fix the path or permissions (option outbox.path)',
    );
    return new OutcomeOutbox({ path: ':memory:', ...settings });
  }
}

/**
 * Opens the embedded server's file. If it cannot be opened, the worker still starts on memory that
 * lives in this process only (`durable: false`), and the error says so.
 */
function openEmbeddedServer(
  dbPath: string,
  logger: Logger,
  counters: PluginCounters,
): { deps: StompyServerDeps; durable: boolean } {
  const serverLogger = logger.child({ component: 'memory-server' });
  try {
    return { deps: createServerDeps(resolveConfig({ dbPath, logger: serverLogger })), durable: true };
  } catch (error) {
    counters.add('internalErrors');
    logger.error(
      { err: error, dbPath },
      'stompy: cannot open the embedded memory file; recall sees only this process, and outcomes stay in the outbox until a worker opens the file. Fix the path or permissions (option memory.dbPath) and restart',
    );
    return {
      deps: createServerDeps(resolveConfig({ dbPath: ':memory:', logger: serverLogger })),
      durable: false,
    };
  }
}

function memoryTarget(
  options: ResolvedOptions,
  logger: Logger,
  counters: PluginCounters,
): { target: MemoryTarget; embedded?: StompyServerDeps; durable: boolean } {
  const memory = options.memory;
  if (memory.kind !== 'embedded') return { target: memory, durable: true };
  const { deps, durable } = openEmbeddedServer(memory.dbPath, logger, counters);
  return {
    durable,
    target: {
      kind: 'in-process',
      createServer: () => createStompyServer(deps),
      description: deps.config.dbPath,
    },
    embedded: deps,
  };
}
