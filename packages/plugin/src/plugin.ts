/**
 * What StompyPlugin wires into a worker, and where each part lives:
 *
 * - `configureBundler`: the sandbox interceptors (`workflow/`) and the workflow tag rules, baked in.
 * - `configureWorker`: the activity interceptor (`worker/activity-memory-interceptor.ts`), the sandbox
 *   module, and the outcome sink (`worker/outcome-sink.ts`) that workflow runs report through.
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
  type ActivityInterceptorsFactory,
  type BundleOptions,
  type InjectedSinks,
  type ReplayWorkerOptions,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import type { StompyPluginOptions } from './options/plugin-options';
import { resolveOptions, type ResolvedOptions } from './options/resolve-options';
import { ActivityMemoryInterceptor } from './worker/activity-memory-interceptor';
import { createLogger } from './support/logger';
import { createOutcomeSinks } from './worker/outcome-sink';
import { PluginCounters, type PluginCounterValues } from './support/plugin-counters';
import { PluginRuntime } from './worker/plugin-runtime';
import type { StompySinks } from './workflow/sinks';
import type { Outcome } from './common/outcome';

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** The bare identifier DefinePlugin replaces in the workflow bundle with the workflow rules' JSON. */
const RULES_GLOBAL = '__STOMPY_WORKFLOW_RULES__';

/**
 * The workflow interceptor module (absolute path), for manual wiring without plugins: add it to
 * `interceptors.workflowModules` (or `bundleWorkflowCode({ workflowInterceptorModules })`).
 */
export const STOMPY_WORKFLOW_MODULE = require.resolve('./workflow/workflow-interceptors');

