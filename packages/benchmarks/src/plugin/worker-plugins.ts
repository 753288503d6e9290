import { join } from 'node:path';
import { StompyPlugin, type StompyMemoryOptions } from '@temporal-stompy/plugin';
import type { BundlerPlugin, WorkerPlugin } from '@temporalio/worker';
import pino from 'pino';
import { openTelemetryTracing } from './otel-tracing';
import type { WorkerSetup } from './worker-protocol';

/** The plugin a configuration adds to the worker, and what the meter reads from it. */
export interface ConfiguredPlugin {
  /** Given to the bundler and to the worker. */
  plugins: (WorkerPlugin & BundlerPlugin)[];
  /** The StompyPlugin, whose counters and delivery the worker reads. */
  stompy?: StompyPlugin;
  /** Counts and forgets the spans finished so far (OpenTelemetryPlugin). */
  takeSpanCount?: () => Promise<number>;
}

/** The benchmark's tag rule: the workflow's customer is the key every activity recalls. */
const RULES = [{ workflow: 'BenchWorkflow', entities: { customer: 'args.0.customerId' } }];

/** The file of the plugin's outbox in a worker of `setup` (read back by bench:hosted's checks). */
export function outboxPathOf(setup: Pick<WorkerSetup, 'dir' | 'taskQueue'>): string {
  return join(setup.dir, `${setup.taskQueue}-outbox.db`);
}

/**
 * The plugin's memory in `setup`: embedded; our server over HTTP; or, for `hosted`, configured as a
 * hosted Stompy user configures it (the token, and the plan's calls per minute and burst).
 */
function memoryOf(setup: WorkerSetup): StompyMemoryOptions {
  if (setup.configuration === 'embedded') return { dbPath: join(setup.dir, `${setup.taskQueue}-memory.db`) };
  if (!setup.memoryUrl) throw new Error(`${setup.configuration} needs a memoryUrl`);
  const url = `${setup.memoryUrl}/mcp`;
  if (setup.configuration !== 'hosted') return { url };
  if (!setup.hosted) throw new Error('hosted needs its token and call budget');
  const { token, maxCallsPerMinute, burst } = setup.hosted;
  return { url, token, maxCallsPerMinute, burst };
}

/** Builds the plugins of `setup.configuration`, with their files in `setup.dir`. */
export function configurePlugins(setup: WorkerSetup): ConfiguredPlugin {
  const logger = pino({ level: 'silent' });
  switch (setup.configuration) {
    case 'without':
      return { plugins: [] };
    case 'otel': {
      const tracing = openTelemetryTracing();
      return { plugins: [tracing.plugin], takeSpanCount: () => tracing.takeSpanCount() };
    }
    case 'embedded':
    case 'http':
    case 'hosted': {
      const stompy = new StompyPlugin({
        memory: memoryOf(setup),
        outbox: { path: outboxPathOf(setup) },
        rules: RULES,
        logger,
      });
      return { plugins: [stompy], stompy };
    }
  }
}
