// A worker process of the fleet test, as a team runs one: `Worker.create` with the plugin (loaded from
// its build, as a user's worker loads the package) on two task queues: the fleet's shared one and its
// own (for runs pinned to it). It reports each activity attempt and answers flush/stop over IPC.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApplicationFailure, activityInfo } from '@temporalio/activity';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type ActivityInterceptorsFactory,
} from '@temporalio/worker';
import pino from 'pino';
import type * as PluginModule from '../../index';
import { chargeFails, FLEET_RULES, shipFails, type AttemptReport, type FleetActivities } from './fleet-order';

/** What the test sends: deliver the outbox now, or shut the workers down. */
export type FleetWorkerCommand = { type: 'flush'; id: number; timeoutMs: number } | { type: 'stop' };

/** What the process answers, besides its {@link AttemptReport}s. */
export type FleetWorkerMessage =
  | { type: 'ready' }
  | AttemptReport
  | { type: 'flushed'; id: number; remaining: number; counters: PluginModule.PluginCounterValues }
  | { type: 'stopped'; counters: PluginModule.PluginCounterValues };

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`fleet worker: ${name} is not set`);
  return value;
}

function send(message: FleetWorkerMessage): void {
  process.send?.(message);
}

const WORKER = env('FLEET_WORKER_NAME');
/** When the current attempt reached the worker, before the plugin's interceptor recalled memory. */
const attemptStart = new AsyncLocalStorage<number>();
const timeAttempts: ActivityInterceptorsFactory = () => ({
  inbound: { execute: (input, next) => attemptStart.run(performance.now(), () => next(input)) },
});

function report(): number {
  const info = activityInfo();
  send({
    type: 'attempt',
    worker: WORKER,
    workflowId: info.workflowExecution?.workflowId ?? '',
    activityType: info.activityType,
    attempt: info.attempt,
    recallMs: performance.now() - (attemptStart.getStore() ?? Number.NaN),
  });
  return info.attempt;
}

function activities(plugin: typeof PluginModule): FleetActivities {
  return {
    reserve: async (order) => {
      report();
      return `reserved ${order.orderId}`;
    },
    charge: async (order) => {
      if (chargeFails(order.orderId, report()))
        throw ApplicationFailure.retryable('gateway timed out', 'GatewayTimeout');
      return `charged ${order.orderId}`;
    },
    ship: async (order) => {
      report();
      if (shipFails(order.orderId))
        throw ApplicationFailure.nonRetryable('address unknown', 'AddressUnknown');
      return `shipped ${order.orderId}`;
    },
    review: async () => {
      report();
      return plugin.recalledContext() ?? null;
    },
  };
}

async function main(): Promise<void> {
  const plugin = (await import(env('STOMPY_PLUGIN'))) as typeof PluginModule;
  const stompy = new plugin.StompyPlugin({
    memory: {
      url: JSON.parse(env('FLEET_MEMORY_URLS')) as string[],
      token: env('STOMPY_MEMORY_TOKEN'),
      timeoutMs: 2_000,
    },
    outbox: { path: env('FLEET_OUTBOX_PATH') },
    recall: { budgetMs: Number(env('FLEET_RECALL_BUDGET_MS')) },
    rules: FLEET_RULES,
    shutdownFlushMs: 5_000,
    logger: pino({ level: 'error' }, pino.destination(2)),
  });
  // The SDK's own log (failed runs are expected here) only when something is wrong.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const workers = await Promise.all(
    [env('FLEET_TASK_QUEUE'), env('FLEET_OWN_TASK_QUEUE')].map((taskQueue) =>
      Worker.create({
        connection,
        taskQueue,
        workflowBundle: { codePath: env('FLEET_BUNDLE_PATH') },
        activities: activities(plugin),
        interceptors: { activity: [timeAttempts] },
        plugins: [stompy],
      }),
    ),
  );
  const running = Promise.all(workers.map((worker) => worker.run()));
  process.on('message', (command: FleetWorkerCommand) => {
    if (command.type === 'flush') {
      stompy.flush(command.timeoutMs).then(
        ({ remaining }) => send({ type: 'flushed', id: command.id, remaining, counters: stompy.counters() }),
        (error: unknown) => process.stderr.write(`fleet worker ${WORKER}: flush failed: ${String(error)}\n`),
      );
    } else {
      for (const worker of workers) worker.shutdown();
    }
  });
  // The test process is gone (it crashed or was killed): leave with it.
  const orphaned = (): never => process.exit(1);
  process.on('disconnect', orphaned);
  send({ type: 'ready' });
  await running;
  await connection.close();
  process.off('disconnect', orphaned);
  process.send?.({ type: 'stopped', counters: stompy.counters() } satisfies FleetWorkerMessage, () =>
    process.exit(0),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet worker ${WORKER}: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