/**
 * A Temporal worker plugin that gives workflows durable memory: it records every workflow run and
 * activity attempt to Stompy over MCP and recalls what past executions taught before each activity
 * runs (read it with `recalledContext()`). Add it to `Worker.create({ plugins })`; workflow and
 * activity code do not change.
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
  private runtime: PluginRuntime | undefined;
  /** The first worker's build id or deployment version, recorded on activity outcomes. */
  private workerVersion: string | undefined;
  private runningWorkers = 0;
  /** Absolute path so the bundler resolves it under strict pnpm layouts. */
  private readonly workflowModule = STOMPY_WORKFLOW_MODULE;

  /**
   * The activity interceptors factory (for manual wiring: `interceptors.activity`). One per plugin:
   * its presence in a worker's interceptors also means "already registered".
   */
  readonly activityInterceptors: ActivityInterceptorsFactory = (ctx) => ({
    inbound: new ActivityMemoryInterceptor(ctx, this.liveRuntime().activityDeps),
  });

  /**
   * The bundler hook that carries the workflow rules into the workflow sandbox (for manual wiring:
   * `bundlerOptions.webpackConfigHook`, or compose it with your own).
   */
  readonly webpackConfigHook = (config: WebpackConfiguration): WebpackConfiguration => ({
    ...config,
    plugins: [
      ...(config.plugins ?? []),
      definePlugin({ [RULES_GLOBAL]: JSON.stringify(JSON.stringify(this.resolved.workflowRules)) }),
    ],
  });

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
  }

  /**
   * Counts of what the plugin recorded, recalled, retried and dropped since it was created. They are
   * also metrics of Temporal's runtime (`stompy_outcomes_queued`, ...): with a metrics exporter in
   * `Runtime.install({ telemetryOptions: { metrics } })` they are published beside the SDK's own.
   */
  counters(): PluginCounterValues {
    return this.counterSet.snapshot();
  }

  /** The sinks the workflow interceptors report through (for manual wiring: `sinks`). */
  workerSinks(workerVersion?: string): InjectedSinks<StompySinks> {
    this.workerVersion ??= workerVersion;
    // The sinks find the live runtime when called, not when the worker is configured: a worker
    // created while another ran, and run after that one stopped, records into its own runtime.
    const recorder = {
      record: (outcome: Outcome) => this.liveRuntime().activityDeps.recorder.record(outcome),
    };
    return createOutcomeSinks(recorder, workerVersion, this.logger, this.counterSet);
  }

  /**
   * Runs a worker with memory (for manual wiring: `await stompy.run(() => worker.run())`): starts
   * outcome delivery, and on shutdown delivers what it can within `shutdownFlushMs`.
   */
  async run(runWorker: () => Promise<void>): Promise<void> {
    const runtime = this.liveRuntime();
    this.runningWorkers += 1;
    runtime.start();
    try {
      await runWorker();
    } finally {
      this.runningWorkers -= 1;
      if (this.runningWorkers === 0) await this.shutdownRuntime();
    }
  }

  override configureWorker(options: WorkerOptions): WorkerOptions {
    const base = super.configureWorker(options);
    const interceptors = base.interceptors ?? {};
    if (interceptors.activity?.includes(this.activityInterceptors)) return base; // also given to the connection
    const sinks = this.workerSinks(workerVersionOf(base));
    return {
      ...base,
      interceptors: {
        ...interceptors,
        activity: [...(interceptors.activity ?? []), this.activityInterceptors],
        // A prebuilt bundle already holds the module (bundleWorkflowCode({ plugins })); the worker
        // would only warn that it ignores workflowModules.
        workflowModules: base.workflowBundle
          ? interceptors.workflowModules
          : withModule(interceptors.workflowModules, this.workflowModule),
      },
      // The user's own sinks win on a name collision.
      sinks: { ...sinks, ...(base.sinks ?? {}) },
    };
  }

  override configureReplayWorker(options: ReplayWorkerOptions): ReplayWorkerOptions {
    const base = super.configureReplayWorker(options);
    const interceptors = base.interceptors ?? {};
    if (
      base.sinks?.stompyOutcomes &&
      (base.workflowBundle || interceptors.workflowModules?.includes(this.workflowModule))
    )
      return base;
    // Replay never records: the sink is registered (the workflow code calls it) but is never called
    // during replay, so it needs no memory connection at all.
    const sinks = createOutcomeSinks({ record: () => undefined }, undefined, this.logger, this.counterSet);
    return {
      ...base,
      interceptors: {
        ...interceptors,
        // As for a worker: a prebuilt bundle already holds the module, and the SDK would only warn.
        workflowModules: base.workflowBundle
          ? interceptors.workflowModules
          : withModule(interceptors.workflowModules, this.workflowModule),
      },
      sinks: { ...sinks, ...(base.sinks ?? {}) },
    };
  }

  override configureBundler(options: BundleOptions): BundleOptions {
    const base = super.configureBundler(options);
    const previousHook = base.webpackConfigHook;
    if (previousHook && hooksOfThisPlugin.has(previousHook)) return base; // also given to the connection
    const webpackConfigHook = (config: WebpackConfiguration): WebpackConfiguration =>
      this.webpackConfigHook(previousHook ? previousHook(config) : config);
    hooksOfThisPlugin.add(webpackConfigHook);
    return {
      ...base,
      workflowInterceptorModules: withModule(base.workflowInterceptorModules, this.workflowModule),
      webpackConfigHook,
    };
  }

  /** Starts outcome delivery while the worker runs; on shutdown delivers what it can within `shutdownFlushMs`. */
  override runWorker(worker: Worker, next: (worker: Worker) => Promise<void>): Promise<void> {
    return this.run(() => super.runWorker(worker, next));
  }

  /** Delivers queued outcomes now, waiting at most `timeoutMs`; resolves with what is still pending. */
  async flush(timeoutMs = this.resolved.shutdownFlushMs): Promise<{ delivered: number; remaining: number }> {
    return this.runtime ? this.runtime.flush(timeoutMs) : { delivered: 0, remaining: 0 };
  }

  private liveRuntime(): PluginRuntime {
    this.runtime ??= new PluginRuntime(this.resolved, this.logger, this.counterSet, this.workerVersion);
    return this.runtime;
  }

  private async shutdownRuntime(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = undefined;
    if (!runtime) return;
    try {
      await runtime.close(this.resolved.shutdownFlushMs);
    } catch (error) {
      // Shutdown must not fail on memory: the worker has stopped cleanly whatever happens here.
      this.counterSet.add('internalErrors');
      this.logger.error(
        { err: error },
        'stompy: error while closing; queued outcomes stay in the outbox for the next start',
      );
    }
  }
}

/** Bundler hooks made by StompyPlugin instances, so a plugin given twice wraps the hook once. */
const hooksOfThisPlugin = new WeakSet<object>();

function withModule(modules: string[] | undefined, module: string): string[] {
  return modules?.includes(module) ? modules : [...(modules ?? []), module];
}

function workerVersionOf(options: WorkerOptions): string | undefined {
  const version = options.workerDeploymentOptions?.version;
  // `buildId` is deprecated in favour of deployment versions, but older fleets still set it.
  return version ? `${version.deploymentName}:${version.buildId}` : options.buildId;
}

interface WebpackPlugin {
  apply(compiler: {
    webpack: { DefinePlugin: new (definitions: Record<string, string>) => WebpackPlugin };
  }): void;
}

/**
 * DefinePlugin taken from the running compiler, never imported: webpack belongs to
 * `@temporalio/worker`, and the compiler's own copy is the one bundling.
 */
function definePlugin(definitions: Record<string, string>): WebpackPlugin {
  return {
    apply(compiler) {
      new compiler.webpack.DefinePlugin(definitions).apply(compiler);
    },
  };
}
