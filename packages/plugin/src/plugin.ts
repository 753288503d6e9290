/**
 * What StompyPlugin wires into a worker, and where each part lives:
 *
 * - `configureBundler`: the sandbox interceptors (`workflow/`) and the workflow tag rules, baked in.
 * - `configureWorker`: the activity interceptor (`worker/activity-memory-interceptor.ts`), the sandbox
 *   module, the outcome sink (`worker/outcome-sink.ts`) that workflow runs report through, and the
 *   activity that answers `recallInsights()` from workflow code (`worker/recall-insights-activity.ts`).
 * - `configureReplayWorker`: the same sandbox module and a sink that records nothing.
 * - `runWorker`: the runtime (`worker/plugin-runtime.ts`): the memory connection (`mcp/`), recall
 *   (`recall/`), the outbox and its delivery loop (`recording/`), started and flushed with the worker.
 * - Keys come from the tag rules (`keys/`); an outcome's note, topic and tags from `outcome/`.
 *
 * @module
 */
import { SimplePlugin } from '@temporalio/plugin';
import {
  Runtime,
  type BundleOptions,
  type ReplayWorkerOptions,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import { OUTCOME_SINK } from './common/headers';
import { StompyOptionsError } from './options/options-error';
import type { StompyPluginOptions } from './options/plugin-options';
import { resolveOptions, type ResolvedOptions } from './options/resolve-options';
import type { DeliveryBacklog } from './recording/delivery/delivery-backlog';
import type { FlushResult } from './recording/delivery/delivery-settings';
import { createLogger } from './support/logger';
import { PluginCounters, type PluginCounterValues } from './support/plugin-counters';
import { PluginWiring, registerWiring, workerVersionOf } from './worker/plugin-wiring';
import { withWorkflowModule, workflowRulesHook, type WebpackConfiguration } from './worker/workflow-bundling';

/**
 * A Temporal worker plugin that gives workflows durable memory: it records every workflow run and
 * activity attempt to Stompy over MCP and recalls what past executions taught before each activity
 * runs (read it with `recalledContext()`). Add it to `Worker.create({ plugins })`; workflow and
 * activity code do not change.
 *
 * @experimental Built on the SDK's `SimplePlugin` and `WorkflowInternalsInterceptor`, both
 * experimental in the Temporal TypeScript SDK.
 *
 * @example
 * ```ts
 * const worker = await Worker.create({
 *   connection, taskQueue: 'orders', workflowsPath, activities,
 *   plugins: [new StompyPlugin({ memory: { url: process.env.STOMPY_URL, token: process.env.STOMPY_TOKEN } })],
 * });
 * ```
 */
export class StompyPlugin extends SimplePlugin {
  private readonly resolved: ResolvedOptions;
  private readonly logger: Logger;
  private readonly counterSet: PluginCounters;
  private readonly wiring: PluginWiring;
  private readonly rulesHook: (config: WebpackConfiguration) => WebpackConfiguration;

  /** Validates the options at once: a bad option throws here with a message that says how to fix it. */
  constructor(options: StompyPluginOptions = {}) {
    super({ name: 'temporal-stompy.StompyPlugin' });
    this.resolved = resolveOptions(options);
    this.logger = options.logger ?? createLogger();
    // Resolved at the first count, once a worker runs: by then the worker has installed the Runtime.
    this.counterSet = new PluginCounters({
      meter: () => Runtime.instance().metricMeter,
      logger: this.logger,
    });
    this.wiring = new PluginWiring(this.resolved, this.logger, this.counterSet);
    this.rulesHook = workflowRulesHook(this.resolved.workflowRules);
    registerWiring(this, this.wiring);
  }

  /**
   * Counts of what the plugin recorded, recalled, retried and dropped since it was created. They are
   * also metrics of Temporal's runtime (`stompy_outcomes_queued`, ...): with a metrics exporter in
   * `Runtime.install({ telemetryOptions: { metrics } })` they are published beside the SDK's own.
   */
  counters(): PluginCounterValues {
    return this.counterSet.snapshot();
  }

  /** Delivers queued outcomes now, waiting at most `timeoutMs`; resolves with what is still pending. */
  flush(timeoutMs = this.resolved.shutdownFlushMs): Promise<FlushResult> {
    return this.wiring.flush(timeoutMs);
  }

  /**
   * Whether outcome delivery keeps up: the outcomes waiting in the outbox, the oldest one's age,
   * dead letters, outcomes delivered per minute over the last 5 minutes, the estimated time to
   * drain (undefined when outcomes are pending and none was delivered: not draining) and the
   * circuit breaker's state. Never rejects: when no worker runs, or the memory thread does not
   * answer within `timeoutMs`, it resolves with `known: false` and the reason.
   */
  backlog(timeoutMs = 5_000): Promise<DeliveryBacklog> {
    return this.wiring.backlog(timeoutMs);
  }

  override configureWorker(options: WorkerOptions): WorkerOptions {
    const base = super.configureWorker(options);
    const interceptors = base.interceptors ?? {};
    if (this.wiring.isWiredInto(interceptors)) return base; // also given to the connection
    this.refuseForeignSink(base.sinks);
    const version = workerVersionOf(base);
    return {
      ...base,
      interceptors: {
        ...interceptors,
        activity: [...(interceptors.activity ?? []), this.wiring.activityInterceptors(version)],
        // A prebuilt bundle already holds the module (bundleWorkflowCode({ plugins })); the worker
        // would only warn that it ignores workflowModules.
        workflowModules: base.workflowBundle
          ? interceptors.workflowModules
          : withWorkflowModule(interceptors.workflowModules),
      },
      sinks: { ...(base.sinks ?? {}), ...this.wiring.outcomeSinks(version) },
      activities: { ...(base.activities ?? {}), ...this.wiring.activities(version) },
    };
  }

  override configureReplayWorker(options: ReplayWorkerOptions): ReplayWorkerOptions {
    const base = super.configureReplayWorker(options);
    const interceptors = base.interceptors ?? {};
    if (this.wiring.isOwnSink(base.sinks?.[OUTCOME_SINK])) return base; // also given to the connection
    this.refuseForeignSink(base.sinks);
    return {
      ...base,
      interceptors: {
        ...interceptors,
        // As for a worker: a prebuilt bundle already holds the module, and the SDK would only warn.
        workflowModules: base.workflowBundle
          ? interceptors.workflowModules
          : withWorkflowModule(interceptors.workflowModules),
      },
      sinks: { ...(base.sinks ?? {}), ...this.wiring.replaySinks() },
    };
  }

  override configureBundler(options: BundleOptions): BundleOptions {
    const base = super.configureBundler(options);
    const previousHook = base.webpackConfigHook;
    if (previousHook && hooksOfThisPlugin.has(previousHook)) return base; // also given to the connection
    const webpackConfigHook = (config: WebpackConfiguration): WebpackConfiguration =>
      this.rulesHook(previousHook ? previousHook(config) : config);
    hooksOfThisPlugin.add(webpackConfigHook);
    return {
      ...base,
      workflowInterceptorModules: withWorkflowModule(base.workflowInterceptorModules),
      webpackConfigHook,
    };
  }

  /** Starts outcome delivery while the worker runs; on shutdown delivers what it can within `shutdownFlushMs`. */
  override runWorker(worker: Worker, next: (worker: Worker) => Promise<void>): Promise<void> {
    return this.wiring.run(() => super.runWorker(worker, next));
  }

  /** A user sink under the plugin's sink name would silently switch recording off: say so instead. */
  private refuseForeignSink(sinks: WorkerOptions['sinks']): void {
    const sink = sinks?.[OUTCOME_SINK];
    if (sink === undefined || this.wiring.isOwnSink(sink)) return;
    throw new StompyOptionsError(
      `the worker already has a sink named '${OUTCOME_SINK}', the name the plugin reports workflow outcomes through; rename that sink`,
    );
  }
}

/** Bundler hooks made by StompyPlugin instances, so a plugin given twice wraps the hook once. */
const hooksOfThisPlugin = new WeakSet<object>();
