/**
 * What the plugin benchmark and its worker processes say to each other over IPC: the worker is
 * started with a configuration, measured round by round, and shut down.
 */

/** The configurations one run compares: no plugin, the plugin (two memories), Temporal's tracing plugin. */
export type Configuration = 'without' | 'embedded' | 'http' | 'otel';

/** Every configuration, in the order a run's first round measures them. */
export const CONFIGURATIONS: readonly Configuration[] = ['without', 'embedded', 'http', 'otel'];

/** The configurations with the StompyPlugin. */
export const PLUGIN_CONFIGURATIONS: readonly Configuration[] = ['embedded', 'http'];

/** How each configuration is named in the figures. */
export const CONFIGURATION_LABELS: Record<Configuration, string> = {
  without: 'no plugin',
  embedded: 'StompyPlugin, embedded memory',
  http: 'StompyPlugin, memory over loopback HTTP',
  otel: 'OpenTelemetryPlugin (in-memory exporter)',
};

/** Everything a worker process needs to start polling. */
export interface WorkerSetup {
  configuration: Configuration;
  /** The Temporal frontend, `host:port`. */
  address: string;
  namespace: string;
  taskQueue: string;
  /** A folder of this run for the plugin's files (embedded memory, outbox). */
  dir: string;
  /** The memory server's base URL, for `http`. */
  memoryUrl?: string;
  /** Activities the worker runs at once. */
  maxConcurrentActivities: number;
  /** A file to copy the workflow bundle's code into (with its source map), for a profile's summary. */
  workflowBundleFile?: string;
}

/** A request to a worker process. */
export type WorkerRequest =
  | { kind: 'start'; setup: WorkerSetup }
  /** Starts measuring (CPU, event-loop delay, the latency probe; only `probeActivity`'s attempts when given). */
  | { kind: 'measure'; probeActivity?: string }
  /** Waits until what the round recorded is delivered, then stops measuring and reports. */
  | { kind: 'report' }
  | { kind: 'shutdown' };

/** Event-loop delay percentiles over a stretch, in milliseconds. */
export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** What a stretch of work cost the worker process. */
export interface WorkerCost {
  /** CPU time of the whole process (user + system, every thread), in milliseconds. */
  cpuMs: number;
  /** Wall time of the stretch, in milliseconds. */
  wallMs: number;
  /** Of the wall time, how long the worker waited at the end for the plugin to deliver what it recorded. */
  drainMs: number;
  eventLoopDelay: EventLoopDelay;
  /** Per probed attempt, the time from reaching the worker's interceptors to the activity function, in ms. */
  probeMs: number[];
  /** The plugin's counters over the stretch (StompyPlugin configurations only). */
  counters?: Record<string, number>;
  /** Spans the tracing plugin finished over the stretch (OpenTelemetryPlugin only). */
  spans?: number;
  /** When the stretch started and ended, on the process's monotonic clock (µs, as in a `.cpuprofile`). */
  window: { startUs: number; endUs: number };
}

/** A worker process's answer: nothing, or a stretch's cost for `report`. */
export type WorkerAnswer = WorkerCost | undefined;
