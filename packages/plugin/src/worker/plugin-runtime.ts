import type { Logger } from 'pino';
import { StompyClient } from '../mcp/stompy-client';
import { ThreadOutcomeQueue } from '../memory-thread/thread-outcome-queue';
import { MemoryThread } from '../memory-thread/memory-thread';
import type { ThreadMemory, ThreadSettings } from '../memory-thread/thread-protocol';
import { ThreadToolSession } from '../memory-thread/thread-tool-session';
import type { ResolvedOptions } from '../options/resolve-options';
import { ActivityKeyExtractor } from '../keys/activity-keys';
import { MemoryRecall } from '../recall/memory-recall';
import type { FlushResult } from '../recording/delivery/delivery-settings';
import { backlogGauges, type DeliveryBacklog } from '../recording/delivery/delivery-backlog';
import { OutcomeRecorder } from '../recording/outcome-recorder';
import { componentLogger } from '../support/logger';
import { ThrottledLog } from '../support/throttled-log';

/** Shortest interval between two lines about refused `recordHandling` labels. */
const HANDLING_LOG_INTERVAL_MS = 60_000;
import type { PluginCounters, PluginGauge } from '../support/plugin-counters';
import type { ActivityMemoryDeps } from './activity-memory-interceptor';
import { awaitBacklog } from './backlog-request';

/**
 * Everything the plugin runs in a worker process. On the main thread, beside the user's activities:
 * the tag rules, recall's cache and budget, and the recorder, which builds each outcome's context.
 * In the plugin's memory thread: the memory connection (or the embedded server), the outbox file and
 * its delivery loop. Built when first needed (a worker runs, an activity starts, a run ends), closed
 * when the last running worker stops.
 */
export class PluginRuntime {
  /** What each activity interceptor needs. */
  readonly activityDeps: ActivityMemoryDeps;
  private readonly thread: MemoryThread;
  private readonly logger: Logger;
  private started = false;

  constructor(options: ResolvedOptions, logger: Logger, counters: PluginCounters) {
    // Recall and delivery share the cap on calls (`memory.maxCallsPerMinute`): the memory thread, which
    // every call goes through, holds the budget.
    this.thread = new MemoryThread(threadSettings(options, logger), logger, counters, {
      onBacklog: (backlog) => {
        for (const [gauge, value] of Object.entries(backlogGauges(backlog)))
          counters.setGauge(gauge as PluginGauge, value);
      },
    });
    this.logger = componentLogger(logger, 'plugin');
    if (options.memory.kind === 'embedded' && options.memory.reason === 'url-unset') {
      this.logger.warn(
        { dbPath: options.memory.dbPath },
        'memory.url is not set; using the embedded memory server',
      );
    }
    const client = new StompyClient(new ThreadToolSession(this.thread, options.timeoutMs), options.project);
    const recall = options.recall.enabled
      ? new MemoryRecall(
          () => client,
          {
            budgetMs: options.recall.budgetMs,
            perKeyLimit: options.recall.perKeyLimit,
            cacheTtlMs: options.recall.cacheTtlMs,
            cacheMaxKeys: 10_000,
            maxMemories: options.recall.maxMemories,
            halfLifeDays: options.recall.halfLifeDays,
            ownWriter: () => this.ownWriter(),
          },
          componentLogger(logger, 'recall'),
          counters,
        )
      : undefined;
    const recorder = new OutcomeRecorder({
      queue: new ThreadOutcomeQueue(this.thread),
      logger: componentLogger(logger, 'recording'),
      counters,
      waitMs: options.recall.budgetMs,
      ...(recall ? { onRecorded: (outcome, write) => recall.rememberOutcome(outcome, write) } : {}),
    });
    const activityLogger = componentLogger(logger, 'activity');
    this.activityDeps = {
      keyExtractor: new ActivityKeyExtractor(
        options.activityRules,
        componentLogger(logger, 'keys'),
        counters,
      ),
      recall,
      recorder,
      capture: options.capture,
      logger: activityLogger,
      counters,
      refusedHandlingLog: new ThrottledLog(activityLogger, { intervalMs: HANDLING_LOG_INTERVAL_MS }),
    };
  }

  /** The writer id of this worker's outbox (its digests' names); undefined when the thread does not say. */
  private async ownWriter(): Promise<string | undefined> {
    try {
      return await this.thread.request<string>({ op: 'writer' }, 5_000);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the outbox writer id; recall reads the register only');
      return undefined;
    }
  }

  /** Starts background delivery (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.thread.request({ op: 'start' }, 10_000).catch(() => undefined); // a dead thread says so itself
  }

  /** Delivers what it can within `timeoutMs` (nothing while delivery is held). */
  async flush(timeoutMs: number): Promise<FlushResult> {
    try {
      return await this.thread.request<FlushResult>({ op: 'flush', timeoutMs }, timeoutMs);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'could not flush: the memory thread did not answer; outcomes stay in the outbox',
      );
      return { delivered: 0, remaining: 0 };
    }
  }

  /**
   * The outbox backlog as the memory thread's delivery sees it, within `timeoutMs`; never rejects:
   * a thread that does not answer in time gives `known: false` (logged).
   */
  backlog(timeoutMs: number): Promise<DeliveryBacklog> {
    return awaitBacklog(this.thread.request({ op: 'backlog' }, timeoutMs), timeoutMs, this.logger);
  }

  /** Flushes within `flushMs`, then stops delivery and closes the connection and files; what is left stays queued on disk. */
  close(flushMs: number): Promise<void> {
    return this.thread.close(flushMs);
  }
}

/** What the memory thread needs of the options: plain data only (rules and loggers stay here). */
function threadSettings(options: ResolvedOptions, logger: Logger): ThreadSettings {
  const { memory } = options;
  const threadMemory: ThreadMemory =
    memory.kind === 'http'
      ? {
          kind: 'http',
          urls: memory.urls.map((u) => u.href),
          transport: memory.transport,
          token: memory.token,
        }
      : memory.kind === 'stdio'
        ? memory
        : { kind: 'embedded', dbPath: memory.dbPath };
  return {
    memory: threadMemory,
    project: options.project,
    timeoutMs: options.timeoutMs,
    callBudget: options.callBudget,
    halfLifeDays: options.recall.halfLifeDays,
    outbox: options.outbox,
    logLevel: logger.level,
  };
}
