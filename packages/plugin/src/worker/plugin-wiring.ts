import type { ActivityInterceptorsFactory, InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Outcome } from '../common/outcome';
import type { ResolvedOptions } from '../options/resolve-options';
import type { FlushResult } from '../recording/delivery/delivery-settings';
import { unknownBacklog, type DeliveryBacklog } from '../recording/delivery/delivery-backlog';
import type { PluginCounters } from '../support/plugin-counters';
import type { StompySinks } from '../workflow/sinks';
import { ActivityMemoryInterceptor } from './activity-memory-interceptor';
import type { OutcomeSinkTarget } from '../recording/outcome-recorder';
import { componentLogger } from '../support/logger';
import { createOutcomeSinks } from './outcome-sink';
import { RECALL_INSIGHTS_ACTIVITY } from '../common/workflow-memory';
import { recallInsightsActivity } from './recall-insights-activity';
import { PluginRuntime } from './plugin-runtime';

/**
 * The pieces a plugin instance wires into workers, whether through `StompyPlugin`'s hooks or by hand
 * (`@temporal-stompy/plugin/manual`): an activity interceptors factory and outcome sinks per worker
 * (each stamping that worker's own build id or deployment version on its outcomes), and the runtime
 * (memory connection, recall, outbox, delivery) shared by the workers the plugin serves, built when
 * first needed and closed when the last running worker stops.
 */
export class PluginWiring {
  private runtime: PluginRuntime | undefined;
  private runningWorkers = 0;
  private readonly ownFactories = new WeakSet<ActivityInterceptorsFactory>();
  private readonly ownSinks = new WeakSet<object>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly logger: Logger,
    private readonly counters: PluginCounters,
  ) {}

  /** The workflow tag rules, as the sandbox receives them. */
  get workflowRules(): ResolvedOptions['workflowRules'] {
    return this.options.workflowRules;
  }

  /**
   * An activity interceptors factory whose outcomes carry `workerVersion`. Asked for while a worker is
   * being created, it also starts the runtime: its memory thread is up by the time the worker has
   * bundled its workflows, so the first activity does not wait for it.
   */
  activityInterceptors(workerVersion: string | undefined): ActivityInterceptorsFactory {
    this.liveRuntime();
    const factory: ActivityInterceptorsFactory = (ctx) => ({
      inbound: new ActivityMemoryInterceptor(ctx, this.liveRuntime().activityDeps, workerVersion),
    });
    this.ownFactories.add(factory);
    return factory;
  }

  /**
   * The activities the plugin adds to a worker with `workerVersion`: the one that answers
   * `recallInsights()` from workflow code, through this plugin's recall.
   */
  activities(workerVersion: string | undefined): Record<string, (...args: never[]) => Promise<unknown>> {
    return {
      [RECALL_INSIGHTS_ACTIVITY]: recallInsightsActivity(
        () => this.liveRuntime().activityDeps.recall,
        workerVersion,
      ),
    };
  }

  /** The sinks the sandbox reports workflow runs through, for a worker with `workerVersion`. */
  outcomeSinks(workerVersion: string | undefined): InjectedSinks<StompySinks> {
    // The sinks find the live runtime when called, not when the worker is configured: a worker
    // created while another ran, and run after that one stopped, records into its own runtime.
    const recorder = {
      record: (outcome: Outcome) => this.liveRuntime().activityDeps.recorder.record(outcome),
    };
    return this.own(this.sinks(recorder, workerVersion));
  }

  /**
   * The sinks of a replay worker. Replay never records: the sink is registered (the workflow code
   * calls it) but never called during replay, so it needs no memory connection at all.
   */
  replaySinks(): InjectedSinks<StompySinks> {
    return this.own(this.sinks({ record: () => Promise.resolve() }, undefined));
  }

  /** Whether worker options already hold this plugin's activity interceptors (it was given twice). */
  isWiredInto(interceptors: WorkerOptions['interceptors']): boolean {
    return interceptors?.activity?.some((factory) => this.ownFactories.has(factory)) ?? false;
  }

  /** Whether a sink is one of this plugin's (a user sink of the same name is not). */
  isOwnSink(sink: unknown): boolean {
    return typeof sink === 'object' && sink !== null && this.ownSinks.has(sink);
  }

  /** Runs a worker with memory: starts outcome delivery, and on shutdown delivers what it can within `shutdownFlushMs`. */
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

  /** Delivers queued outcomes now, waiting at most `timeoutMs`. */
  flush(timeoutMs: number): Promise<FlushResult> {
    return this.runtime ? this.runtime.flush(timeoutMs) : Promise.resolve({ delivered: 0, remaining: 0 });
  }

  /** The outbox backlog within `timeoutMs`; `known: false` when no worker runs or the thread does not answer. */
  backlog(timeoutMs: number): Promise<DeliveryBacklog> {
    return this.runtime
      ? this.runtime.backlog(timeoutMs)
      : Promise.resolve(unknownBacklog('no worker with this plugin is running'));
  }

  private sinks(recorder: OutcomeSinkTarget, workerVersion: string | undefined): InjectedSinks<StompySinks> {
    return createOutcomeSinks({
      recorder,
      workerVersion,
      logger: componentLogger(this.logger, 'recording'),
      counters: this.counters,
    });
  }

  private own(sinks: InjectedSinks<StompySinks>): InjectedSinks<StompySinks> {
    this.ownSinks.add(sinks.stompyOutcomes);
    return sinks;
  }

  private liveRuntime(): PluginRuntime {
    this.runtime ??= new PluginRuntime(this.options, this.logger, this.counters);
    return this.runtime;
  }

  private async shutdownRuntime(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = undefined;
    if (!runtime) return;
    try {
      await runtime.close(this.options.shutdownFlushMs);
    } catch (error) {
      // Shutdown must not fail on memory: the worker has stopped cleanly whatever happens here.
      this.counters.add('internalErrors');
      this.logger.error(
        { err: error },
        'error while closing; queued outcomes stay in the outbox for the next start',
      );
    }
  }
}

/** The build id or deployment version a worker's outcomes carry. */
export function workerVersionOf(
  options: Pick<WorkerOptions, 'workerDeploymentOptions' | 'buildId'>,
): string | undefined {
  const version = options.workerDeploymentOptions?.version;
  // `buildId` is deprecated in favour of deployment versions, but older fleets still set it.
  return version ? `${version.deploymentName}:${version.buildId}` : options.buildId;
}

/** Each plugin's wiring, for manual wiring (`@temporal-stompy/plugin/manual`) without public internals. */
const wirings = new WeakMap<object, PluginWiring>();

/** Records a plugin's wiring (its constructor does). */
export function registerWiring(plugin: object, wiring: PluginWiring): void {
  wirings.set(plugin, wiring);
}

/** The wiring of a `StompyPlugin`; a TypeError for anything else. */
export function wiringOf(plugin: object): PluginWiring {
  const wiring = wirings.get(plugin);
  if (!wiring) throw new TypeError('expected a StompyPlugin (new StompyPlugin(options))');
  return wiring;
}
