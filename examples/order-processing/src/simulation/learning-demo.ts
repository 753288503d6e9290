// The demo's run: the same seeded weeks of orders on the same worker twice, first with the memory
// off (the plugin records, nothing is recalled), then with it, and the figures that compare them.
import { randomUUID } from 'node:crypto';
import { StompyPlugin, type StompyPluginOptions } from '@temporal-stompy/plugin';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { bundleOrderWorkflow, runSimulation, type SimulationRun } from './run-simulation';
import { simulationFigures, type SimulationFigures } from './simulation-report';
import { planOrders, type SimulationOptions } from './simulation-plan';

/** The order worker's rules: which customer each run is about, and its business time. */
export const SIMULATION_RULES: StompyPluginOptions['rules'] = [
  {
    workflow: 'OrderWorkflow',
    tags: ['orders'],
    entities: { customer: 'args.0.customerId' },
    eventTime: 'args.0.placedAt',
  },
];

/** Where the demo keeps its memory, and how it logs. */
export interface LearningDemoSetup {
  readonly env: TestWorkflowEnvironment;
  readonly options: SimulationOptions;
  readonly logger: Logger;
  /** The embedded memory file and the outbox file; default: the plugin's defaults under `.stompy/`. */
  readonly memoryDbPath?: string;
  readonly outboxPath?: string;
  readonly progress?: (phase: string, done: number, total: number) => void;
}

/** What the demo found, and where its memory is. */
export interface LearningDemoResult {
  readonly figures: SimulationFigures;
  /** The memory project each run wrote to. */
  readonly projects: { readonly without: string; readonly with: string };
}

/** Runs the simulation without memory and with it, and scores the second against the first. */
export async function runLearningDemo(setup: LearningDemoSetup): Promise<LearningDemoResult> {
  const batch = randomUUID().slice(0, 8);
  const projects = { without: `demo-${batch}-without`, with: `demo-${batch}` };
  // Both runs' plugins have the same rules: the workflow is bundled once, for all four workers.
  let workflowBundle: WorkflowBundleWithSourceMap | undefined;
  const run = async (label: 'without' | 'with'): Promise<SimulationRun> => {
    const plugin = new StompyPlugin({
      rules: SIMULATION_RULES,
      memory: { project: projects[label], ...(setup.memoryDbPath ? { dbPath: setup.memoryDbPath } : {}) },
      ...(setup.outboxPath ? { outbox: { path: setup.outboxPath } } : {}),
      // The demo compresses weeks into a minute: it refreshes what it recalled every second (30 s by
      // default), or memory would lag days of simulated business behind.
      recall: { enabled: label === 'with', cacheTtlMs: 1_000 },
      shutdownFlushMs: 10_000,
      logger: setup.logger,
    });
    const orders = planOrders(setup.options, `${label}${batch}`);
    workflowBundle ??= await bundleOrderWorkflow(plugin);
    return runSimulation(
      setup.env,
      plugin,
      workflowBundle,
      orders,
      setup.options,
      `orders-${label}-${batch}`,
      (done) => setup.progress?.(label, done, orders.length),
    );
  };
  const without = await run('without');
  const withMemory = await run('with');
  return { figures: simulationFigures(setup.options, without, withMemory), projects };
}
