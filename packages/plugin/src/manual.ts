/**
 * `@temporal-stompy/plugin/manual`: the plugin's parts for wiring a worker by hand, without
 * `plugins` (older code paths, custom bundling, or tests), and the header names and decoder for
 * interceptors of your own that read what the plugin puts on an activity.
 *
 * @example
 * ```ts
 * import { StompyPlugin } from '@temporal-stompy/plugin';
 * import { manualWiring } from '@temporal-stompy/plugin/manual';
 *
 * const stompy = new StompyPlugin({ rules });
 * const wiring = manualWiring(stompy, { buildId: '2026.11.3' });
 * const worker = await Worker.create({
 *   connection, taskQueue, workflowsPath, activities: { ...activities, ...wiring.activities },
 *   interceptors: wiring.interceptors, sinks: wiring.sinks, bundlerOptions: wiring.bundlerOptions,
 * });
 * await wiring.run(() => worker.run());
 * ```
 *
 * @experimental
 * @module
 */
import type { ActivityInterceptorsFactory, InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { StompyPlugin } from './plugin';
import { wiringOf, workerVersionOf } from './worker/plugin-wiring';
import {
  STOMPY_WORKFLOW_MODULE,
  workflowRulesHook,
  type WebpackConfiguration,
} from './worker/workflow-bundling';
import type { StompySinks } from './workflow/sinks';

export { CONTEXT_HEADER, KEYS_HEADER, OUTCOME_SINK } from './common/headers';
export { decodeRecalledContext } from './recall/context-header';
export { STOMPY_WORKFLOW_MODULE } from './worker/workflow-bundling';

/** What a hand-wired worker needs from the plugin: spread each part into `Worker.create`. */
export interface ManualWiring {
  /** For `interceptors`: the activity interceptor and the sandbox module. */
  readonly interceptors: { activity: ActivityInterceptorsFactory[]; workflowModules: string[] };
  /** For `sinks`: the sink workflow runs report their endings through. */
  readonly sinks: InjectedSinks<StompySinks>;
  /** For `activities` (spread beside yours): the activity that answers `recallInsights()` in workflow code. */
  readonly activities: Readonly<Record<string, (...args: never[]) => Promise<unknown>>>;
  /** For `bundlerOptions`: the hook that carries the workflow tag rules into the sandbox. */
  readonly bundlerOptions: { webpackConfigHook: (config: WebpackConfiguration) => WebpackConfiguration };
  /** Runs the worker with memory: `await wiring.run(() => worker.run())` delivers outcomes and flushes at shutdown. */
  run(runWorker: () => Promise<void>): Promise<void>;
}

/**
 * The parts of a plugin for one worker wired by hand. Give the worker's `buildId` or
 * `workerDeploymentOptions` so its outcomes carry its version, as the plugin does when it wires itself.
 */
export function manualWiring(
  plugin: StompyPlugin,
  worker: Pick<WorkerOptions, 'buildId' | 'workerDeploymentOptions'> = {},
): ManualWiring {
  const wiring = wiringOf(plugin);
  const version = workerVersionOf(worker);
  return {
    interceptors: {
      activity: [wiring.activityInterceptors(version)],
      workflowModules: [STOMPY_WORKFLOW_MODULE],
    },
    sinks: wiring.outcomeSinks(version),
    activities: wiring.activities(version),
    bundlerOptions: { webpackConfigHook: workflowRulesHook(wiring.workflowRules) },
    run: (runWorker) => wiring.run(runWorker),
  };
}
