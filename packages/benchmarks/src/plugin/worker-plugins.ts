import { join } from 'node:path';
import { StompyPlugin } from '@temporal-stompy/plugin';
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
    case 'http': {
      if (setup.configuration === 'http' && !setup.memoryUrl) throw new Error('http needs a memoryUrl');
      const stompy = new StompyPlugin({
        memory:
          setup.configuration === 'http'
            ? { url: `${setup.memoryUrl}/mcp` }
            : { dbPath: join(setup.dir, `${setup.taskQueue}-memory.db`) },
        outbox: { path: join(setup.dir, `${setup.taskQueue}-outbox.db`) },
        rules: RULES,
        logger,
      });
      return { plugins: [stompy], stompy };
    }
  }
}
